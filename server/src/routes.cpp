// What each route answers: the API, health, metrics, OpenSearch and the search page.
#include "html.h"
#include "messages.h"
#include "page.h"
#include "server_impl.h"

namespace vnsearch {

// ---- /api/search
void SearchServer::Impl::api_search(const httplib::Request& req, httplib::Response& res) {
  const server::Params params = server::parse_query_string(req.target);
  const auto parsed = server::parse_search_request(params, /*require_query=*/true);
  if (const auto* error = std::get_if<ApiError>(&parsed)) return send_error(res, *error);
  auto request = std::get<server::SearchRequest>(parsed);
  request.options.time_limit = options.query_time_limit;
  const auto snapshot = index.snapshot();
  auto searcher = index.lease();
  if (snapshot == nullptr || searcher == nullptr) {
    return unavailable(res, index.unavailable_reason());
  }
  if (not_modified(req, res, etag(*snapshot, canonical_params(params)))) return;
  const auto started = Clock::now();
  SearchResult result;
  {
    Slot slot(*search_slots, metrics);
    result = (*searcher)->search(request.query, request.options);
  }
  if (result.failure) return unavailable(res, *result.failure);
  ResultJsonContext context;
  context.query = request.query;
  context.page = request.page;
  context.per_page = request.per_page;
  context.sort = request.sort;
  context.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  send_json(res, 200, result_to_json(result, context));
}

// ---- /api/documents/{id}
void SearchServer::Impl::api_document(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches[1];
  const auto snapshot = index.snapshot();
  auto searcher = index.lease();
  if (snapshot == nullptr || searcher == nullptr) {
    return unavailable(res, index.unavailable_reason());
  }
  if (not_modified(req, res, etag(*snapshot, "document\n" + id))) return;
  try {
    const auto document = (*searcher)->document(id);
    if (!document) {
      res.set_header("Cache-Control", "no-cache");
      return send_error(res, {404, "unknown_document", "no document with id '" + id + "'"});
    }
    send_json(res, 200, document_to_json(*document));
  } catch (const std::exception& error) {
    unavailable(res, error.what());
  }
}

// ---- /api/stats
void SearchServer::Impl::api_stats(const httplib::Request&, httplib::Response& res) {
  const auto snapshot = index.snapshot();
  auto searcher = index.lease();
  if (snapshot == nullptr || searcher == nullptr) {
    return unavailable(res, index.unavailable_reason());
  }
  const std::string key = snapshot->directory.string() + "@" + std::to_string(snapshot->revision);
  {
    std::lock_guard lock(stats_mutex);
    if (key == stats_key) return send_json(res, 200, stats_cache);
  }
  try {
    Slot slot(*search_slots, metrics);
    const IndexOverview overview = (*searcher)->overview();
    json out = {{"documents", overview.documents},
                {"revision", overview.revision},
                {"generation", snapshot->directory.filename().string()},
                {"last_commit", server::iso_utc(snapshot->committed, false)},
                {"bytes_on_disk", overview.bytes_on_disk},
                {"first_date", overview.first_date},
                {"last_date", overview.last_date},
                {"dated_documents", overview.dated_documents},
                {"sources", overview.per_source},
                {"categories", overview.per_category},
                {"years", overview.per_year},
                {"syllable_model_revision", snapshot->model_revision}};
    {
      std::lock_guard lock(stats_mutex);
      stats_key = key;
      stats_cache = out;
    }
    send_json(res, 200, out);
  } catch (const std::exception& error) {
    unavailable(res, error.what());
  }
}

// ---- /healthz
void SearchServer::Impl::healthz(const httplib::Request&, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const auto snapshot = index.snapshot();
  if (snapshot == nullptr) {
    return send_json(res, 503, {{"status", "unavailable"}, {"error", index.unavailable_reason()}});
  }
  send_json(res, 200,
            {{"status", "ok"},
             {"documents", snapshot->documents},
             {"revision", snapshot->revision},
             {"generation", snapshot->directory.filename().string()},
             {"last_commit", server::iso_utc(snapshot->committed, false)},
             {"reopens", index.reopens()}});
}

// ---- /metrics
void SearchServer::Impl::metrics_page(const httplib::Request&, httplib::Response& res) {
  server::IndexGauges gauges;
  if (const auto snapshot = index.snapshot()) {
    gauges.open = true;
    gauges.documents = snapshot->documents;
    gauges.revision = snapshot->revision;
    gauges.last_commit_seconds =
        std::chrono::duration<double>(snapshot->committed.time_since_epoch()).count();
  }
  gauges.reopens = index.reopens();
  const server::SearchSlots::Usage usage = search_slots->usage();
  res.set_header("Cache-Control", "no-store");
  res.set_content(metrics.render(gauges, {usage.busy, usage.waiting}),
                  "text/plain; version=0.0.4; charset=utf-8");
}

// ---- /opensearch.xml: lets browsers add vnsearch as a search engine.
void SearchServer::Impl::opensearch(const httplib::Request& req, httplib::Response& res) {
  std::string host = req.get_header_value("Host");
  if (host.empty() || host.find_first_of(" /\\<>\"'") != std::string::npos) {
    host = options.host + ":" + std::to_string(req.local_port);
  }
  const std::string base = "http://" + server::escape_html(host);
  res.set_header("Cache-Control", "public, max-age=86400");
  res.set_content(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
      "  <ShortName>vnsearch</ShortName>\n"
      "  <Description>Tìm kiếm tin tức tiếng Việt</Description>\n"
      "  <InputEncoding>UTF-8</InputEncoding>\n"
      "  <Language>vi</Language>\n"
      "  <Url type=\"text/html\" method=\"get\" template=\"" +
          base +
          "/?q={searchTerms}\"/>\n"
          "  <Url type=\"application/json\" method=\"get\" template=\"" +
          base +
          "/api/search?q={searchTerms}\"/>\n"
          "  <Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"" +
          base +
          "/opensearch.xml\"/>\n"
          "</OpenSearchDescription>\n",
      "application/opensearchdescription+xml; charset=utf-8");
}

// ---- / : the search page
void SearchServer::Impl::page(const httplib::Request& req, httplib::Response& res) {
  const server::Params params = server::parse_query_string(req.target);
  const std::string hl = server::first_value(params, "hl");
  server::PageInput input;
  input.messages = &server::choose_messages(hl, req.get_header_value("Accept-Language"));
  input.hl = hl == "en" || hl == "vi" ? hl : "";
  res.set_header("Cache-Control", "no-cache");
  res.set_header("Content-Language", input.messages->lang);
  res.set_header("Vary", "Accept-Language");
  res.set_header("Content-Security-Policy", server::kPageSecurityPolicy);
  constexpr const char* kHtml = "text/html; charset=utf-8";
  auto parsed = server::parse_search_request(params, /*require_query=*/false);
  if (const auto* error = std::get_if<ApiError>(&parsed)) {
    input.error = error->message;
    res.status = error->status;
    return res.set_content(server::render_page(input), kHtml);
  }
  auto& request = std::get<server::SearchRequest>(parsed);
  const auto& filters = request.options.filters;
  const bool anything =
      !request.query.empty() || !filters.sources.empty() || !filters.categories.empty() ||
      !filters.years.empty() || !filters.persons.empty() || !filters.places.empty() ||
      !filters.organisations.empty() || !filters.date_from.empty() || !filters.date_to.empty();
  input.request = &request;
  if (!anything) {
    input.request = nullptr;
    return res.set_content(server::render_page(input), kHtml);
  }
  request.options.facets = true;
  request.options.timeline = true;  // the page draws it; the pass facets make anyway
  // The page shows one hit per story unless asked otherwise (collapse=0).
  if (params.count("collapse") == 0) request.options.collapse = true;
  request.options.time_limit = options.query_time_limit;
  auto searcher = index.lease();
  if (searcher == nullptr) {
    input.error = index.unavailable_reason();
    input.unavailable = true;
    res.status = 503;
    res.set_header("Retry-After", "5");
    return res.set_content(server::render_page(input), kHtml);
  }
  const auto started = Clock::now();
  SearchResult result;
  {
    Slot slot(*search_slots, metrics);
    result = (*searcher)->search(request.query, request.options);
  }
  input.took_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (result.failure) {
    input.error = *result.failure;
    input.unavailable = true;
    res.status = 503;
    res.set_header("Retry-After", "5");
    return res.set_content(server::render_page(input), kHtml);
  }
  input.result = &result;
  res.set_content(server::render_page(input), kHtml);
}

}  // namespace vnsearch
