#include "messages.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace vnsearch::server {

const Messages& vietnamese() {
  static const Messages messages{
      "vi",
      '.',
      "Tìm kiếm tin tức",
      "Tìm kiếm",
      "Tìm",
      "Nhập từ khóa, có dấu hoặc không dấu",
      "Kết quả cho",
      "kết quả",
      "khoảng",
      "giây",
      "Hoặc tìm:",
      "Sắp xếp:",
      "Liên quan",
      "Mới nhất",
      "Nguồn",
      "Chuyên mục",
      "Năm",
      "Bỏ bộ lọc",
      "Trang trước",
      "Trang sau",
      "Trang",
      "Không tìm thấy kết quả nào cho",
      "Kiểm tra lại chính tả, hoặc gõ có dấu để rõ nghĩa hơn.",
      "Thử ít từ hơn, hoặc từ ngữ chung hơn.",
      "Bỏ các bộ lọc đang chọn",
      "Chỉ mục tìm kiếm tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút.",
      "Yêu cầu không hợp lệ:",
      "Tìm trong kho tin tức tiếng Việt. Gõ có dấu hoặc không dấu đều được, ví dụ: cum thi dua so "
      "8.",
      "Bộ lọc",
      "Phân trang",
      "English",
      "Không có trang này. Hãy tìm từ trang chủ.",
      "Đang hiển thị kết quả cho",
      "tìm chính xác",
      "Có phải bạn muốn tìm",
      "Lưu ý:",
  };
  return messages;
}

const Messages& english() {
  static const Messages messages{
      "en",
      ',',
      "News search",
      "Search",
      "Search",
      "Type words, with or without diacritics",
      "Results for",
      "results",
      "about",
      "seconds",
      "Or search for:",
      "Sort by:",
      "Relevance",
      "Newest",
      "Source",
      "Category",
      "Year",
      "Remove filter",
      "Previous page",
      "Next page",
      "Page",
      "No results found for",
      "Check the spelling, or type the diacritics to make the meaning clear.",
      "Try fewer or more general words.",
      "Remove the selected filters",
      "The search index is not available right now. Please try again in a few minutes.",
      "Bad request:",
      "Search Vietnamese news. Type with or without diacritics, for example: cum thi dua so 8.",
      "Filters",
      "Pagination",
      "Tiếng Việt",
      "There is no such page. Search from the home page.",
      "Showing results for",
      "search instead for",
      "Did you mean",
      "Note:",
  };
  return messages;
}

const Messages& choose_messages(std::string_view hl, std::string_view accept_language) {
  if (hl == "en") return english();
  if (hl == "vi") return vietnamese();
  // A Vietnamese portal speaks Vietnamese to anyone who reads it: many readers' browsers put
  // en-US first and Vietnamese second ("en-US,en;q=0.9,vi;q=0.8"). English only when the
  // browser asks for English and not Vietnamese at all.
  bool accepts_english = false;
  std::size_t at = 0;
  while (at < accept_language.size()) {
    std::size_t comma = accept_language.find(',', at);
    if (comma == std::string_view::npos) comma = accept_language.size();
    std::string item(accept_language.substr(at, comma - at));
    at = comma + 1;
    item.erase(
        std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
        item.end());
    double q = 1.0;
    const std::size_t semicolon = item.find(';');
    if (semicolon != std::string::npos) {
      const std::size_t equals = item.find("q=", semicolon);
      if (equals != std::string::npos) q = std::atof(item.c_str() + equals + 2);
      item.resize(semicolon);
    }
    std::transform(item.begin(), item.end(), item.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string primary = item.substr(0, item.find('-'));
    if (q <= 0) continue;
    if (primary == "vi") return vietnamese();
    if (primary == "en") accepts_english = true;
  }
  return accepts_english ? english() : vietnamese();
}

}  // namespace vnsearch::server
