// What the server tests share: known articles with hostile markup, a shared index of the bundled
// corpus, an in-process SearchServer on an ephemeral loopback port, and checks of JSON answers.
#pragma once

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/server.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using vnsearch::test::TempDir;
using namespace std::chrono_literals;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;
const std::string kPortalId = "ca-brvt-cum-thi-dua-so-8";
const std::string kToken = "test-token-0123456789abcdef";

inline json article(const std::string& id, const std::string& title, const std::string& body,
                    const std::string& date, const std::string& source,
                    const std::string& category) {
  json doc = {{"id", id},         {"title", title},       {"body", body},
              {"source", source}, {"category", category}, {"url", "https://example.vn/" + id}};
  if (!date.empty()) doc["date"] = date;
  return doc;
}

inline std::string jsonl(const std::vector<json>& docs) {
  std::string text;
  for (const json& doc : docs) text += doc.dump() + "\n";
  return text;
}

// Articles the tests know exactly: hostile markup, sources, categories and years to filter on.
inline std::vector<json> known_articles() {
  std::vector<json> docs;
  docs.push_back(article("xss-1", "Tin <script>alert('tiêu đề')</script> nóng",
                         "Thân bài có <script>alert(\"thân\")</script> và ngựa vằn chạy nhanh.",
                         "2021-05-04T10:00:00+07:00", "Báo <b>Độc</b>", "Thời <i>sự</i>"));
  for (int i = 0; i < 25; ++i) {
    docs.push_back(article("zebra-" + std::to_string(i), "Ngựa vằn số " + std::to_string(i),
                           "Đàn ngựa vằn ở thảo nguyên, con thứ " + std::to_string(i) + ".",
                           std::to_string(2015 + i % 5) + "-0" + std::to_string(1 + i % 9) + "-1" +
                               std::to_string(i % 10) + "T08:00:00+07:00",
                           i % 2 == 0 ? "Báo Chẵn" : "Báo Lẻ",
                           i % 3 == 0 ? "Động vật" : "Khoa học"));
  }
  return docs;
}

inline void index_into(const fs::path& database, const fs::path& input, bool fresh = false) {
  vnsearch::IndexOptions options;
  options.analysis_threads = 1;
  options.fresh = fresh;
  options.allow_shrink = true;  // the tests replace whole indexes with small ones on purpose
  options.wait_for_lock = true;
  const fs::path inputs[] = {input};
  vnsearch::index_paths(database, inputs, options,
                        [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; },
                        {});
}

// The bundled corpus plus the known articles, indexed once per test binary.
class SharedIndex {
 public:
  SharedIndex() : dir_("vnsearch-server") {
    const fs::path extra = dir_.write("known.jsonl", jsonl(known_articles()));
    vnsearch::IndexOptions options;
    options.analysis_threads = 2;
    const std::vector<fs::path> inputs = {kSourceDir / "corpus", extra};
    vnsearch::index_paths(dir_ / "db", inputs, options,
                          [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; },
                          {});
  }
  fs::path database() const { return dir_ / "db"; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

inline const SharedIndex& shared_index() {
  static const SharedIndex index;
  return index;
}

// A SearchServer on a free loopback port, serving on its own thread until destroyed.
class RunningServer {
 public:
  explicit RunningServer(vnsearch::ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) options.threads = 4;
    server_ = std::make_unique<vnsearch::SearchServer>(std::move(options));
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 200 && !probe.Get("/healthz"); ++i) std::this_thread::sleep_for(10ms);
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);
    return client;
  }

 private:
  std::unique_ptr<vnsearch::SearchServer> server_;
  int port_ = 0;
  std::thread thread_;
};

inline vnsearch::ServerOptions on(const fs::path& database) {
  vnsearch::ServerOptions options;
  options.database = database;
  options.poll_interval = 100ms;
  return options;
}

inline json body_json(const httplib::Result& result) {
  REQUIRE(result);
  return json::parse(result->body, nullptr, false);
}

inline void check_error(const httplib::Result& result, int status, const std::string& code) {
  REQUIRE(result);
  INFO(result->body);
  CHECK(result->status == status);
  CHECK(result->get_header_value("Content-Type").find("application/json") == 0);
  const json body = json::parse(result->body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["error"]["code"] == code);
  CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
}

inline std::vector<std::string> hit_ids(const json& body) {
  std::vector<std::string> ids;
  for (const auto& hit : body["hits"]) ids.push_back(hit["id"]);
  return ids;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

/// The `ngựa vằn` articles of known_articles() (and the markup one that mentions them),
/// URL-encoded.
inline const std::string kZebraQuery = "q=ng%E1%BB%B1a%20v%E1%BA%B1n";

}  // namespace
