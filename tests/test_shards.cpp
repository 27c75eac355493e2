// Sharded search (docs/scaling.md): documents routed to shards by a stable hash of their id,
// several databases — local, sharded folders, stub files, shards served by xapian-tcpsrv —
// searched as one with the scores of one database, and a shard that is down.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "corpus_sample.h"
#include "shared_data.h"
#include "tcp_children.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search.h"
#include "vnsearch/search_index.h"
#include "vnsearch/shard_map.h"
#include "vnsearch/sharded_index.h"
#include "vnsearch/tokenizer.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using vnsearch::test::ChildProcess;
using vnsearch::test::TempDir;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;

using vnsearch::test::kSanitized;

vnsearch::IndexSummary index_into(const fs::path& database, const std::vector<fs::path>& inputs,
                                  std::size_t shards = 0) {
  vnsearch::IndexOptions options;
  options.analysis_threads = 2;
  const vnsearch::IssueSink issues = [](const vnsearch::ReadIssue&) {
    return vnsearch::ReadFlow::kContinue;
  };
  if (shards > 0 || vnsearch::is_sharded_database(database))
    return vnsearch::index_sharded(database, inputs, shards, options, issues, {});
  return vnsearch::index_paths(database, inputs, options, issues, {});
}

// The bundled corpus's first 220 articles (every query below has hits in them) and its portal
// page: a third of the full sample, which each test indexes several times.
constexpr std::size_t kSampleDocuments = 221;
fs::path corpus_sample(const TempDir& dir) {
  return vnsearch::test::corpus_sample(dir, kSampleDocuments - 1);
}

std::vector<std::string> ids_in(const fs::path& database) {
  Xapian::Database db(fs::canonical(database).string());  // the generation the link names
  std::vector<std::string> ids;
  for (auto term = db.allterms_begin("Q"); term != db.allterms_end("Q"); ++term) {
    ids.push_back((*term).substr(1));
  }
  return ids;
}

// Three xapian-tcpsrv processes, one per shard, on free loopback ports.
struct ShardServers {
  std::vector<std::unique_ptr<ChildProcess>> children;
  std::vector<std::string> addresses;

  ShardServers(const fs::path& program, const fs::path& root, std::size_t count,
               const fs::path& log) {
    for (std::size_t shard = 0; shard < count; ++shard) {
      for (int attempt = 0;; ++attempt) {
        const int port = vnsearch::test::free_port();
        auto child = std::make_unique<ChildProcess>(
            std::vector<std::string>{program.string(), "--interface", "127.0.0.1", "--port",
                                     std::to_string(port),
                                     vnsearch::shards::shard_path(root, shard).string()},
            log);
        if (vnsearch::test::wait_for_port(port, 10s) && child->running()) {
          children.push_back(std::move(child));
          addresses.push_back("127.0.0.1:" + std::to_string(port));
          break;
        }
        child->stop();
        if (attempt == 3) FAIL("xapian-tcpsrv did not start (see " << log << ")");
      }
    }
  }
};

vnsearch::ShardOptions remote_options(const fs::path& root, std::size_t count) {
  vnsearch::ShardOptions options;
  options.timeout = 5s;
  options.connect_timeout = 2s;
  for (std::size_t shard = 0; shard < count; ++shard) {
    options.model_files.push_back(vnsearch::shards::shard_path(root, shard) /
                                  "vnsearch-syllables.bin");
  }
  return options;
}

// The top hits of both searches agree: same scores (within rounding) rank by rank, and the same
// ids in the same order, except that documents with equal scores may come in either order (Xapian
// breaks ties by document number, which differs between one database and shards).
void require_same_hits(const vnsearch::SearchResult& single, const vnsearch::SearchResult& sharded,
                       const std::string& query) {
  INFO("query: " << query);
  REQUIRE(sharded.unavailable_shards.empty());
  REQUIRE(single.readings == sharded.readings);
  REQUIRE(single.hits.size() == sharded.hits.size());
  const auto tied = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, a); };
  for (std::size_t i = 0; i < single.hits.size(); ++i) {
    INFO("rank " << i + 1 << ": " << single.hits[i].id << " " << single.hits[i].score << " / "
                 << sharded.hits[i].id << " " << sharded.hits[i].score);
    REQUIRE(std::abs(single.hits[i].score - sharded.hits[i].score) <=
            1e-6 * std::max(1.0, single.hits[i].score));
    if (single.hits[i].id == sharded.hits[i].id) continue;
    // A different id is allowed only among equal scores: the tie group's members must agree,
    // unless the group runs past the last hit shown.
    std::size_t first = i, last = i;
    while (first > 0 && tied(single.hits[first - 1].score, single.hits[i].score)) --first;
    while (last + 1 < single.hits.size() &&
           tied(single.hits[last + 1].score, single.hits[i].score)) {
      ++last;
    }
    REQUIRE(last > first);                         // not a tie: a real difference
    if (last + 1 == single.hits.size()) continue;  // cut by the page: the rest may differ
    std::multiset<std::string> a, b;
    for (std::size_t k = first; k <= last; ++k) {
      a.insert(single.hits[k].id);
      b.insert(sharded.hits[k].id);
    }
    REQUIRE(a == b);
  }
}

}  // namespace

TEST_CASE("documents go to the shard their id hashes to, and stay there", "[shards]") {
  // FNV-1a 64 of the id, modulo the shard count: fixed by definition, pinned here.
  CHECK(vnsearch::shards::shard_of("ca-brvt-cum-thi-dua-so-8", 3) == 2);
  CHECK(vnsearch::shards::shard_of("baomoi-21486988", 3) == 1);
  CHECK(vnsearch::shards::shard_of("a", 8) == 4);

  TempDir dir("vnsearch-shards-route");
  const fs::path root = dir / "idx";
  const std::vector<fs::path> inputs = {corpus_sample(dir)};
  const auto first = index_into(root, inputs, 3);
  CHECK(first.added == kSampleDocuments);
  CHECK(first.documents_in_index == kSampleDocuments);
  REQUIRE(vnsearch::shards::read_shard_map(root)->count == 3);
  std::size_t total = 0;
  for (std::size_t shard = 0; shard < 3; ++shard) {
    const auto ids = ids_in(vnsearch::shards::shard_path(root, shard));
    total += ids.size();
    CHECK(ids.size() > kSampleDocuments / 5);  // spread over the three shards
    for (const std::string& id : ids) {
      INFO(id);
      CHECK(vnsearch::shards::shard_of(id, 3) == shard);
    }
  }
  CHECK(total == kSampleDocuments);

  // Reindexing finds every document on its shard, unchanged; read problems are counted once.
  const auto again = index_into(root, inputs);  // the map's count
  CHECK(again.unchanged == kSampleDocuments);
  CHECK(again.added == 0);
  CHECK(again.warnings == first.warnings);

  // Another shard count would strand documents on the wrong shards: refused.
  REQUIRE_THROWS_WITH(index_into(root, inputs, 4), Catch::Contains("sharded database of 3"));

  // Deleting reaches the right shard; an unknown id is reported.
  const std::size_t on_shard_2 = ids_in(vnsearch::shards::shard_path(root, 2)).size();
  const std::string on_shard_1 = ids_in(vnsearch::shards::shard_path(root, 1)).at(0);
  const std::vector<std::string> ids = {"ca-brvt-cum-thi-dua-so-8", "no-such-id"};
  const auto missing = vnsearch::delete_sharded(root, ids);
  CHECK(missing == std::vector<std::string>{"no-such-id"});
  CHECK(ids_in(vnsearch::shards::shard_path(root, 2)).size() + 1 == on_shard_2);
  vnsearch::Searcher searcher(root);
  CHECK_FALSE(searcher.document("ca-brvt-cum-thi-dua-so-8").has_value());
  CHECK(searcher.document(on_shard_1).has_value());

  // --fresh rebuilds every shard and publishes each.
  vnsearch::IndexOptions fresh;
  fresh.fresh = true;
  const auto rebuilt = vnsearch::index_sharded(root, inputs, 0, fresh, {}, {});
  CHECK(rebuilt.fresh_not_published.empty());
  CHECK(rebuilt.documents_in_index == kSampleDocuments);
}

TEST_CASE("a sharded folder and a stub file search like one database", "[shards]") {
  TempDir dir("vnsearch-shards-local");
  const std::vector<fs::path> inputs = {corpus_sample(dir)};
  index_into(dir / "single", inputs);
  index_into(dir / "sharded", inputs, 3);
  const fs::path stub = dir.write("shards.stub",
                                  "# three local shards\nauto sharded/shard-0\n"
                                  "auto sharded/shard-1\nauto sharded/shard-2\n");
  vnsearch::Searcher single(dir / "single");
  vnsearch::Searcher folder(dir / "sharded");
  vnsearch::Searcher stubbed(stub);
  for (const std::string query : {"cum thi dua so 8", "giá vàng", "\"con tin\"", "gia xang dau"}) {
    const auto expected = single.search(query);
    REQUIRE_FALSE(expected.hits.empty());
    require_same_hits(expected, folder.search(query), query);
    require_same_hits(expected, stubbed.search(query), query);
  }
  // Facets are counted over every shard (Xapian merges the shards' value counts).
  vnsearch::SearchOptions facets;
  facets.facets = true;
  const auto flat = [](const vnsearch::SearchResult& result) {
    std::vector<std::tuple<std::string, std::string, std::uint64_t>> counts;
    for (const auto& [name, values] : result.facets) {
      for (const auto& value : values) counts.emplace_back(name, value.value, value.count);
    }
    return counts;
  };
  const auto expected = flat(single.search("thi đua", facets));
  CHECK(expected.size() > 3);
  CHECK(expected == flat(folder.search("thi đua", facets)));
}

TEST_CASE("a shard that is down gives partial results naming it, or a clear error, fast",
          "[shards]") {
  const auto tcpsrv = vnsearch::test::find_program("xapian-tcpsrv");
  if (!tcpsrv) {
    WARN("xapian-tcpsrv absent (Debian package xapian-tools): skipping");
    return;
  }
  TempDir dir("vnsearch-shards-down");
  const fs::path root = dir / "sharded";
  index_into(root, {corpus_sample(dir)}, 3);
  ShardServers servers(*tcpsrv, root, 3, dir / "tcpsrv.log");
  auto index = std::make_shared<vnsearch::SearchIndex>(servers.addresses, remote_options(root, 3));
  vnsearch::Searcher searcher(index);
  const auto whole = searcher.search("cum thi dua so 8");
  REQUIRE(whole.unavailable_shards.empty());
  REQUIRE(whole.hits.at(0).id == "ca-brvt-cum-thi-dua-so-8");  // on shard 2

  servers.children[2]->stop();
  const auto started = std::chrono::steady_clock::now();
  const auto partial = searcher.search("cum thi dua so 8");
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK_FALSE(partial.failure.has_value());
  REQUIRE(partial.unavailable_shards.size() == 1);
  CHECK_THAT(partial.unavailable_shards[0], Catch::StartsWith(servers.addresses[2]));
  CHECK_THAT(partial.message,
             Catch::Contains("partial results") && Catch::Contains(servers.addresses[2]));
  for (const auto& hit : partial.hits) CHECK(vnsearch::shards::shard_of(hit.id, 3) != 2);

  // A shard that hangs (stopped, its connections open but silent) costs at most the timeouts.
  ::kill(servers.children[1]->pid(), SIGSTOP);
  auto quick = remote_options(root, 3);
  quick.timeout = 1s;
  quick.connect_timeout = 1s;
  const auto hung_started = std::chrono::steady_clock::now();
  const std::vector<std::string> two = {servers.addresses[0], servers.addresses[1]};
  vnsearch::Searcher hung(std::make_shared<vnsearch::SearchIndex>(two, quick));
  const auto hung_result = hung.search("cum thi dua so 8");
  CHECK(std::chrono::steady_clock::now() - hung_started < 8s);
  REQUIRE(hung_result.unavailable_shards.size() == 1);
  CHECK_THAT(hung_result.unavailable_shards[0], Catch::StartsWith(servers.addresses[1]));
  ::kill(servers.children[1]->pid(), SIGCONT);

  // Without partial results: a clear error naming the shard, at once.
  auto strict = remote_options(root, 3);
  strict.allow_partial = false;
  REQUIRE_THROWS_WITH(
      vnsearch::SearchIndex(servers.addresses, strict),
      Catch::Contains("1 of 3 shards cannot be searched") && Catch::Contains(servers.addresses[2]));
}

TEST_CASE("3 shards behind xapian-tcpsrv rank the dev queries like one database",
          "[shards][shared]") {
  const auto shared = shared_dir();
  if (!shared) {
    WARN("../shared absent: skipping the 3-shard equality test on the shared corpus");
    return;
  }
  const auto tcpsrv = vnsearch::test::find_program("xapian-tcpsrv");
  if (!tcpsrv) {
    WARN("xapian-tcpsrv absent (Debian package xapian-tools): skipping");
    return;
  }
  // A representative subset: every 32nd article of each corpus file (about 1,165), and the dev
  // queries whose relevant articles are in it. bench/shard_equality.sh runs the full corpus.
  const std::size_t kEvery = kSanitized ? 128 : 32;
  const std::size_t per_set = kSanitized ? 2 : 6;
  if (kSanitized) {
    WARN("sanitizer build: every " << kEvery << "th article and " << per_set
                                   << " queries per dev set instead of every 32nd and 6");
  }
  TempDir dir("vnsearch-shards-equal");
  std::unordered_set<std::string> sampled;
  {
    std::ofstream sample(dir / "sample.jsonl");
    for (const char* name : {"corpus/baomoi-2017.jsonl.zst", "corpus/vinewsqa-articles.jsonl",
                             "corpus/newsmds.jsonl"}) {
      std::size_t line_number = 0;
      for_each_jsonl_line(*shared / name, [&](std::string_view line) {
        if (line_number++ % kEvery != 0) return true;
        const auto doc = nlohmann::json::parse(line, nullptr, false);
        if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string()) return true;
        sampled.insert(doc["id"].get<std::string>());
        sample << line << "\n";
        return true;
      });
    }
  }
  std::vector<std::string> queries;
  for (const char* name :
       {"eval/titles-dev.jsonl", "eval/vinewsqa-dev.jsonl", "eval/short-phrases-dev.jsonl"}) {
    std::size_t taken = 0;
    for_each_jsonl_line(*shared / name, [&](std::string_view line) {
      const auto query = nlohmann::json::parse(line, nullptr, false);
      if (!query.is_object() || !query.contains("relevant")) return true;
      for (const auto& id : query["relevant"]) {
        if (id.is_string() && sampled.count(id.get<std::string>()) != 0) {
          queries.push_back(query["query"].get<std::string>());
          ++taken;
          break;
        }
      }
      return taken < per_set;
    });
  }
  REQUIRE(queries.size() >= 3 * per_set - 2);
  const auto indexing = std::chrono::steady_clock::now();
  index_into(dir / "single", {dir / "sample.jsonl"});
  index_into(dir / "sharded", {dir / "sample.jsonl"}, 3);
  ShardServers servers(*tcpsrv, dir / "sharded", 3, dir / "tcpsrv.log");

  vnsearch::Searcher single(dir / "single");
  vnsearch::Searcher sharded(std::make_shared<vnsearch::SearchIndex>(
      servers.addresses, remote_options(dir / "sharded", 3)));
  const auto searching = std::chrono::steady_clock::now();
  std::size_t compared = 0;
  for (const std::string& typed : queries) {
    for (const std::string& query : {typed, vnsearch::to_folded(typed)}) {
      const auto expected = single.search(query);
      require_same_hits(expected, sharded.search(query), query);
      ++compared;
    }
  }
  const auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  WARN(compared << " searches over " << sampled.size()
                << " articles: 3 remote shards gave the single-index top 10 (indexing "
                << seconds(indexing, searching) << " s, searching "
                << seconds(searching, std::chrono::steady_clock::now()) << " s)");
}
