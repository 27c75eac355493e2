// The search page's words, in Vietnamese and English. Plain tables rather than Boost.Locale
// gettext catalogues: catalogues need msgfmt at build time and a locale at run time for two
// short lists of strings (docs/server.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vnsearch::server {

struct Messages {
  const char* lang;          ///< the page's lang attribute
  char thousands;            ///< separator of thousands in counts
  const char* site_title;    ///< <title> of the empty page
  const char* search_label;  ///< the search box's label (for screen readers)
  const char* search_button;
  const char* placeholder;
  const char* results_for;     ///< "Kết quả cho" «query»
  const char* results_word;    ///< "kết quả"
  const char* about;           ///< "khoảng" before an estimated count
  const char* seconds;         ///< unit after the search time
  const char* other_readings;  ///< "Hoặc tìm:" before the other readings
  const char* sort_label;
  const char* sort_relevance;
  const char* sort_date;
  const char* facet_source;
  const char* facet_category;
  const char* facet_year;
  const char* remove_filter;  ///< title of the × link of an active filter
  const char* previous_page;
  const char* next_page;
  const char* page_word;      ///< "Trang"
  const char* nothing_found;  ///< "Không tìm thấy kết quả nào cho"
  const char* hint_spelling;
  const char* hint_fewer_words;
  const char* hint_remove_filters;
  const char* unavailable;  ///< the index cannot be opened
  const char* bad_request;  ///< a parameter of the URL is wrong
  const char* intro;        ///< under the box on the empty page
  const char* filters_label;
  const char* pagination_label;
  const char* language_switch;      ///< link to the page in the other language
  const char* page_not_found;       ///< a browser asked for a page that does not exist
  const char* showing_results_for;  ///< "Đang hiển thị kết quả cho" «corrected query»
  const char* search_exactly;       ///< ", tìm chính xác" «query as typed»
  const char* did_you_mean;         ///< "Có phải bạn muốn tìm" «suggestion»
  const char* query_notes;          ///< "Lưu ý:" before what was ignored in the query
};

[[nodiscard]] const Messages& vietnamese();
[[nodiscard]] const Messages& english();

/// `?hl=en|vi` wins; otherwise Vietnamese unless Accept-Language asks for English and not for
/// Vietnamese at all.
[[nodiscard]] const Messages& choose_messages(std::string_view hl,
                                              std::string_view accept_language);

}  // namespace vnsearch::server
