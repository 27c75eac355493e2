// The HTTP layer's lifecycle and plumbing: routing, method checks, errors as JSON, CORS, the
// access log and metrics, the poller that keeps the index live, and a clean stop. What each route
// answers is in routes.cpp. Handlers never let an exception reach cpp-httplib: a client's request
// gets a 4xx, a broken index a 503.
#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "assets.h"
#include "messages.h"
#include "page.h"
#include "server_impl.h"
#include "vnsearch/server.h"

namespace vnsearch {

namespace {

// When the current request started, per worker thread (a request is served on one thread).
thread_local std::chrono::steady_clock::time_point request_started{};

}  // namespace

std::string server::iso_utc(std::chrono::system_clock::time_point time, bool milliseconds) {
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

std::string server::hex(std::uint64_t value) {
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

SearchServer::Impl::Impl(ServerOptions given)
    : options(std::move(given)), index(options.database, options.shard_databases, options.shards) {
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
    server::AuthLimitOptions limits;
    limits.failures_allowed = options.admin_failures_per_minute;
    admin = std::make_unique<server::Admin>(options.database, options.admin_token, index, limits);
  }
  setup();
}

server::Route SearchServer::Impl::route_of(const std::string& path) const {
  if (path == "/") return {"/", "GET, HEAD", false};
  if (path == "/api/search") return {"/api/search", "GET, HEAD", true};
  if (path == "/api/documents") {
    return {"/api/documents", admin ? "POST" : "", true};
  }
  // An id may hold slashes (`vnexpress/2021/05/x`), sent as they are or as %2F: the path is
  // decoded before routing, so everything after the prefix is the id.
  if (path.rfind("/api/documents/", 0) == 0 && path.size() > 15) {
    return {"/api/documents/{id}", admin ? "GET, HEAD, DELETE" : "GET, HEAD", true};
  }
  if (path.rfind("/api/related/", 0) == 0 && path.size() > 13) {
    return {"/api/related/{id}", "GET, HEAD", true};
  }
  if (path == "/api/stats") return {"/api/stats", "GET, HEAD", true};
  if (path == "/api/suggest") return {"/api/suggest", "GET, HEAD", true};
  if (path == "/healthz") return {"/healthz", "GET, HEAD", true};
  if (path == "/metrics") return {"/metrics", "GET, HEAD", false};
  if (path == "/opensearch.xml") return {"/opensearch.xml", "GET, HEAD", false};
  if (path == "/static/style.css" || path == "/static/app.js" || path == "/static/suggest.js") {
    return {"/static/{file}", "GET, HEAD", false};
  }
  return {path.rfind("/api/", 0) == 0 ? "/api/{unknown}" : "{unknown}", "",
          path.rfind("/api/", 0) == 0};
}

void SearchServer::Impl::static_file(httplib::Response& res, std::string_view body,
                                     const char* type) {
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(std::string(body), type);
}

void SearchServer::Impl::write_log(const httplib::Request& req, const httplib::Response& res,
                                   double seconds) {
  if (log == nullptr) return;
  std::string target = req.target.empty() ? req.path : req.target;
  for (char& ch : target) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == '"' || ch == 0x7f) ch = '?';
  }
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3fms", seconds * 1000);
  const std::string line = server::iso_utc(std::chrono::system_clock::now(), true) + " " +
                           req.remote_addr + " \"" + req.method + " " + target + "\" " +
                           std::to_string(res.status) + " " + std::to_string(res.body.size()) +
                           " " + duration + "\n";
  std::lock_guard lock(log_mutex);
  *log << line << std::flush;
}

void SearchServer::Impl::add_cors(const httplib::Request& req, httplib::Response& res) {
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

void SearchServer::Impl::setup() {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned searches = options.threads != 0 ? options.threads : std::max(4u, 2 * cores);
  search_slots = std::make_unique<server::SearchSlots>(searches);
  const unsigned connections = std::max(options.max_connections, 1u);
  http.new_task_queue = [connections] { return new httplib::ThreadPool(connections); };
  // cpp-httplib sets SO_REUSEPORT by default, which lets a second server bind the same port and
  // silently take half the traffic. SO_REUSEADDR alone still allows a restart while old
  // connections linger in TIME_WAIT.
  http.set_socket_options([this](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening_socket = sock;  // the last one made is the one bound (bind() below)
  });
  http.set_payload_max_length(options.max_body_bytes);
  http.set_keep_alive_max_count(1000);
  // Per read and per write, as cpp-httplib applies them: a client sending nothing, or not
  // reading, is dropped after this long and its connection's place goes to the next client.
  const auto split = [](std::chrono::milliseconds time) {
    const auto clamped = std::max(time, std::chrono::milliseconds(1));
    return std::pair<time_t, time_t>(clamped.count() / 1000, clamped.count() % 1000 * 1000);
  };
  const auto [read_seconds, read_micros] = split(options.read_timeout);
  http.set_read_timeout(read_seconds, read_micros);
  const auto [write_seconds, write_micros] = split(options.write_timeout);
  http.set_write_timeout(write_seconds, write_micros);
  http.set_keep_alive_timeout(
      std::max<time_t>(1, std::chrono::ceil<std::chrono::seconds>(options.idle_timeout).count()));

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_started = Clock::now();
    // On every answer: no MIME sniffing of JSON or text into HTML, and links out of a results
    // page tell the news site only where the reader came from, never the query.
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
    add_cors(req, res);
    const server::Route route = route_of(req.path);
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
    const server::Route route = route_of(req.path);
    switch (res.status) {
      case 404:
        if (!route.api && req.get_header_value("Accept").find("text/html") != std::string::npos) {
          // A person followed a bad link: a page in their language, with the search box.
          server::PageInput input;
          input.messages = &server::choose_messages("", req.get_header_value("Accept-Language"));
          input.not_found = true;
          res.set_header("Content-Security-Policy", server::kPageSecurityPolicy);
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
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr failure) {
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
  http.Get("/api/documents/(.+)",
           [this](const httplib::Request& req, httplib::Response& res) { api_document(req, res); });
  http.Get("/api/related/(.+)",
           [this](const httplib::Request& req, httplib::Response& res) { api_related(req, res); });
  http.Get("/api/stats",
           [this](const httplib::Request& req, httplib::Response& res) { api_stats(req, res); });
  http.Get("/api/suggest",
           [this](const httplib::Request& req, httplib::Response& res) { api_suggest(req, res); });
  http.Get("/healthz",
           [this](const httplib::Request& req, httplib::Response& res) { healthz(req, res); });
  http.Get("/metrics",
           [this](const httplib::Request& req, httplib::Response& res) { metrics_page(req, res); });
  http.Get("/opensearch.xml",
           [this](const httplib::Request& req, httplib::Response& res) { opensearch(req, res); });
  http.Get("/static/style.css", [this](const httplib::Request&, httplib::Response& res) {
    static_file(res, server::assets::kStyle, "text/css; charset=utf-8");
  });
  http.Get("/static/app.js", [this](const httplib::Request&, httplib::Response& res) {
    static_file(res, server::assets::kScript, "text/javascript; charset=utf-8");
  });
  http.Get("/static/suggest.js", [this](const httplib::Request&, httplib::Response& res) {
    static_file(res, server::assets::kSuggestScript, "text/javascript; charset=utf-8");
  });
  if (admin) {
    http.Post("/api/documents", [this](const httplib::Request& req, httplib::Response& res) {
      const server::AdminAnswer answer =
          admin->add(req.remote_addr, req.get_header_value("Authorization"), req.body);
      reply(res, answer);
    });
    http.Delete("/api/documents/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
      const server::AdminAnswer answer =
          admin->remove(req.remote_addr, req.get_header_value("Authorization"), req.matches[1]);
      reply(res, answer);
    });
  }
}

void SearchServer::Impl::reply(httplib::Response& res, const server::AdminAnswer& answer) {
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  send_json(res, answer.status, answer.body);
}

void SearchServer::Impl::poll_loop() {
  std::unique_lock lock(stop_mutex);
  while (!stopping) {
    stop_signal.wait_for(lock, options.poll_interval);
    if (stopping) break;
    lock.unlock();
    index.poll();
    lock.lock();
  }
}

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
  // Debian's cpp-httplib is a compiled library that listens with a backlog of 5. When wrk (or a
  // portal's proxy after a restart) opens dozens of connections at once, the kernel drops the
  // handshakes past it and those clients wait 1, 2, 4... s for a retransmission: the soak's
  // only errors were requests answered after more than 10 s that way. Listening again on the
  // bound socket sets a larger backlog (Linux caps it at net.core.somaxconn).
  if (impl_->listening_socket >= 0) ::listen(impl_->listening_socket, Impl::kListenBacklog);
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
