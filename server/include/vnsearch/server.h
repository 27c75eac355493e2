// The vnsearch HTTP server: the JSON API (docs/api.md), the search page at `/`, health and
// metrics, over one shared index that follows the indexer live (docs/server.md). Nothing below
// server/ knows HTTP; this library is the only one that does.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "vnsearch/shard_sources.h"

namespace vnsearch {

/// How `vnsearch serve` runs.
struct ServerOptions {
  std::filesystem::path database;  ///< the path given to `vnsearch index --db`
  /// Several databases searched as one (vnsearch/shard_sources.h); when set, `database` only
  /// names the first in messages.
  std::vector<std::string> shard_databases;
  ShardOptions shards;             ///< how `shard_databases` are opened
  std::string host = "127.0.0.1";  ///< loopback unless told otherwise
  int port = 8080;                 ///< 0: any free port (tests)
  unsigned threads = 0;            ///< searches run at once; 0: two per core, at least 4
  /// The connection cap: connections served at once (cpp-httplib gives each open connection a
  /// thread, mostly waiting on the socket). Clients beyond it wait, unread, until one closes;
  /// the timeouts below bound how long an idle or slow client can hold its place.
  unsigned max_connections = 128;
  /// How long one read may wait for the client's next bytes (the request line, a header, the
  /// body) before the connection is closed: an idle or stalled client frees its place after this.
  std::chrono::milliseconds read_timeout{5000};
  /// How long one write may wait for a client that does not read its answer.
  std::chrono::milliseconds write_timeout{10000};
  /// How long a connection may sit silent before its first request or between requests
  /// (whole seconds, at least 1): a client that connects and says nothing is dropped after this.
  std::chrono::milliseconds idle_timeout{5000};
  /// Bearer token enabling POST/DELETE /api/documents; empty: writes are disabled (404).
  std::string admin_token;
  /// Origin allowed to call the API from a browser (`*` for any); empty: no CORS headers.
  std::string cors_origin;
  /// One line per request goes here; empty: no access log; "-": standard output.
  std::filesystem::path access_log;
  /// How often the server looks for new commits or a `--fresh` swap.
  std::chrono::milliseconds poll_interval{500};
  /// Failed admin tokens one client address may send per minute; beyond, it gets 429 (even
  /// with the right token) until the minute is over.
  std::size_t admin_failures_per_minute = 10;
  /// How long one search may spend counting every match for facets and totals
  /// (SearchOptions::time_limit); past it the counts become estimates and the answer carries a
  /// `count_cut` note. 0: no limit.
  std::chrono::milliseconds query_time_limit{2000};
  /// Largest request body accepted (POST /api/documents); larger ones get 413.
  std::size_t max_body_bytes = 16 * 1024 * 1024;
};

/// Caps on what one search request may ask for (docs/api.md).
inline constexpr std::size_t kMaxPerPage = 100;
inline constexpr std::size_t kMaxResultWindow = 10'000;  ///< page × per_page

class SearchServer {
 public:
  /// Prepares the server; the database need not exist yet (searches answer 503 until it does).
  /// Throws std::runtime_error when the access log cannot be opened.
  explicit SearchServer(ServerOptions options);
  ~SearchServer();
  SearchServer(const SearchServer&) = delete;
  SearchServer& operator=(const SearchServer&) = delete;

  /// Binds the listening socket and returns the port. Throws std::runtime_error naming the
  /// address when it cannot bind.
  int bind();

  /// Serves until stop(); in-flight requests finish before it returns.
  void run();

  /// Asks run() to return. Thread-safe; not for a signal handler (use a signal thread).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnsearch
