#include "vnsearch/result_json.h"

namespace vnsearch {

nlohmann::json hit_to_json(const Hit& hit) {
  nlohmann::json matches = nlohmann::json::array();
  for (const Snippet::Range& range : hit.snippet.matches) {
    matches.push_back({range.begin, range.end});
  }
  nlohmann::json copies = nlohmann::json::array();
  for (const StoryCopy& copy : hit.copies) {
    copies.push_back({{"id", copy.id},
                      {"title", copy.title},
                      {"date", copy.date},
                      {"source", copy.source},
                      {"url", copy.url}});
  }
  return {{"id", hit.id},
          {"title", hit.title},
          {"url", hit.url},
          {"date", hit.date},
          {"source", hit.source},
          {"category", hit.category},
          {"description", hit.description},
          {"author", hit.author},
          {"tags", hit.tags},
          {"score", hit.score},
          {"snippet", render_snippet(hit.snippet, {"<mark>", "</mark>", true})},
          {"snippet_text", hit.snippet.text},
          {"snippet_matches", matches},
          {"collapse_count", hit.collapse_count},
          {"copies", copies}};
}

nlohmann::json result_to_json(const SearchResult& result, const ResultJsonContext& context) {
  nlohmann::json hits = nlohmann::json::array();
  for (const Hit& hit : result.hits) hits.push_back(hit_to_json(hit));
  nlohmann::json facets = nlohmann::json::object();
  for (const auto& [name, counts] : result.facets) {
    nlohmann::json values = nlohmann::json::array();
    for (const FacetCount& count : counts) {
      values.push_back({{"value", count.value}, {"count", count.count}});
    }
    facets[name] = values;
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const SearchNote& note : result.notes) {
    notes.push_back({{"code", note_code_name(note.code)}, {"text", note.text}});
  }
  nlohmann::json correction = nullptr;
  if (result.correction) {
    correction = {{"text", result.correction->text},
                  {"original", result.correction->original},
                  {"applied", result.correction->applied},
                  {"kinds", result.correction->kinds}};
  }
  nlohmann::json out = {
      {"query", context.query},
      {"correction", correction},
      {"readings", result.readings},
      {"total",
       {{"value", result.estimated_matches}, {"relation", result.exact_count ? "eq" : "gte"}}},
      {"took_ms", context.took_ms},
      {"page", context.page},
      {"per_page", context.per_page},
      {"sort", context.sort},
      {"hits", hits},
      {"facets", facets},
      {"notes", notes},
      {"partial", !result.unavailable_shards.empty()},
      {"unavailable_shards", result.unavailable_shards},
      {"message", result.message}};
  if (result.timeline) out["timeline"] = timeline_to_json(*result.timeline);
  return out;
}

nlohmann::json timeline_to_json(const Timeline& timeline) {
  nlohmann::json buckets = nlohmann::json::array();
  for (const TimelineBucket& bucket : timeline.buckets) {
    buckets.push_back({{"period", bucket.period}, {"count", bucket.count}});
  }
  return {{"unit", timeline.unit},
          {"buckets", buckets},
          {"undated", timeline.undated},
          {"total", timeline.total},
          {"complete", timeline.complete}};
}

nlohmann::json document_to_json(const StoredDocument& document) {
  return {
      {"id", document.id},     {"title", document.title},   {"description", document.description},
      {"body", document.body}, {"date", document.date},     {"source", document.source},
      {"url", document.url},   {"author", document.author}, {"category", document.category},
      {"tags", document.tags}};
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vnsearch
