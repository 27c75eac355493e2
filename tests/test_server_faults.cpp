// Faults under a running server (issue 12): the disk fills during an index run, the index is
// removed or replaced, a database file is damaged. The server keeps answering — the last
// committed state, or a 503 that says why — never crashes, and recovers by itself.
#include <atomic>
#include <fstream>
#include <thread>

#include <xapian.h>

#include "server_fixture.h"
#include "small_disk.h"

namespace {

std::vector<json> numbered(const std::string& prefix, int count) {
  std::vector<json> docs;
  for (int i = 0; i < count; ++i) {
    docs.push_back(article(prefix + "-" + std::to_string(i), "Ngựa vằn " + prefix,
                           "Đàn ngựa vằn ở thảo nguyên, con thứ " + std::to_string(i) + ".",
                           "2020-01-01", "Báo " + prefix, "Động vật"));
  }
  return docs;
}

// Polls `target` until it answers `status` or 3 s pass (the server polls every 100 ms here).
int await_status(httplib::Client& client, const std::string& target, int status) {
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  int seen = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto answer = client.Get(target)) {
      seen = answer->status;
      if (seen == status) break;
    }
    std::this_thread::sleep_for(20ms);
  }
  return seen;
}

std::uint64_t served_documents(httplib::Client& client) {
  const json health = body_json(client.Get("/healthz"));
  return health.value("documents", std::uint64_t{0});
}

// The count /healthz reports once it reaches `expected`, or the last one seen after 3 s. A
// server may open an index while it is still being built and serve its first commit; the
// complete one then follows within a poll interval (100 ms here).
std::uint64_t await_documents(httplib::Client& client, std::uint64_t expected) {
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  std::uint64_t seen = served_documents(client);
  while (seen != expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    seen = served_documents(client);
  }
  return seen;
}

// Searches in a loop on its own thread, counting answers that are not 200.
class SearchLoad {
 public:
  explicit SearchLoad(int port)
      : thread_([this, port] {
          httplib::Client client("127.0.0.1", port);
          client.set_read_timeout(30, 0);
          while (!stop_) {
            const auto answer = client.Get("/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n");
            ++requests_;
            if (!answer || answer->status != 200) ++failures_;
            std::this_thread::sleep_for(5ms);
          }
        }) {}
  ~SearchLoad() { finish(); }
  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int requests() const { return requests_; }
  int failures() const { return failures_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0}, failures_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("disk full during an index run: the server keeps the last commit, then the next run",
          "[server][faults][disk]") {
  TempDir dir("vnsearch-server-disk");
  const vnsearch::test::SmallDisk disk(dir / "disk", "3m");
  if (!disk.mounted()) {
    WARN("skipped: mounting a small tmpfs needs root (CI runs as root)");
    return;
  }
  const fs::path db = dir / "disk" / "db";
  index_into(db, dir.write("first.jsonl", jsonl(numbered("first", 20))));
  RunningServer server(on(db));
  auto client = server.client();
  REQUIRE(served_documents(client) == 20);

  SearchLoad load(server.port());
  vnsearch::IndexOptions options;
  options.analysis_threads = 1;
  options.wait_for_lock = true;
  const std::vector<fs::path> too_big = {kSourceDir / "corpus"};
  std::string failure;
  try {
    vnsearch::index_paths(db, too_big, options, nullptr, nullptr);
  } catch (const std::exception& error) {
    failure = error.what();
  }
  INFO(failure);
  CHECK(contains(failure, "No space left on device"));
  std::this_thread::sleep_for(300ms);  // a few polls after the failure
  load.finish();
  INFO(load.requests() << " searches during the failed run");
  CHECK(load.requests() > 0);
  CHECK(load.failures() == 0);
  // What the server shows is what the database holds: the first run and any whole batch the
  // failed run committed before the disk filled.
  const std::uint64_t committed = Xapian::Database(db.string()).get_doccount();
  CHECK(committed >= 20);
  CHECK(served_documents(client) == committed);
  CHECK(client.Get("/api/documents/first-7")->status == 200);

  // Space is freed; the next good run is served without a restart.
  REQUIRE(const_cast<vnsearch::test::SmallDisk&>(disk).resize("256m"));
  index_into(db, dir.write("next.jsonl", jsonl(numbered("next", 5))));
  CHECK(await_status(client, "/api/documents/next-4", 200) == 200);
  CHECK(served_documents(client) == committed + 5);
}

TEST_CASE("the index removed or replaced under a running server: 503 with why, then recovery",
          "[server][faults][unavailable]") {
  TempDir dir("vnsearch-server-removed");
  const fs::path db = dir / "db";
  index_into(db, dir.write("a.jsonl", jsonl(numbered("a", 10))));
  RunningServer server(on(db));
  auto client = server.client();
  REQUIRE(client.Get("/api/documents/a-3")->status == 200);

  SECTION("the --db link removed, then put back") {
    const fs::path away = dir / "db.away";
    fs::rename(db, away);
    REQUIRE(await_status(client, "/healthz", 503) == 503);
    check_error(client.Get("/api/search?q=ng%E1%BB%B1a"), 503, "index_unavailable");
    CHECK(contains(client.Get("/api/search?q=a")->body, db.string()));
    CHECK(client.Get("/?q=ng%E1%BB%B1a")->status == 503);
    fs::rename(away, db);
    CHECK(await_status(client, "/healthz", 200) == 200);
    CHECK(client.Get("/api/documents/a-3")->status == 200);
  }
  SECTION("the generation folder deleted, then the index rebuilt") {
    const fs::path generation = fs::canonical(db);
    fs::remove_all(generation);
    REQUIRE(await_status(client, "/healthz", 503) == 503);
    check_error(client.Get("/api/search?q=ng%E1%BB%B1a"), 503, "index_unavailable");
    fs::remove(db);
    index_into(db, dir.write("b.jsonl", jsonl(numbered("b", 4))));
    CHECK(await_status(client, "/healthz", 200) == 200);
    CHECK(client.Get("/api/documents/b-3")->status == 200);
    CHECK(await_documents(client, 4) == 4);
  }
  SECTION("the link swapped to another index") {
    const fs::path other = dir / "other";
    index_into(other, dir.write("c.jsonl", jsonl(numbered("c", 6))));
    const fs::path link = dir / "db.swap";
    fs::create_directory_symlink(fs::canonical(other), link);
    fs::rename(link, db);  // atomic, as `index --fresh` swaps
    CHECK(await_status(client, "/api/documents/c-5", 200) == 200);
    CHECK(client.Get("/api/documents/a-3")->status == 404);
    CHECK(served_documents(client) == 6);
  }
}

TEST_CASE("a damaged database file: the server answers 503 saying so, and never crashes",
          "[server][faults][corrupt]") {
  TempDir dir("vnsearch-server-corrupt");
  const fs::path db = dir / "db";
  index_into(db, dir.write("a.jsonl", jsonl(numbered("a", 300))));
  const fs::path generation = fs::canonical(db);
  std::string file;
  SECTION("the version file, before the server starts") {
    file = "iamglass";
  }
  SECTION("the posting lists") {
    file = "postlist.glass";
  }
  {
    std::fstream stream(generation / file, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(stream);
    const std::string junk(static_cast<std::size_t>(fs::file_size(generation / file)), '\xA5');
    stream.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  RunningServer server(on(db));
  auto client = server.client();
  for (const char* target : {"/api/search?q=ng%E1%BB%B1a", "/api/stats", "/api/documents/a-1"}) {
    INFO(target);
    const auto answer = client.Get(target);
    REQUIRE(answer);
    INFO(answer->body);
    CHECK(answer->status == 503);
    const json body = json::parse(answer->body, nullptr, false);
    REQUIRE(body.is_object());
    CHECK(body["error"]["code"] == "index_unavailable");
    const std::string message = body["error"]["message"];
    const bool says_damaged = contains(message, "damaged") || contains(message, "corrupt") ||
                              contains(message, "Corrupt");
    CHECK(says_damaged);
  }
  const auto page = client.Get("/?q=ng%E1%BB%B1a");
  REQUIRE(page);
  CHECK(page->status == 503);
  // Still alive and answering.
  REQUIRE(client.Get("/metrics"));
}
