#include "search_request.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "vnsearch/server.h"

namespace vnsearch::server {

namespace {

ApiError bad(const std::string& code, const std::string& message) {
  return {400, code, message};
}

// A whole number between 1 and `max` written in plain digits, or nothing.
std::optional<std::size_t> positive(const std::string& text, std::size_t max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::size_t value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(ch - '0');
  }
  if (value < 1 || value > max) return std::nullopt;
  return value;
}

std::vector<std::string> all_values(const Params& params, const std::string& name) {
  std::vector<std::string> values;
  const auto [begin, end] = params.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (!it->second.empty()) values.push_back(it->second);
  }
  return values;
}

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

std::string form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];  // a stray % stays as typed
    }
  }
  return out;
}

// Days of a freshness half-life written as a plain decimal number (`30`, `7.5`) in range.
std::optional<double> half_life_days(const std::string& text) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789.") != std::string::npos || text.front() == '.' ||
      std::count(text.begin(), text.end(), '.') > 1) {
    return std::nullopt;
  }
  const double days = std::strtod(text.c_str(), nullptr);
  if (days < Freshness::kMinHalfLifeDays || days > Freshness::kMaxHalfLifeDays) return std::nullopt;
  return days;
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

}  // namespace

Params parse_query_string(std::string_view target) {
  Params params;
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return params;
  std::string_view rest = target.substr(question + 1);
  const std::size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    if (amp == std::string_view::npos) amp = rest.size();
    const std::string_view pair = rest.substr(0, amp);
    rest = amp < rest.size() ? rest.substr(amp + 1) : std::string_view();
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string name = form_decode(pair.substr(0, equals));
    const std::string value =
        equals == std::string_view::npos ? std::string() : form_decode(pair.substr(equals + 1));
    params.emplace(name, value);
  }
  return params;
}

std::string first_value(const Params& params, const std::string& name) {
  const auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::variant<SearchRequest, ApiError> parse_search_request(const Params& params,
                                                           bool require_query) {
  SearchRequest request;
  request.query = first_value(params, "q");
  if (request.query.size() > kMaxQueryBytes) {
    return ApiError{413, "query_too_long",
                    "q is " + std::to_string(request.query.size()) + " bytes; at most " +
                        std::to_string(kMaxQueryBytes) + " are accepted"};
  }
  if (params.count("page") != 0) {
    const auto page = positive(first_value(params, "page"), kMaxResultWindow);
    if (!page) {
      return bad("bad_parameter", "page must be a whole number from 1 to " +
                                      std::to_string(kMaxResultWindow) + ", not '" +
                                      first_value(params, "page") + "'");
    }
    request.page = *page;
  }
  if (params.count("per_page") != 0) {
    const auto per_page = positive(first_value(params, "per_page"), kMaxPerPage);
    if (!per_page) {
      return bad("bad_parameter", "per_page must be a whole number from 1 to " +
                                      std::to_string(kMaxPerPage) + ", not '" +
                                      first_value(params, "per_page") + "'");
    }
    request.per_page = *per_page;
  }
  if (request.page * request.per_page > kMaxResultWindow) {
    return bad("result_window_too_large",
               "page × per_page is " + std::to_string(request.page * request.per_page) +
                   "; results are paged up to the first " + std::to_string(kMaxResultWindow) +
                   " hits (narrow the query or use filters)");
  }
  if (params.count("sort") != 0) {
    request.sort = first_value(params, "sort");
    if (!sort_from_name(request.sort)) {
      return bad("bad_parameter",
                 "sort must be 'relevance', 'newest' (or 'date'), 'oldest' or 'fresh', not '" +
                     request.sort + "'");
    }
  }
  if (params.count("half_life") != 0) {
    const auto days = half_life_days(first_value(params, "half_life"));
    if (!days) {
      return bad("bad_parameter", "half_life must be a number of days from " +
                                      number_text(Freshness::kMinHalfLifeDays) + " to " +
                                      number_text(Freshness::kMaxHalfLifeDays) + ", not '" +
                                      first_value(params, "half_life") + "'");
    }
    request.options.half_life_days = *days;
  }
  const std::string timeline = first_value(params, "timeline");
  if (timeline == "1" || timeline == "true") {
    request.options.timeline = true;
  } else if (!timeline.empty() && timeline != "0" && timeline != "false") {
    return bad("bad_parameter", "timeline must be 1 or 0, not '" + timeline + "'");
  }
  SearchFilters& filters = request.options.filters;
  for (const char* name : {"date_from", "date_to"}) {
    const std::string value = first_value(params, name);
    if (!value.empty() && !valid_filter_date(value)) {
      return bad("bad_date",
                 std::string(name) + " must be YYYY, YYYY-MM or YYYY-MM-DD, not '" + value + "'");
    }
  }
  filters.date_from = first_value(params, "date_from");
  filters.date_to = first_value(params, "date_to");
  // Comparing the padded forms compares the periods' starts and ends.
  if (!filters.date_from.empty() && !filters.date_to.empty() &&
      filters.date_from.substr(0, std::min(filters.date_from.size(), filters.date_to.size())) >
          filters.date_to) {
    return bad("bad_date",
               "date_from (" + filters.date_from + ") is after date_to (" + filters.date_to + ")");
  }
  filters.sources = all_values(params, "source");
  filters.categories = all_values(params, "category");
  filters.years = all_values(params, "year");
  filters.persons = all_values(params, "person");
  filters.places = all_values(params, "place");
  filters.organisations = all_values(params, "org");
  for (const std::string& year : filters.years) {
    if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos) {
      return bad("bad_parameter", "year must be four digits, not '" + year + "'");
    }
  }
  // exact=1: the way back from a correction — search the query exactly as typed.
  const std::string exact = first_value(params, "exact");
  if (exact == "1" || exact == "true") {
    request.options.correct = false;
  } else if (!exact.empty() && exact != "0" && exact != "false") {
    return bad("bad_parameter", "exact must be 1 or 0, not '" + exact + "'");
  }
  const std::string facets = first_value(params, "facets");
  if (facets == "1" || facets == "true") {
    request.options.facets = true;
  } else if (!facets.empty() && facets != "0" && facets != "false") {
    return bad("bad_parameter", "facets must be 1 or 0, not '" + facets + "'");
  }
  // collapse=1 folds near-duplicate copies of a story into one hit (the page turns it on unless
  // told collapse=0); copies=1 lists each hit's copies.
  for (const auto& [name, target] :
       {std::pair<const char*, bool*>{"collapse", &request.options.collapse},
        std::pair<const char*, bool*>{"copies", &request.options.copies}}) {
    const std::string value = first_value(params, name);
    if (value == "1" || value == "true") {
      *target = true;
    } else if (value == "0" || value == "false") {
      *target = false;
    } else if (!value.empty()) {
      return bad("bad_parameter", std::string(name) + " must be 1 or 0, not '" + value + "'");
    }
  }
  const bool filtered = !filters.date_from.empty() || !filters.date_to.empty() ||
                        !filters.sources.empty() || !filters.categories.empty() ||
                        !filters.years.empty() || !filters.persons.empty() ||
                        !filters.places.empty() || !filters.organisations.empty();
  if (require_query && params.count("q") == 0 && !filtered) {
    return bad("missing_parameter", "q is required (the query text; filters alone also work)");
  }
  request.options.limit = request.per_page;
  request.options.offset = (request.page - 1) * request.per_page;
  request.options.sort = sort_from_name(request.sort).value_or(SearchSort::kRelevance);
  return request;
}

}  // namespace vnsearch::server
