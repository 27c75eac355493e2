// GET /api/related/{id}: the articles related to one document, about the same event first, and
// its near-duplicate copies (docs/api.md). Parameters: limit (1–100, default 10), collapse (1 by
// default: one hit per story) and copies (list each hit's copies).
#include "server_impl.h"
#include "vnsearch/related.h"

namespace vnsearch {
namespace {

// Reads a 0/1 parameter into `target`; false when the value is neither.
bool read_flag(const server::Params& params, const std::string& name, bool& target) {
  const std::string value = server::first_value(params, name);
  if (value == "1" || value == "true") {
    target = true;
  } else if (value == "0" || value == "false") {
    target = false;
  } else if (!value.empty()) {
    return false;
  }
  return true;
}

}  // namespace

void SearchServer::Impl::api_related(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches[1];
  const server::Params params = server::parse_query_string(req.target);
  RelatedOptions related;
  for (const char* name : {"collapse", "copies"}) {
    bool& target = std::string(name) == "collapse" ? related.collapse : related.copies;
    if (!read_flag(params, name, target)) {
      return send_error(res, {400, "bad_parameter",
                              std::string(name) + " must be 1 or 0, not '" +
                                  server::first_value(params, name) + "'"});
    }
  }
  if (const std::string limit = server::first_value(params, "limit"); !limit.empty()) {
    const bool digits =
        limit.size() <= 3 && limit.find_first_not_of("0123456789") == std::string::npos;
    const std::size_t value = digits ? std::stoul(limit) : 0;
    if (value < 1 || value > RelatedOptions::kMaxLimit) {
      return send_error(res,
                        {400, "bad_parameter",
                         "limit must be a whole number from 1 to " +
                             std::to_string(RelatedOptions::kMaxLimit) + ", not '" + limit + "'"});
    }
    related.limit = value;
  }
  const auto snapshot = index.snapshot();
  auto searcher = index.lease();
  if (snapshot == nullptr || searcher == nullptr) {
    return unavailable(res, index.unavailable_reason());
  }
  if (not_modified(req, res, etag(*snapshot, "related\n" + id + "\n" + canonical_params(params)))) {
    return;
  }
  try {
    RelatedResult result;
    {
      Slot slot(*search_slots, metrics);
      result = (*searcher)->related(id, related);
    }
    if (!result.document) {
      res.set_header("Cache-Control", "no-cache");
      return send_error(res, {404, "unknown_document", "no document with id '" + id + "'"});
    }
    send_json(res, 200, related_to_json(id, result));
  } catch (const std::exception& error) {
    unavailable(res, error.what());
  }
}

}  // namespace vnsearch
