// The one JSON form of search results, shared by `vnsearch search --format json` and the HTTP
// API (docs/api.md documents it field by field).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "vnsearch/search.h"

namespace vnsearch {

/// What the response says besides the result itself.
struct ResultJsonContext {
  std::string query;       ///< as the user typed it
  std::uint64_t page = 1;  ///< 1-based
  std::uint64_t per_page = 10;
  double took_ms = 0;
  std::string sort = "relevance";
};

/// `{"id","title","url","date","source","category","description","author","tags","score",
/// "snippet","snippet_text","snippet_matches","collapse_count","copies"}`: `snippet` is
/// HTML-escaped with the matches in <mark>…</mark>; `snippet_text` is plain, with
/// `snippet_matches` as [begin, end) byte ranges; `copies` lists {"id","title","date","source",
/// "url"} when they were asked for.
[[nodiscard]] nlohmann::json hit_to_json(const Hit& hit);

/// `{"query","readings","total":{"value","relation"},"took_ms","page","per_page","sort","hits",
/// "facets","notes","message"}`. `facets` is {} when none were asked for; `notes` lists
/// {"code","text"}; `message` joins their texts (empty when there are none). A `timeline`
/// (timeline_to_json) is added when the result has one.
[[nodiscard]] nlohmann::json result_to_json(const SearchResult& result,
                                            const ResultJsonContext& context);

/// `{"unit":"month"|"year","buckets":[{"period","count"}],"undated","total","complete"}`.
[[nodiscard]] nlohmann::json timeline_to_json(const Timeline& timeline);

/// `{"id","title","description","body","date","source","url","author","category","tags"}`.
[[nodiscard]] nlohmann::json document_to_json(const StoredDocument& document);

/// Serialises without throwing on invalid UTF-8 in stored text (replaced by U+FFFD).
[[nodiscard]] std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace vnsearch
