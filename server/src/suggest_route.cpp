// ---- /api/suggest: completions of what is being typed, and "did you mean" for it.
#include "server_impl.h"
#include "vnsearch/completion_table.h"

namespace vnsearch {

void SearchServer::Impl::api_suggest(const httplib::Request& req, httplib::Response& res) {
  const server::Params params = server::parse_query_string(req.target);
  const std::string text = server::first_value(params, "q");
  // The same limit as /api/search: a box sends what was typed, never kilobytes.
  if (text.size() > kMaxQueryBytes) {
    return send_error(res, {413, "query_too_long",
                            "q is " + std::to_string(text.size()) + " bytes; at most " +
                                std::to_string(kMaxQueryBytes) + " are accepted"});
  }
  const auto snapshot = index.snapshot();
  auto searcher = index.lease();
  if (snapshot == nullptr || searcher == nullptr) {
    return unavailable(res, index.unavailable_reason());
  }
  // Not cached by tag: the completion table is replaced just after the commit that changes the
  // revision, so a tag taken in between would pin an old list. Answers are small and quick.
  res.set_header("Cache-Control", "no-cache");
  json completions = json::array();
  json correction = nullptr;
  try {
    // Held like a search: typing fast must not let suggestions crowd out searches.
    Slot slot(*search_slots, metrics);
    for (const Completion& completion : snapshot->completions->complete(text)) {
      completions.push_back({{"text", completion.text},
                             {"kind", completion_kind_name(completion.kind)},
                             {"count", completion.count}});
    }
    if (const auto corrected = (*searcher)->correct(text)) {
      correction = {{"text", corrected->text},
                    {"original", corrected->original},
                    {"applied", corrected->applied},
                    {"kinds", corrected->kinds}};
    }
  } catch (const std::exception& error) {
    return unavailable(res, error.what());
  }
  send_json(res, 200, {{"query", text}, {"completions", completions}, {"correction", correction}});
}

}  // namespace vnsearch
