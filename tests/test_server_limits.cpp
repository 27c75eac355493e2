// The server's defences (docs/security.md), each driven as an attacker would: idle and stalled
// clients against the connection cap and the read timeout, encoded `..` against the static
// files, markup in ids and facet values, the response headers of the page, and guessing the
// admin token against the failure limit.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth_limiter.h"
#include "raw_socket.h"
#include "search_slots.h"
#include "server_fixture.h"

using vnsearch::test::raw_exchange;
using vnsearch::test::RawSocket;

namespace {

// Articles whose id, source, category and title carry markup: every place the page echoes them.
std::vector<json> hostile_articles() {
  std::vector<json> docs;
  docs.push_back(article("<script>alert('id')", "Ngựa vằn <script>alert(1)</script>",
                         "Đàn ngựa vằn chạy trên thảo nguyên.", "2021-05-04T10:00:00+07:00",
                         "<script>alert('nguồn')</script>", "\"><img src=x onerror=alert(2)>"));
  // Ids made from URL paths keep their slashes (and a `..`, which is no file path here).
  docs.push_back(article("vnexpress/2021/05/../ngua-van", "Ngựa vằn ở Hà Nội",
                         "Một con ngựa vằn được thấy ở Hà Nội.", "2021-05-05", "VnExpress",
                         "Động vật"));
  for (int i = 0; i < 5; ++i) {
    docs.push_back(article("zebra-" + std::to_string(i), "Ngựa vằn số " + std::to_string(i),
                           "Đàn ngựa vằn ở thảo nguyên.", "2020-01-0" + std::to_string(1 + i),
                           "Báo Chẵn", "Động vật"));
  }
  return docs;
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace

TEST_CASE("idle and stalled clients do not starve others; past the cap they are dropped",
          "[server][limits][slowloris]") {
  vnsearch::ServerOptions options = on(shared_index().database());
  options.max_connections = 8;
  options.read_timeout = 2000ms;
  options.idle_timeout = 2000ms;
  RunningServer server(options);

  // Six of the eight places taken: three connect and say nothing (dropped after the idle
  // timeout), three send half a request and then one more byte every 300 ms, never finishing
  // the header, for at most 8 s (each read succeeds within the read timeout: they hold their
  // place, which is what the cap bounds).
  std::vector<std::unique_ptr<RawSocket>> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(std::make_unique<RawSocket>(server.port()));
  std::atomic<bool> stop_trickle{false};
  std::vector<std::thread> tricklers;
  for (int i = 0; i < 3; ++i) {
    tricklers.emplace_back([&, i] {
      RawSocket socket(server.port());
      socket.send("GET /api/search?q=" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      const auto start = std::chrono::steady_clock::now();
      while (!stop_trickle && since(start) < 8s) {
        if (!socket.send("a")) break;
        std::this_thread::sleep_for(300ms);
      }
    });
  }
  std::this_thread::sleep_for(200ms);

  // Everyone else is served at once, on the places left.
  std::chrono::milliseconds slowest{0};
  for (int i = 0; i < 20; ++i) {
    httplib::Client client("127.0.0.1", server.port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(5, 0);
    const auto start = std::chrono::steady_clock::now();
    const auto answer = client.Get("/api/search?q=ng%E1%BB%B1a&per_page=3");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    slowest = std::max(slowest, since(start));
  }
  INFO("slowest of 20 searches beside 6 slow clients: " << slowest.count() << " ms");
  CHECK(slowest < 1500ms);  // never made to wait for a timeout (2 s)

  // The silent ones were dropped after the idle timeout; their places are free again.
  for (auto& socket : idle) {
    socket->read_all(6s);
    CHECK(socket->closed_by_server());
  }
  stop_trickle = true;
  for (auto& thread : tricklers) thread.join();

  // Past the cap: eight silent clients take every place. The next client waits only until the
  // idle timeout drops them, not forever.
  std::vector<std::unique_ptr<RawSocket>> flood;
  for (int i = 0; i < 8; ++i) flood.push_back(std::make_unique<RawSocket>(server.port()));
  std::this_thread::sleep_for(100ms);
  httplib::Client late("127.0.0.1", server.port());
  late.set_read_timeout(10, 0);
  const auto start = std::chrono::steady_clock::now();
  const auto answer = late.Get("/healthz");
  REQUIRE(answer);
  CHECK(answer->status == 200);
  const auto waited = since(start);
  INFO("waited " << waited.count() << " ms behind 8 silent connections");
  CHECK(waited >= 500ms);  // it really queued (a free place answers in milliseconds)...
  CHECK(waited < 5000ms);  // ...until the 2 s idle timeout freed a place
}

TEST_CASE("a client that stops reading its answer is dropped after the write timeout",
          "[server][limits][slowloris]") {
  vnsearch::ServerOptions options = on(shared_index().database());
  options.max_connections = 4;
  options.write_timeout = 500ms;
  RunningServer server(options);
  // 200 large answers asked for on one connection with a tiny receive window, and not read: the
  // server's write blocks once the socket buffers are full, times out after 0.5 s and closes.
  // With the 10 s default it would still be waiting when the client starts reading, and all 200
  // answers would arrive.
  std::string requests;
  for (int i = 0; i < 200; ++i) {
    requests += "GET /api/search?q=ng%E1%BB%B1a&per_page=100 HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  RawSocket greedy(server.port(), /*receive_buffer=*/4096);
  REQUIRE(greedy.send(requests));
  // Wait until the server has stopped completing searches for 1.5 s: its write is blocked (and,
  // with the 0.5 s write timeout, given up). Bounded, and independent of how fast searches are
  // (a sanitized build needs seconds to fill the socket buffers).
  httplib::Client watcher("127.0.0.1", server.port());
  watcher.set_read_timeout(5, 0);
  const auto searches_done = [&] {
    const auto metrics = watcher.Get("/metrics");
    const std::string key = "vnsearch_http_requests_total{route=\"/api/search\",status=\"200\"} ";
    if (!metrics) return std::string();
    const auto at = metrics->body.find(key);
    return at == std::string::npos
               ? std::string("0")
               : metrics->body.substr(at + key.size(),
                                      metrics->body.find('\n', at) - at - key.size());
  };
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  std::string last = searches_done();
  auto stable_since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < give_up && since(stable_since) < 1500ms) {
    std::this_thread::sleep_for(100ms);
    const std::string now = searches_done();
    if (now != last) {
      last = now;
      stable_since = std::chrono::steady_clock::now();
    }
  }
  const std::string received = greedy.read_all(20s);
  CHECK(greedy.closed_by_server());
  std::size_t answers = 0;
  for (auto at = received.find("HTTP/1.1 200"); at != std::string::npos;
       at = received.find("HTTP/1.1 200", at + 1)) {
    ++answers;
  }
  INFO(answers << " answers of 200 delivered before the server gave up");
  CHECK(answers < 200);
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(5, 0);
  const auto answer = client.Get("/healthz");
  REQUIRE(answer);
  CHECK(answer->status == 200);
}

TEST_CASE("no path traversal: encoded .. never leaves the two compiled-in static files",
          "[server][security]") {
  RunningServer server(on(shared_index().database()));
  const std::vector<std::string> targets = {
      "/static/../../../../etc/passwd",
      "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/static/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/static/..%2f..%2f..%2fCMakeLists.txt",
      "/static/%252e%252e/%252e%252e/etc/passwd",
      "/static/style.css/../../../etc/passwd",
      "/static/..\\..\\..\\etc\\passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/static/style.css%00.txt",
  };
  for (const std::string& target : targets) {
    INFO(target);
    const std::string answer = raw_exchange(
        server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    REQUIRE_FALSE(answer.empty());
    const bool refused =
        answer.rfind("HTTP/1.1 404", 0) == 0 || answer.rfind("HTTP/1.1 400", 0) == 0;
    CHECK(refused);
    CHECK_FALSE(contains(answer, "root:"));
    CHECK_FALSE(contains(answer, "cmake_minimum_required"));
  }
  // A request line longer than 8 KiB is refused before any parameter is read.
  const auto long_line = server.client().Get("/api/search?q=" + std::string(9000, 'a'));
  check_error(long_line, 414, "uri_too_long");
  // The real files are still there.
  auto client = server.client();
  CHECK(client.Get("/static/style.css")->status == 200);
}

TEST_CASE("security headers on the page and on every answer", "[server][security]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  for (const char* target : {"/", "/?q=ng%E1%BB%B1a", "/?page=abc"}) {
    INFO(target);
    const auto page = client.Get(target);
    REQUIRE(page);
    const std::string policy = page->get_header_value("Content-Security-Policy");
    CHECK(contains(policy, "default-src 'none'"));
    CHECK(contains(policy, "script-src 'self'"));
    CHECK(contains(policy, "frame-ancestors 'none'"));
    CHECK_FALSE(contains(policy, "unsafe-inline"));
    CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(page->get_header_value("Referrer-Policy") == "strict-origin-when-cross-origin");
    CHECK(page->get_header_value_count("X-Content-Type-Options") == 1);
  }
  httplib::Headers html = {{"Accept", "text/html"}};
  const auto missing = client.Get("/no/such/page", html);
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(contains(missing->get_header_value("Content-Security-Policy"), "default-src 'none'"));
  for (const char* target : {"/api/search?q=a", "/api/stats", "/healthz", "/metrics",
                             "/static/app.js", "/api/nothing"}) {
    INFO(target);
    const auto answer = client.Get(target);
    REQUIRE(answer);
    CHECK(answer->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(answer->get_header_value("Referrer-Policy") == "strict-origin-when-cross-origin");
  }
}

TEST_CASE("markup in an id and in facet values is escaped on the page and in JSON",
          "[server][security][xss]") {
  TempDir dir("vnsearch-server-hostile");
  index_into(dir / "db", dir.write("hostile.jsonl", jsonl(hostile_articles())));
  RunningServer server(on(dir / "db"));
  auto client = server.client();

  const auto page = client.Get("/?q=ng%E1%BB%B1a%20v%E1%BA%B1n");
  REQUIRE(page);
  REQUIRE(page->status == 200);
  const std::string& html = page->body;
  CHECK_FALSE(contains(html, "<script>alert"));
  CHECK_FALSE(contains(html, "<img src=x"));
  CHECK_FALSE(contains(html, "\"><img"));
  // The facet value is shown escaped, and its link carries it percent-encoded.
  CHECK(contains(html, "&lt;script&gt;alert(&#39;nguồn&#39;)&lt;/script&gt;"));
  CHECK(contains(html, "source=%3Cscript%3E"));
  std::size_t scripts = 0;
  for (auto at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) {
    ++scripts;
  }
  CHECK(scripts == 2);  // the page's own: app.js and suggest.js

  // Filtering by the hostile facet value echoes it in the page's filter chips, escaped.
  const auto filtered =
      client.Get("/?q=ng%E1%BB%B1a&source=%3Cscript%3Ealert(%27ngu%E1%BB%93n%27)%3C%2Fscript%3E");
  REQUIRE(filtered);
  CHECK(filtered->status == 200);
  CHECK_FALSE(contains(filtered->body, "<script>alert"));

  // The id through the API: JSON-escaped data, served as JSON that browsers will not sniff.
  const auto document = client.Get("/api/documents/%3Cscript%3Ealert('id')");
  REQUIRE(document);
  CHECK(document->status == 200);
  CHECK(body_json(document)["id"] == "<script>alert('id')");
  CHECK(document->get_header_value("Content-Type").find("application/json") == 0);
  CHECK(document->get_header_value("X-Content-Type-Options") == "nosniff");
  // Slashes in an id, sent encoded or as they are.
  for (const std::string path :
       {"vnexpress%2F2021%2F05%2F..%2Fngua-van", "vnexpress/2021/05/%2E%2E/ngua-van"}) {
    INFO(path);
    const auto slashed = client.Get("/api/documents/" + path);
    REQUIRE(slashed);
    CHECK(slashed->status == 200);
    CHECK(body_json(slashed)["id"] == "vnexpress/2021/05/../ngua-van");
    const auto related = client.Get("/api/related/" + path);
    REQUIRE(related);
    CHECK(related->status == 200);
  }
  const auto unknown = client.Get("/api/documents/%3Cscript%3Ex");
  check_error(unknown, 404, "unknown_document");
  CHECK(unknown->get_header_value("Content-Type").find("application/json") == 0);
}

TEST_CASE("failed admin tokens are limited per client address", "[server][security][admin]") {
  TempDir dir("vnsearch-server-auth");
  index_into(dir / "db", dir.write("a.jsonl", jsonl(hostile_articles())));
  vnsearch::ServerOptions options = on(dir / "db");
  options.admin_token = kToken;
  options.admin_failures_per_minute = 5;
  RunningServer server(options);
  auto client = server.client();
  const std::string body = article("new-1", "Tin mới", "Nội dung", "", "Báo", "Tin").dump() + "\n";
  for (int i = 0; i < 5; ++i) {
    httplib::Headers wrong = {{"Authorization", "Bearer wrong-token-" + std::to_string(i)}};
    check_error(client.Post("/api/documents", wrong, body, "application/x-ndjson"), 401,
                "unauthorized");
  }
  // The sixth try is refused without looking at the token, the right one included.
  httplib::Headers wrong = {{"Authorization", "Bearer wrong-token-6"}};
  const auto limited = client.Post("/api/documents", wrong, body, "application/x-ndjson");
  check_error(limited, 429, "too_many_failures");
  const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 60);
  httplib::Headers right = {{"Authorization", "Bearer " + kToken}};
  check_error(client.Post("/api/documents", right, body, "application/x-ndjson"), 429,
              "too_many_failures");
  check_error(client.Delete("/api/documents/zebra-1", right), 429, "too_many_failures");
  // Nothing was written by any of them.
  check_error(client.Get("/api/documents/new-1"), 404, "unknown_document");
}

TEST_CASE("the failure limit forgets an address after its window", "[server][security][admin]") {
  vnsearch::server::AuthLimitOptions limits;
  limits.failures_allowed = 2;
  limits.window = 60s;
  limits.addresses_remembered = 3;
  vnsearch::server::AuthLimiter limiter(limits);
  const auto t0 = vnsearch::server::AuthLimiter::Clock::now();
  CHECK_FALSE(limiter.refused("10.0.0.1", t0));
  limiter.failed("10.0.0.1", t0);
  CHECK_FALSE(limiter.refused("10.0.0.1", t0 + 1s));
  limiter.failed("10.0.0.1", t0 + 1s);
  REQUIRE(limiter.refused("10.0.0.1", t0 + 2s));
  CHECK(limiter.refused("10.0.0.1", t0 + 2s)->count() == 58);
  CHECK_FALSE(limiter.refused("10.0.0.2", t0 + 2s));   // per address
  CHECK_FALSE(limiter.refused("10.0.0.1", t0 + 61s));  // the window is over
  // A flood of addresses cannot grow the table without bound.
  for (int i = 0; i < 100; ++i) limiter.failed("10.1.0." + std::to_string(i), t0 + 62s);
  CHECK_FALSE(limiter.refused("10.1.0.0", t0 + 62s));
}

// The soak found requests waiting over ten seconds for a search slot while the median wait was
// 0.3 s: a semaphore hands a freed slot to whichever waiter wins the race. The slots must go
// to the waiters in the order they came.
TEST_CASE("search slots are handed out first come, first served", "[server][load]") {
  using vnsearch::server::SearchSlots;
  SearchSlots slots(1);
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  auto wait_until_queued = [&](std::size_t count) {
    const auto start = std::chrono::steady_clock::now();
    while (slots.usage().waiting < count) {
      REQUIRE(since(start) < std::chrono::seconds(10));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  {
    SearchSlots::Held first(slots);
    CHECK(slots.usage().busy == 1);
    constexpr int kWaiters = 12;
    for (int i = 0; i < kWaiters; ++i) {
      waiters.emplace_back([&, i] {
        SearchSlots::Held held(slots);
        std::lock_guard lock(order_mutex);
        order.push_back(i);
      });
      wait_until_queued(static_cast<std::size_t>(i) + 1);  // arrival order is i
    }
    CHECK(slots.usage().waiting == kWaiters);
  }  // frees the slot: the queue drains one by one, oldest first
  for (std::thread& waiter : waiters) waiter.join();
  std::vector<int> expected(waiters.size());
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int>(i);
  CHECK(order == expected);
  const SearchSlots::Usage usage = slots.usage();
  CHECK(usage.busy == 0);
  CHECK(usage.waiting == 0);
  CHECK(usage.served == 13);
  CHECK(usage.longest_wait_seconds > 0);
}

TEST_CASE("a freed slot goes to the queue, not to a request arriving just then", "[server][load]") {
  using vnsearch::server::SearchSlots;
  SearchSlots slots(2);
  std::atomic<bool> queued_one_got_it{false};
  std::thread queued;
  {
    SearchSlots::Held a(slots);
    auto b = std::make_unique<SearchSlots::Held>(slots);
    queued = std::thread([&] {
      SearchSlots::Held held(slots);
      queued_one_got_it = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    });
    const auto start = std::chrono::steady_clock::now();
    while (slots.usage().waiting < 1) {
      REQUIRE(since(start) < std::chrono::seconds(10));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    b.reset();  // the slot is handed to the queued request before this returns
    CHECK(slots.usage().busy == 2);
    CHECK(slots.usage().waiting == 0);
  }
  queued.join();
  CHECK(queued_one_got_it);
}

// A burst of connections (wrk's 64 at once, a portal behind a proxy after a restart) must find
// room in the accept queue: with cpp-httplib's default backlog of 5 the kernel dropped the
// handshakes past it and those clients waited 1, 2, 4... s for a retransmission, the soak's
// only errors. The backlog is what `ss` shows as Send-Q of the listening socket.
TEST_CASE("the listening socket has room for a burst of connections", "[server][load]") {
  if (std::system("command -v ss >/dev/null 2>&1") != 0) {
    WARN("ss not installed (Debian package iproute2): listen backlog not checked");
    return;
  }
  TempDir dir("vnsearch-server-backlog");
  index_into(dir / "db", dir.write("a.jsonl", jsonl(hostile_articles())));
  RunningServer server(on(dir / "db"));
  const std::string command = "ss -Hltn 'sport = :" + std::to_string(server.port()) + "' > '" +
                              (dir / "ss.out").string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream listing(dir / "ss.out");
  std::string state;
  long queued = -1;
  long backlog = -1;
  listing >> state >> queued >> backlog;
  INFO("ss: " << state << " " << queued << " " << backlog);
  long kernel_cap = 4096;
  std::ifstream("/proc/sys/net/core/somaxconn") >> kernel_cap;
  CHECK(state == "LISTEN");
  CHECK(backlog == std::min(1024L, kernel_cap));
}
