// Read replicas (docs/scaling.md): xapian-replicate-server on the indexing side,
// xapian-replicate keeping a replica folder, and `vnsearch serve` on the replica. The syllable
// model travels inside the database, so the replica restores diacritics like the master, and
// documents indexed on the master are served by the replica within a few seconds.
#include <httplib.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "tcp_children.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using vnsearch::test::ChildProcess;
using vnsearch::test::TempDir;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;

// How soon a commit on the master must be searchable on the replica: xapian-replicate polls
// every second (-i 1) and the server looks for a new revision every half second; the rest is
// slack for a loaded (or sanitized) CI machine.
constexpr auto kReplicaDelay = 15s;

void index_lines(const fs::path& database, const fs::path& input) {
  vnsearch::IndexOptions options;
  options.analysis_threads = 2;
  vnsearch::index_paths(database, std::vector<fs::path>{input}, options, {}, {});
}

// The corpus sample's lines [first, last) as a JSONL file.
fs::path corpus_part(const TempDir& dir, const std::string& name, int first, int last) {
  std::ifstream in(kSourceDir / "corpus" / "news-sample.jsonl");
  std::string line, text;
  for (int number = 0; std::getline(in, line); ++number) {
    if (number >= first && number < last) text += line + "\n";
  }
  return dir.write(name, text);
}

nlohmann::json get_json(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(10, 0);
  const auto answer = client.Get(path.c_str());
  if (!answer) return nullptr;
  return nlohmann::json::parse(answer->body, nullptr, false);
}

// The id of the document the server answers for `id`, or "" (404, no answer).
std::string served_id(int port, const std::string& id) {
  const nlohmann::json document = get_json(port, "/api/documents/" + id);
  return document.is_object() ? document.value("id", "") : "";
}

}  // namespace

TEST_CASE("a server on a replica follows the master, syllable model included", "[replicas]") {
  const auto server_program = vnsearch::test::find_program("xapian-replicate-server");
  const auto client_program = vnsearch::test::find_program("xapian-replicate");
  if (!server_program || !client_program) {
    WARN("xapian-replicate(-server) absent (Debian package xapian-tools): skipping");
    return;
  }
  TempDir dir("vnsearch-replicas");
  const fs::path masters = dir / "masters";
  fs::create_directories(masters);
  // The master keeps changesets, so that the replica receives each commit as a small change
  // instead of a full copy (docs/scaling.md). Xapian reads this when a writer opens.
  ::setenv("XAPIAN_MAX_CHANGESETS", "20", 1);
  index_lines(masters / "news", corpus_part(dir, "part1.jsonl", 0, 200));

  const int replication_port = vnsearch::test::free_port();
  ChildProcess replication_server({server_program->string(), "-I", "127.0.0.1", "-p",
                                   std::to_string(replication_port), masters.string()},
                                  dir / "replicate-server.log");
  REQUIRE(vnsearch::test::wait_for_port(replication_port, 10s));
  const fs::path replica = dir / "replica";
  ChildProcess replication_client(
      {client_program->string(), "-h", "127.0.0.1", "-p", std::to_string(replication_port), "-m",
       "news", "-i", "1", replica.string()},
      dir / "replicate.log");
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!fs::exists(replica / "XAPIANDB") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  REQUIRE(fs::exists(replica / "XAPIANDB"));
  // xapian-replicate copies only the Xapian tables: the model file stays behind on the master.
  for (const auto& entry : fs::recursive_directory_iterator(replica)) {
    CHECK(entry.path().filename() != "vnsearch-syllables.bin");
  }

  const int port = vnsearch::test::free_port();
  ChildProcess server(
      {kBinary.string(), "serve", "--db", replica.string(), "--port", std::to_string(port)},
      dir / "serve.log");
  REQUIRE(vnsearch::test::wait_for_port(port, 20s));

  // The replica serves what the master held, and restores diacritics with the model that came
  // inside the database (a replica without it would note restoration_off).
  nlohmann::json first = get_json(port, "/api/search?q=cum+thi+dua+so+8");
  for (int tries = 0; tries < 100 && (!first.is_object() || first["hits"].empty()); ++tries) {
    std::this_thread::sleep_for(100ms);
    first = get_json(port, "/api/search?q=cum+thi+dua+so+8");
  }
  REQUIRE(first.is_object());
  REQUIRE_FALSE(first["hits"].empty());
  for (const auto& note : first["notes"]) CHECK(note["code"] != "restoration_off");
  CHECK(first["readings"].at(0).get<std::string>().find("cụm") != std::string::npos);

  // A document indexed on the master afterwards: served by the replica within kReplicaDelay.
  const std::string later_id = "newsmds-072-4";  // line 201 of the sample
  REQUIRE(served_id(port, later_id).empty());
  const auto indexed = std::chrono::steady_clock::now();
  index_lines(masters / "news", corpus_part(dir, "part2.jsonl", 200, 260));
  bool served = false;
  while (!served && std::chrono::steady_clock::now() - indexed < kReplicaDelay) {
    std::this_thread::sleep_for(100ms);
    served = served_id(port, later_id) == later_id;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - indexed).count();
  REQUIRE(served);
  WARN("a document indexed on the master was served by the replica after " << seconds << " s");
  const auto stats = get_json(port, "/api/stats");
  REQUIRE(stats.is_object());
  CHECK(stats.value("documents", 0) == 260);
}
