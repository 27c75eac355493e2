// The server's state and handlers, shared by search_server.cpp (lifecycle, routing, CORS,
// logging, errors) and routes.cpp (what each route answers). Private to server/.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "admin.h"
#include "live_index.h"
#include "metrics.h"
#include "search_request.h"
#include "search_slots.h"
#include "vnsearch/result_json.h"
#include "vnsearch/schema.h"
#include "vnsearch/server.h"

namespace vnsearch {

namespace server {

inline constexpr const char* kJson = "application/json; charset=utf-8";

/// The pages' Content-Security-Policy: only the page's own style and script, no framing, forms
/// only back to the server, requests from script (completions) only to the server. Escaping is the
/// defence; this is the second wall.
inline constexpr const char* kPageSecurityPolicy =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `2026-12-01T11:23:22Z` (with `.123` before the Z when `milliseconds`).
[[nodiscard]] std::string iso_utc(std::chrono::system_clock::time_point time, bool milliseconds);

/// 16 lower-case hex digits.
[[nodiscard]] std::string hex(std::uint64_t value);

struct Route {
  const char* label;    // for metrics: a pattern, never a raw path
  const char* allowed;  // the Allow header
  bool api;             // errors as JSON (otherwise as the page or plain text)
};

}  // namespace server

struct SearchServer::Impl {
  using json = nlohmann::json;
  using ApiError = server::ApiError;
  using Clock = std::chrono::steady_clock;

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
  // Handed out first come, first served (search_slots.h says why not a semaphore).
  std::unique_ptr<server::SearchSlots> search_slots;

  // The socket cpp-httplib binds, to give it a larger listen backlog (SearchServer::bind).
  int listening_socket = -1;
  static constexpr int kListenBacklog = 1024;

  std::mutex stats_mutex;
  std::string stats_key;  // generation + revision the cached stats describe
  json stats_cache;

  explicit Impl(ServerOptions given);

  server::Route route_of(const std::string& path) const;

  static bool allows(const server::Route& route, const std::string& method) {
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

  // Holds one search slot for its lifetime; the wait for it goes to /metrics.
  struct Slot {
    Slot(server::SearchSlots& slots, server::Metrics& metrics) : held(slots) {
      metrics.observe_queue_wait(std::chrono::duration<double>(held.waited()).count());
    }
    server::SearchSlots::Held held;
  };

  static void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump_json(body), server::kJson);
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
    return "\"" + server::hex(hash) + "-" + std::to_string(snapshot.revision) + "-" +
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

  // What each route answers (routes.cpp).
  void api_search(const httplib::Request& req, httplib::Response& res);
  void api_document(const httplib::Request& req, httplib::Response& res);
  void api_related(const httplib::Request& req, httplib::Response& res);  // api_related.cpp
  void api_stats(const httplib::Request&, httplib::Response& res);
  void api_suggest(const httplib::Request& req, httplib::Response& res);  // suggest_route.cpp
  void healthz(const httplib::Request&, httplib::Response& res);
  void metrics_page(const httplib::Request&, httplib::Response& res);
  void opensearch(const httplib::Request& req, httplib::Response& res);
  void page(const httplib::Request& req, httplib::Response& res);

  // search_server.cpp: routing, headers, logging, the poller.
  void setup();
  void static_file(httplib::Response& res, std::string_view body, const char* type);
  void write_log(const httplib::Request& req, const httplib::Response& res, double seconds);
  void add_cors(const httplib::Request& req, httplib::Response& res);
  void reply(httplib::Response& res, const server::AdminAnswer& answer);
  void poll_loop();
};

}  // namespace vnsearch
