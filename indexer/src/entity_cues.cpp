#include "entity_cues.h"

#include <algorithm>
#include <array>
#include <string>

namespace vnsearch::indexing::cues {
namespace {

// "thiếu tướng" -> {"thiếu", "tướng"}; the views point into the static literals.
std::vector<Cue> make(std::initializer_list<std::string_view> phrases) {
  std::vector<Cue> out;
  for (std::string_view phrase : phrases) {
    Cue cue;
    while (!phrase.empty()) {
      const std::size_t space = phrase.find(' ');
      cue.push_back(phrase.substr(0, space));
      phrase = space == std::string_view::npos ? std::string_view() : phrase.substr(space + 1);
    }
    out.push_back(std::move(cue));
  }
  return out;
}

std::string joined(const Cue& cue) {
  std::string out;
  for (std::string_view word : cue) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace

const std::vector<Cue>& person_before() {
  static const std::vector<Cue> cues = make({
      // kinship terms used as titles
      "ông",
      "bà",
      "anh",
      "chị",
      "em",
      "cô",
      "chú",
      "bác",
      "cụ",
      "thầy",
      "bé",
      "cháu",
      "ngài",
      // offices
      "chủ tịch",
      "phó chủ tịch",
      "chủ tịch nước",
      "tổng thống",
      "phó tổng thống",
      "thủ tướng",
      "phó thủ tướng",
      "bộ trưởng",
      "thứ trưởng",
      "tổng bí thư",
      "bí thư",
      "phó bí thư",
      "giám đốc",
      "phó giám đốc",
      "tổng giám đốc",
      "chủ nhiệm",
      "phó chủ nhiệm",
      "chánh án",
      "viện trưởng",
      "trưởng ban",
      "phó trưởng ban",
      "trưởng phòng",
      "trưởng đoàn",
      "đại sứ",
      "người phát ngôn",
      "ngoại trưởng",
      "thống đốc",
      "thị trưởng",
      "tổng thư ký",
      "nghị sĩ",
      "thượng nghị sĩ",
      "đại biểu",
      "vua",
      "hoàng đế",
      "nữ hoàng",
      "thái tử",
      "hoàng tử",
      "công chúa",
      "tỷ phú",
      "hòa thượng",
      "linh mục",
      // ranks
      "đại tướng",
      "thượng tướng",
      "trung tướng",
      "thiếu tướng",
      "đại tá",
      "thượng tá",
      "trung tá",
      "thiếu tá",
      "đại úy",
      "thượng úy",
      "trung úy",
      "thiếu úy",
      // degrees and professions
      "giáo sư",
      "phó giáo sư",
      "gs",
      "pgs",
      "ts",
      "gs.ts",
      "pgs.ts",
      "tiến sĩ",
      "thạc sĩ",
      "bác sĩ",
      "bs",
      "luật sư",
      "ls",
      "kỹ sư",
      "nhà báo",
      "phóng viên",
      "nhà văn",
      "nhà thơ",
      "nhạc sĩ",
      "họa sĩ",
      "ca sĩ",
      "nghệ sĩ",
      "diễn viên",
      "đạo diễn",
      "tác giả",
      "người mẫu",
      "hoa hậu",
      "á hậu",
      "cầu thủ",
      "tiền vệ",
      "tiền đạo",
      "thủ môn",
      "hậu vệ",
      "trung vệ",
      "danh thủ",
      "võ sĩ",
      "vđv",
      "vận động viên",
      "hlv",
      "huấn luyện viên",
      "đồng chí",
      // courts and police reports
      "bị cáo",
      "bị can",
      "nghi phạm",
      "nạn nhân",
      "đối tượng",
  });
  return cues;
}

const std::vector<Cue>& kinship() {
  static const std::vector<Cue> cues =
      make({"ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ", "thầy", "bé", "cháu"});
  return cues;
}

const std::vector<Cue>& person_inline() {
  static const std::vector<Cue> cues =
      make({"ông", "bà", "anh",   "chị",    "cô", "chú", "bác", "cụ",   "ngài", "hlv", "gs",
            "pgs", "ts", "gs.ts", "pgs.ts", "bs", "ls",  "vđv", "nsưt", "nsnd", "tt"});
  return cues;
}

const std::vector<Cue>& place_before() {
  static const std::vector<Cue> cues = make({
      "tỉnh",    "huyện",    "xã",       "thành phố", "tp",    "quận",    "phường",
      "thị xã",  "thị trấn", "thủ đô",   "thôn",      "ấp",    "bản",     "xóm",
      "làng",    "đảo",      "quần đảo", "sông",      "núi",   "vịnh",    "biển",
      "bang",    "nước",     "miền",     "vùng",      "đường", "phố",     "cầu",
      "sân bay", "cảng",     "đèo",      "khu vực",   "châu",  "thủ phủ", "phương",
  });
  return cues;
}

const std::vector<Cue>& place_admin() {
  static const std::vector<Cue> cues =
      make({"tỉnh", "huyện", "xã", "thành phố", "tp", "quận", "phường", "thị xã", "thị trấn",
            "thôn", "ấp", "bản", "xóm", "làng", "nước", "bang", "thủ đô"});
  return cues;
}

const std::vector<Cue>& place_bound() {
  static const std::vector<Cue> cues = make({"châu", "miền", "phương"});
  return cues;
}

const std::vector<Cue>& place_inline() {
  static const std::vector<Cue> cues = make({"tp", "tỉnh", "huyện", "quận", "thành phố"});
  return cues;
}

const std::vector<Cue>& place_weak() {
  static const std::vector<Cue> cues = make({"tại", "ở", "sang", "tới"});
  return cues;
}

const std::vector<Cue>& organisation_heads() {
  static const std::vector<Cue> cues = make({
      "bộ",
      "sở",
      "cục",
      "tổng cục",
      "chi cục",
      "viện",
      "học viện",
      "ban",
      "ủy ban",
      "ủy ban nhân dân",
      "ubnd",
      "hđnd",
      "hội đồng nhân dân",
      "hội đồng",
      "tand",
      "vksnd",
      "tòa án",
      "tòa án nhân dân",
      "viện kiểm sát",
      "viện kiểm sát nhân dân",
      "công an",
      "quân đội",
      "quân khu",
      "bộ tư lệnh",
      "bộ chỉ huy",
      "công ty",
      "tổng công ty",
      "tập đoàn",
      "ngân hàng",
      "trường",
      "đại học",
      "trường đại học",
      "bệnh viện",
      "trung tâm",
      "hội",
      "hiệp hội",
      "liên đoàn",
      "câu lạc bộ",
      "clb",
      "đảng",
      "báo",
      "đài",
      "đài truyền hình",
      "thông tấn xã",
      "nhà xuất bản",
      "nxb",
      "quốc hội",
      "chính phủ",
      "bộ chính trị",
      "ban bí thư",
      "mặt trận",
      "tỉnh ủy",
      "thành ủy",
      "huyện ủy",
      "văn phòng",
      "quỹ",
      "đội tuyển",
      "hãng",
      "liên hợp quốc",
  });
  return cues;
}

bool head_takes_lower_syllable(const Cue& head) {
  static constexpr std::array<std::string_view, 25> kHeads = {
      "bộ",      "sở",        "cục",       "tổng cục",      "chi cục",      "viện",     "học viện",
      "ban",     "ủy ban",    "ngân hàng", "trường",        "báo",          "hội",      "hiệp hội",
      "quỹ",     "đảng",      "mặt trận",  "bệnh viện",     "tổng công ty", "tập đoàn", "trung tâm",
      "công ty", "văn phòng", "đại học",   "trường đại học"};
  return contains(kHeads, joined(head));
}

const std::vector<Cue>& places_like_organisations() {
  static const std::vector<Cue> cues = make({"đài loan", "hội an"});
  return cues;
}

bool is_function_word(std::string_view exact) {
  static constexpr std::array<std::string_view, 70> kWords = {
      "đã",    "sẽ",    "đang", "vừa",   "mới",  "cũng",  "không", "chưa", "chẳng", "là",
      "có",    "được",  "bị",   "cho",   "của",  "và",    "với",   "về",   "tại",   "ở",
      "trong", "ngoài", "từ",   "đến",   "tới",  "để",    "thì",   "mà",   "rằng",  "nói",
      "nên",   "phải",  "cần",  "vẫn",   "còn",  "lại",   "ra",    "vào",  "lên",   "xuống",
      "này",   "đó",    "kia",  "ấy",    "các",  "những", "một",   "mọi",  "theo",  "khi",
      "sau",   "trước", "nhằm", "nhưng", "hay",  "hoặc",  "nếu",   "vì",   "do",    "bởi",
      "gồm",   "đều",   "chỉ",  "ngay",  "thêm", "nữa",   "luôn",  "hãy",  "sang",  "qua"};
  return contains(kWords, exact);
}

bool head_stands_alone(const Cue& head) {
  static constexpr std::array<std::string_view, 5> kAlone = {
      "quốc hội", "chính phủ", "bộ chính trị", "ban bí thư", "liên hợp quốc"};
  return contains(kAlone, joined(head));
}

bool is_family_name(std::string_view exact) {
  static constexpr std::array<std::string_view, 21> kNames = {
      "nguyễn", "trần", "lê",  "phạm",  "hoàng", "huỳnh", "phan",   "vũ",    "võ",    "đặng", "bùi",
      "đỗ",     "hồ",   "ngô", "dương", "lý",    "đinh",  "trương", "lương", "trịnh", "đoàn"};
  return contains(kNames, exact);
}

bool is_sentence_starter(std::string_view exact) {
  static constexpr std::array<std::string_view, 78> kStarters = {
      "theo",  "trong", "tại",   "sau", "trước", "khi",  "với",    "về",    "từ",    "ngày",
      "hôm",   "sáng",  "chiều", "tối", "đêm",   "trưa", "năm",    "tháng", "tuần",  "nhưng",
      "và",    "các",   "những", "một", "hai",   "ba",   "đây",    "đó",    "này",   "cả",
      "tuy",   "nếu",   "vì",    "do",  "để",    "cho",  "còn",    "đến",   "ở",     "trên",
      "dưới",  "người", "chúng", "họ",  "tôi",   "hiện", "lúc",    "vào",   "nhiều", "mới",
      "ngoài", "bên",   "dù",    "như", "cùng",  "tiếp", "riêng",  "thực",  "ngay",  "cũng",
      "không", "chưa",  "đã",    "sẽ",  "đang",  "được", "bị",     "có",    "là",    "ảnh",
      "video", "clip",  "nguồn", "xem", "mỗi",   "toàn", "khoảng", "đặc"};
  return contains(kStarters, exact);
}

}  // namespace vnsearch::indexing::cues
