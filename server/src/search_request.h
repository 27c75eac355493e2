// Reading a search request's parameters (from the API or the page's URL) into SearchOptions,
// with every limit checked and every mistake named.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "vnsearch/search.h"

namespace vnsearch::server {

/// A client mistake, answered as `{"error": {"code", "message"}}` with `status`.
struct ApiError {
  int status = 400;
  std::string code;     ///< stable, for programs: bad_parameter, query_too_long...
  std::string message;  ///< for people, naming the parameter
};

struct SearchRequest {
  std::string query;
  std::size_t page = 1;
  std::size_t per_page = 10;
  std::string sort = "relevance";
  SearchOptions options;  ///< offset, limit, sort, filters, facets filled in
};

using Params = std::multimap<std::string, std::string>;

/// Checks and reads q, page, per_page, sort, half_life, timeline, date_from, date_to, source,
/// category, year, facets, collapse and copies. `require_query`: a missing q (with no filter
/// either) is an error (the API) rather than an empty search (the page).
[[nodiscard]] std::variant<SearchRequest, ApiError> parse_search_request(const Params& params,
                                                                         bool require_query);

/// The parameters of a request target's query string (`/path?a=1&b=x+y`), decoded as HTML forms
/// send them: `+` is a space, `%XX` a byte. (cpp-httplib 0.11 leaves `+` as it is.)
[[nodiscard]] Params parse_query_string(std::string_view target);

/// The first value of `name`, or "".
[[nodiscard]] std::string first_value(const Params& params, const std::string& name);

}  // namespace vnsearch::server
