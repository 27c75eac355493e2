// The search page at `/`, rendered on the server (it works without script): the box with the
// query kept, the readings searched, hits, facets, sort and pagination, all in the URL.
#pragma once

#include <string>

#include "messages.h"
#include "search_request.h"
#include "vnsearch/search.h"

namespace vnsearch::server {

struct PageInput {
  const Messages* messages = nullptr;
  std::string hl;  ///< "en"/"vi" when asked for by ?hl= (kept in every link), else ""
  const SearchRequest* request = nullptr;  ///< null: the empty start page
  const SearchResult* result = nullptr;    ///< null with a request: an error page
  double took_seconds = 0;
  std::string error;  ///< shown instead of results (a bad parameter, the index unavailable)
  bool unavailable = false;
  bool not_found = false;  ///< the page for an unknown path
};

/// The whole HTML document. Everything taken from the request or the index is escaped.
[[nodiscard]] std::string render_page(const PageInput& input);

}  // namespace vnsearch::server
