// The HTTP layer: routes, errors as JSON, caching headers, CORS, access log, metrics, the
// poller that keeps the index live, and a clean stop. Handlers never let an exception reach
// cpp-httplib: a client's request gets a 4xx, a broken index a 503.
#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <thread>

#include "admin.h"
#include "assets.h"
#include "html.h"
#include "live_index.h"
#include "messages.h"
#include "metrics.h"
#include "page.h"
#include "search_request.h"
#include "vnsearch/result_json.h"
#include "vnsearch/schema.h"
#include "vnsearch/server.h"

namespace vnsearch {

using nlohmann::json;
using server::ApiError;

namespace {

using Clock = std::chrono::steady_clock;

// When the current request started, per worker thread (a request is served on one thread).
thread_local Clock::time_point request_started{};

constexpr const char* kJson = "application/json; charset=utf-8";

std::string iso_utc(std::chrono::system_clock::time_point time, bool milliseconds) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
  std::string out = buffer;
  if (milliseconds) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() %
        1000;
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(ms));
    out += fraction;
  }
  return out + "Z";
}

std::string hex(std::uint64_t value) {
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

struct Route {
  const char* label;    // for metrics: a pattern, never a raw path
  const char* allowed;  // the Allow header
  bool api;             // errors as JSON (otherwise as the page or plain text)
};

}  // namespace

struct SearchServer::Impl {
  ServerOptions options;
  server::LiveIndex index;
  server::Metrics metrics;
  httplib::Server http;
  std::unique_ptr<server::Admin> admin;

  std::ofstream log_file;
  std::ostream* log = nullptr;
  std::mutex log_mutex;

  std::mutex stop_mutex;
  std::condition_variable stop_signal;
  bool stopping = false;

  // Searches running at once: --threads. Connections have threads of their own (cpp-httplib
  // keeps a thread per keep-alive connection), mostly waiting on sockets; the search work they
  // may do together is bounded here, so 64 connections cost 64 idle threads, not 64 searches.
  std::unique_ptr<std::counting_semaphore<>> search_slots;

  std::mutex stats_mutex;
  std::string stats_key;  // generation + revision the cached stats describe
  json stats_cache;

  explicit Impl(ServerOptions given) : options(std::move(given)), index(options.database) {
    if (!options.access_log.empty()) {
      if (options.access_log == "-") {
        log = &std::cout;
      } else {
        log_file.open(options.access_log, std::ios::app);
        if (!log_file) {
          throw std::runtime_error("cannot open access log " + options.access_log.string());
        }
        log = &log_file;
      }
    }
    if (!options.admin_token.empty()) {
      admin = std::make_unique<server::Admin>(options.database, options.admin_token, index);
    }
    setup();
  }

  Route route_of(const std::string& path) const {
    if (path == "/") return {"/", "GET, HEAD", false};
    if (path == "/api/search") return {"/api/search", "GET, HEAD", true};
    if (path == "/api/documents") {
      return {"/api/documents", admin ? "POST" : "", true};
    }
    if (path.rfind("/api/documents/", 0) == 0 && path.size() > 15 &&
        path.find('/', 15) == std::string::npos) {
      return {"/api/documents/{id}", admin ? "GET, HEAD, DELETE" : "GET, HEAD", true};
    }
    if (path == "/api/stats") return {"/api/stats", "GET, HEAD", true};
    if (path == "/healthz") return {"/healthz", "GET, HEAD", true};
    if (path == "/metrics") return {"/metrics", "GET, HEAD", false};
    if (path == "/opensearch.xml") return {"/opensearch.xml", "GET, HEAD", false};
    if (path == "/static/style.css" || path == "/static/app.js") {
      return {"/static/{file}", "GET, HEAD", false};
    }
    return {path.rfind("/api/", 0) == 0 ? "/api/{unknown}" : "{unknown}", "",
            path.rfind("/api/", 0) == 0};
  }

  static bool allows(const Route& route, const std::string& method) {
    const std::string allowed = route.allowed;
    std::size_t at = 0;
    while (at < allowed.size()) {
      std::size_t comma = allowed.find(", ", at);
      if (comma == std::string::npos) comma = allowed.size();
      if (allowed.compare(at, comma - at, method) == 0) return true;
      at = comma + 2;
    }
    return false;
  }

  // Holds one search slot for its lifetime.
  struct Slot {
    explicit Slot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
    ~Slot() { slots_.release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    std::counting_semaphore<>& slots_;
  };

  static void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump_json(body), kJson);
  }

  static void send_error(httplib::Response& res, const ApiError& error) {
    send_json(res, error.status, {{"error", {{"code", error.code}, {"message", error.message}}}});
  }

  void unavailable(httplib::Response& res, const std::string& why) {
    res.set_header("Retry-After", "5");
    send_error(res, {503, "index_unavailable", "the index cannot be searched: " + why});
  }

  // Keyed by the generation, its revision and the model's: any change of what a search would
  // answer changes the tag. `extra` is what else the answer depends on (the request).
  static std::string etag(const IndexSnapshot& snapshot, std::string_view extra) {
    std::uint64_t hash = schema::fnv1a(schema::kFnvOffsetBasis, snapshot.directory.string());
    hash = schema::fnv1a_separator(hash);
    hash = schema::fnv1a(hash, extra);
    return "\"" + hex(hash) + "-" + std::to_string(snapshot.revision) + "-" +
           std::to_string(snapshot.model_revision) + "\"";
  }

  // Sets ETag and Cache-Control; true when the client's copy is current (answer 304).
  static bool not_modified(const httplib::Request& req, httplib::Response& res,
                           const std::string& tag) {
    res.set_header("ETag", tag);
    res.set_header("Cache-Control", "public, no-cache");
    const std::string given = req.get_header_value("If-None-Match");
    if (!given.empty() && (given == tag || given == "W/" + tag || given == "*")) {
      res.status = 304;
      return true;
    }
    return false;
  }

  static std::string canonical_params(const server::Params& params) {
    std::string out;
    for (const auto& [name, value] : params) out += name + '=' + value + '&';  // sorted by name
    return out;
  }

  // ---- /api/search
  void api_search(const httplib::Request& req, httplib::Response& res) {
    const server::Params params = server::parse_query_string(req.target);
    const auto parsed = server::parse_search_request(params, /*require_query=*/true);
    if (const auto* error = std::get_if<ApiError>(&parsed)) return send_error(res, *error);
    const auto& request = std::get<server::SearchRequest>(parsed);
    const auto snapshot = index.snapshot();
    auto searcher = index.lease();
    if (snapshot == nullptr || searcher == nullptr) {
      return unavailable(res, index.unavailable_reason());
    }
    if (not_modified(req, res, etag(*snapshot, canonical_params(params)))) return;
    const auto started = Clock::now();
    SearchResult result;
    {
      Slot slot(*search_slots);
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
  void api_document(const httplib::Request& req, httplib::Response& res) {
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
  void api_stats(const httplib::Request&, httplib::Response& res) {
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
      Slot slot(*search_slots);
      const IndexOverview overview = (*searcher)->overview();
      json out = {{"documents", overview.documents},
                  {"revision", overview.revision},
                  {"generation", snapshot->directory.filename().string()},
                  {"last_commit", iso_utc(snapshot->committed, false)},
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
  void healthz(const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    const auto snapshot = index.snapshot();
    if (snapshot == nullptr) {
      return send_json(res, 503,
                       {{"status", "unavailable"}, {"error", index.unavailable_reason()}});
    }
    send_json(res, 200,
              {{"status", "ok"},
               {"documents", snapshot->documents},
               {"revision", snapshot->revision},
               {"generation", snapshot->directory.filename().string()},
               {"last_commit", iso_utc(snapshot->committed, false)},
               {"reopens", index.reopens()}});
  }

  // ---- /metrics
  void metrics_page(const httplib::Request&, httplib::Response& res) {
    server::IndexGauges gauges;
    if (const auto snapshot = index.snapshot()) {
      gauges.open = true;
      gauges.documents = snapshot->documents;
      gauges.revision = snapshot->revision;
      gauges.last_commit_seconds =
          std::chrono::duration<double>(snapshot->committed.time_since_epoch()).count();
    }
    gauges.reopens = index.reopens();
    res.set_header("Cache-Control", "no-store");
    res.set_content(metrics.render(gauges), "text/plain; version=0.0.4; charset=utf-8");
  }

  // ---- /opensearch.xml: lets browsers add vnsearch as a search engine.
  void opensearch(const httplib::Request& req, httplib::Response& res) {
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
  void page(const httplib::Request& req, httplib::Response& res) {
    const server::Params params = server::parse_query_string(req.target);
    const std::string hl = server::first_value(params, "hl");
    server::PageInput input;
    input.messages = &server::choose_messages(hl, req.get_header_value("Accept-Language"));
    input.hl = hl == "en" || hl == "vi" ? hl : "";
    res.set_header("Cache-Control", "no-cache");
    res.set_header("Content-Language", input.messages->lang);
    res.set_header("Vary", "Accept-Language");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                   "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    constexpr const char* kHtml = "text/html; charset=utf-8";
    auto parsed = server::parse_search_request(params, /*require_query=*/false);
    if (const auto* error = std::get_if<ApiError>(&parsed)) {
      input.error = error->message;
      res.status = error->status;
      return res.set_content(server::render_page(input), kHtml);
    }
    auto& request = std::get<server::SearchRequest>(parsed);
    const auto& filters = request.options.filters;
    const bool anything = !request.query.empty() || !filters.sources.empty() ||
                          !filters.categories.empty() || !filters.years.empty() ||
                          !filters.date_from.empty() || !filters.date_to.empty();
    input.request = &request;
    if (!anything) {
      input.request = nullptr;
      return res.set_content(server::render_page(input), kHtml);
    }
    request.options.facets = true;
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
      Slot slot(*search_slots);
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

  void static_file(httplib::Response& res, std::string_view body, const char* type) {
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(std::string(body), type);
  }

  void write_log(const httplib::Request& req, const httplib::Response& res, double seconds) {
    if (log == nullptr) return;
    std::string target = req.target.empty() ? req.path : req.target;
    for (char& ch : target) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == '"' || ch == 0x7f) ch = '?';
    }
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3fms", seconds * 1000);
    const std::string line = iso_utc(std::chrono::system_clock::now(), true) + " " +
                             req.remote_addr + " \"" + req.method + " " + target + "\" " +
                             std::to_string(res.status) + " " + std::to_string(res.body.size()) +
                             " " + duration + "\n";
    std::lock_guard lock(log_mutex);
    *log << line << std::flush;
  }

  void add_cors(const httplib::Request& req, httplib::Response& res) {
    if (options.cors_origin.empty()) return;
    const std::string origin = req.get_header_value("Origin");
    if (options.cors_origin == "*") {
      res.set_header("Access-Control-Allow-Origin", "*");
    } else if (origin == options.cors_origin) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
    } else {
      return;
    }
    res.set_header("Access-Control-Expose-Headers", "ETag, Retry-After");
  }

  void setup() {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned searches = options.threads != 0 ? options.threads : std::max(4u, 2 * cores);
    search_slots = std::make_unique<std::counting_semaphore<>>(searches);
    const unsigned connections = std::max(options.connection_threads, searches);
    http.new_task_queue = [connections] { return new httplib::ThreadPool(connections); };
    // cpp-httplib sets SO_REUSEPORT by default, which lets a second server bind the same port and
    // silently take half the traffic. SO_REUSEADDR alone still allows a restart while old
    // connections linger in TIME_WAIT.
    http.set_socket_options([](int sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_payload_max_length(options.max_body_bytes);
    http.set_keep_alive_max_count(1000);
    http.set_keep_alive_timeout(5);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      request_started = Clock::now();
      add_cors(req, res);
      const Route route = route_of(req.path);
      if (req.method == "OPTIONS" && route.allowed[0] != '\0') {
        // A CORS preflight (or a client asking what is allowed).
        res.status = 204;
        res.set_header("Allow", std::string(route.allowed) + ", OPTIONS");
        if (res.has_header("Access-Control-Allow-Origin")) {
          res.set_header("Access-Control-Allow-Methods", std::string(route.allowed) + ", OPTIONS");
          res.set_header("Access-Control-Allow-Headers",
                         "Authorization, Content-Type, If-None-Match");
          res.set_header("Access-Control-Max-Age", "600");
        }
        return httplib::Server::HandlerResponse::Handled;
      }
      if (route.allowed[0] != '\0' && !allows(route, req.method)) {
        res.set_header("Allow", route.allowed);
        const ApiError error{
            405, "method_not_allowed",
            req.method + " is not allowed on " + req.path + " (allowed: " + route.allowed + ")"};
        send_error(res, error);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });

    http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      const Route route = route_of(req.path);
      switch (res.status) {
        case 404:
          if (!route.api && req.get_header_value("Accept").find("text/html") != std::string::npos) {
            // A person followed a bad link: a page in their language, with the search box.
            server::PageInput input;
            input.messages = &server::choose_messages("", req.get_header_value("Accept-Language"));
            input.not_found = true;
            res.set_content(server::render_page(input), "text/html; charset=utf-8");
            break;
          }
          send_error(res, {404, "not_found",
                           "no such route: " + req.path + (route.api ? " (see docs/api.md)" : "")});
          break;
        case 413:
          send_error(res, {413, "body_too_large",
                           "the request body is larger than " +
                               std::to_string(options.max_body_bytes) + " bytes"});
          break;
        case 414:
          send_error(res, {414, "uri_too_long", "the request line is too long"});
          break;
        default:
          if (res.status >= 400) {
            send_error(res, {res.status, "bad_request", "the request could not be read"});
          }
      }
    });

    http.set_exception_handler(
        [this](const httplib::Request&, httplib::Response& res, std::exception_ptr failure) {
          // Handlers catch what a client can cause; reaching here is a server-side fault.
          std::string what = "unknown error";
          try {
            std::rethrow_exception(failure);
          } catch (const std::exception& error) {
            what = error.what();
          } catch (...) {
          }
          std::cerr << "vnsearch serve: internal error: " << what << "\n";
          send_error(res, {500, "internal_error", "internal error (logged by the server)"});
        });

    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const double seconds =
          request_started == Clock::time_point{}
              ? 0.0
              : std::chrono::duration<double>(Clock::now() - request_started).count();
      request_started = {};
      metrics.observe(route_of(req.path).label, res.status, seconds);
      write_log(req, res, seconds);
    });

    http.Get("/", [this](const httplib::Request& req, httplib::Response& res) { page(req, res); });
    http.Get("/api/search",
             [this](const httplib::Request& req, httplib::Response& res) { api_search(req, res); });
    http.Get("/api/documents/([^/]+)", [this](const httplib::Request& req, httplib::Response& res) {
      api_document(req, res);
    });
    http.Get("/api/stats",
             [this](const httplib::Request& req, httplib::Response& res) { api_stats(req, res); });
    http.Get("/healthz",
             [this](const httplib::Request& req, httplib::Response& res) { healthz(req, res); });
    http.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
      metrics_page(req, res);
    });
    http.Get("/opensearch.xml",
             [this](const httplib::Request& req, httplib::Response& res) { opensearch(req, res); });
    http.Get("/static/style.css", [this](const httplib::Request&, httplib::Response& res) {
      static_file(res, server::assets::kStyle, "text/css; charset=utf-8");
    });
    http.Get("/static/app.js", [this](const httplib::Request&, httplib::Response& res) {
      static_file(res, server::assets::kScript, "text/javascript; charset=utf-8");
    });
    if (admin) {
      http.Post("/api/documents", [this](const httplib::Request& req, httplib::Response& res) {
        const server::AdminAnswer answer =
            admin->add(req.get_header_value("Authorization"), req.body);
        reply(res, answer);
      });
      http.Delete("/api/documents/([^/]+)",
                  [this](const httplib::Request& req, httplib::Response& res) {
                    const server::AdminAnswer answer =
                        admin->remove(req.get_header_value("Authorization"), req.matches[1]);
                    reply(res, answer);
                  });
    }
  }

  void reply(httplib::Response& res, const server::AdminAnswer& answer) {
    for (const auto& [name, value] : answer.headers) res.set_header(name, value);
    send_json(res, answer.status, answer.body);
  }

  void poll_loop() {
    std::unique_lock lock(stop_mutex);
    while (!stopping) {
      stop_signal.wait_for(lock, options.poll_interval);
      if (stopping) break;
      lock.unlock();
      index.poll();
      lock.lock();
    }
  }
};

SearchServer::SearchServer(ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SearchServer::~SearchServer() {
  stop();
}

int SearchServer::bind() {
  const ServerOptions& options = impl_->options;
  const int port = options.port == 0 ? impl_->http.bind_to_any_port(options.host)
                   : impl_->http.bind_to_port(options.host, options.port) ? options.port
                                                                          : -1;
  if (port < 0) {
    throw std::runtime_error("cannot listen on " + options.host + ":" +
                             std::to_string(options.port) +
                             " (address in use, or not an address of this machine)");
  }
  return port;
}

void SearchServer::run() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stopping = false;
  }
  std::thread poller([this] { impl_->poll_loop(); });
  impl_->http.listen_after_bind();  // returns after stop(), once in-flight requests are done
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stopping = true;
  }
  impl_->stop_signal.notify_all();
  poller.join();
}

void SearchServer::stop() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stopping = true;
  }
  impl_->stop_signal.notify_all();
  impl_->http.stop();
}

}  // namespace vnsearch
