// Story collapsing and related articles (docs/duplicates.md): near-duplicate copies share a story
// key that stays right through replaces and deletes, searches fold them and count them, and the
// related list puts the same event first. Fixtures are real articles from corpus/ and copies made
// from them (support/story_fixture.h).

#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "story_fixture.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/related.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace vnsearch;
using test::TempDir;

namespace {

// Story A: a VnExpress article, its re-scrape (newsmds-002-2), a syndicated copy and an edited
// reprint. B: another article on the same subject (not a copy). C and its re-scrape. D alone.
std::vector<json> story_fixture() {
  const json a = test::sample_article("newsmds-002-1");
  return {a,
          test::sample_article("newsmds-002-2"),
          test::syndicated_copy(a, "wire-002", "Báo Tổng Hợp"),
          test::edited_copy(a, "edit-002", 25),
          test::sample_article("newsmds-002-3"),
          test::sample_article("newsmds-003-1"),
          test::sample_article("newsmds-003-2"),
          test::sample_article("newsmds-004-1")};
}
const std::set<std::string> kStoryA = {"edit-002", "newsmds-002-1", "newsmds-002-2", "wire-002"};

// id -> story key, read straight from the database.
std::map<std::string, std::string> story_keys(const fs::path& database) {
  Xapian::Database db(database.string());
  std::map<std::string, std::string> keys;
  const std::string prefix(schema::kId);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    const Xapian::Document doc = db.get_document(*db.postlist_begin(*term));
    const std::string key = doc.get_value(schema::kSlotStoryKey);
    keys[(*term).substr(prefix.size())] = key;
    // The boolean term the indexer finds copies by says the same.
    CHECK(db.term_exists(std::string(schema::kStoryKey) + key));
    CHECK(db.get_termfreq(std::string(schema::kStoryKey) + key) >= 1);
  }
  return keys;
}

struct Fixture {
  TempDir dir{"vnsearch-stories"};
  fs::path database = dir / "db";
  Fixture() {
    test::index_file(database, dir.write("stories.jsonl", test::to_jsonl(story_fixture())));
  }
};

std::vector<std::string> ids_of(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& hit : hits) ids.push_back(hit.id);
  return ids;
}

}  // namespace

TEST_CASE("copies of one story share the smallest id as key; distinct stories do not",
          "[stories]") {
  Fixture fixture;
  const auto keys = story_keys(fixture.database);
  REQUIRE(keys.size() == 8);
  for (const std::string& id : kStoryA) {
    INFO(id);
    CHECK(keys.at(id) == "edit-002");  // same text from another source, lightly edited text
  }
  CHECK(keys.at("newsmds-002-3") == "newsmds-002-3");  // same subject, another article
  CHECK(keys.at("newsmds-003-1") == "newsmds-003-1");
  CHECK(keys.at("newsmds-003-2") == "newsmds-003-1");
  CHECK(keys.at("newsmds-004-1") == "newsmds-004-1");
}

TEST_CASE("the keys depend on the documents, not on their order or on re-runs", "[stories]") {
  Fixture fixture;
  std::vector<json> reversed = story_fixture();
  std::reverse(reversed.begin(), reversed.end());
  const fs::path other = fixture.dir / "reversed";
  test::index_file(other, fixture.dir.write("reversed.jsonl", test::to_jsonl(reversed)));
  CHECK(story_keys(other) == story_keys(fixture.database));

  const auto before = story_keys(fixture.database);
  const auto summary = test::index_file(fixture.database, fixture.dir / "stories.jsonl");
  CHECK(summary.unchanged == 8);
  CHECK(story_keys(fixture.database) == before);
  const fs::path fresh_copy = fixture.dir / "fresh";
  test::index_file(fresh_copy, fixture.dir / "stories.jsonl", /*fresh=*/true);
  CHECK(story_keys(fresh_copy) == before);
}

TEST_CASE("a collapsed search shows one hit per story and counts the copies", "[stories]") {
  Fixture fixture;
  Searcher searcher(fixture.database);
  SearchOptions options;
  options.limit = 20;
  const SearchResult plain = searcher.search("tiền mừng tuổi", options);
  const auto plain_ids = ids_of(plain.hits);
  for (const std::string& id : kStoryA) {
    CHECK(std::count(plain_ids.begin(), plain_ids.end(), id) == 1);
  }
  for (const Hit& hit : plain.hits) CHECK(hit.collapse_count == 0);

  options.collapse = true;
  const SearchResult collapsed = searcher.search("tiền mừng tuổi", options);
  std::size_t from_a = 0;
  for (const Hit& hit : collapsed.hits) {
    if (kStoryA.count(hit.id) != 0) {
      ++from_a;
      CHECK(hit.collapse_count == 3);
    } else {
      CHECK(hit.collapse_count == 0);
    }
  }
  CHECK(from_a == 1);
  const auto ids = ids_of(collapsed.hits);
  CHECK(std::count(ids.begin(), ids.end(), "newsmds-002-3") == 1);  // not a copy: stays
  CHECK(collapsed.hits.size() == plain.hits.size() - 3);

  options.copies = true;
  const SearchResult listed = searcher.search("tiền mừng tuổi", options);
  for (const Hit& hit : listed.hits) {
    std::set<std::string> story = {hit.id};
    for (const StoryCopy& copy : hit.copies) {
      CHECK(story.insert(copy.id).second);
      CHECK_FALSE(copy.title.empty());
    }
    if (kStoryA.count(hit.id) != 0) {
      CHECK(story == kStoryA);
    } else {
      CHECK(hit.copies.empty());
    }
  }
  // Sorting by date collapses too.
  options.sort = SearchSort::kDate;
  const SearchResult by_date = searcher.search("tiền mừng tuổi", options);
  CHECK(by_date.hits.size() == collapsed.hits.size());
}

TEST_CASE("deleting a story's representative keeps its copies together", "[stories]") {
  Fixture fixture;
  CHECK(delete_documents(fixture.database, std::vector<std::string>{"edit-002"}).empty());
  auto keys = story_keys(fixture.database);
  CHECK(keys.count("edit-002") == 0);
  for (const std::string id : {"newsmds-002-1", "newsmds-002-2", "wire-002"}) {
    CHECK(keys.at(id) == "newsmds-002-1");
  }
  Searcher searcher(fixture.database);
  SearchOptions options;
  options.collapse = true;
  const SearchResult result = searcher.search("tiền mừng tuổi", options);
  std::size_t from_a = 0;
  for (const Hit& hit : result.hits) {
    if (kStoryA.count(hit.id) != 0) {
      ++from_a;
      CHECK(hit.collapse_count == 2);
    }
  }
  CHECK(from_a == 1);

  // Deleting the only other member of a pair leaves a story of one.
  CHECK(delete_documents(fixture.database, std::vector<std::string>{"newsmds-003-1"}).empty());
  CHECK(story_keys(fixture.database).at("newsmds-003-2") == "newsmds-003-2");
}

TEST_CASE("a changed copy leaves its story and joins the one it now copies", "[stories]") {
  Fixture fixture;
  json changed = test::sample_article("newsmds-004-1");
  changed["id"] = "newsmds-002-2";
  const auto summary = test::index_file(
      fixture.database, fixture.dir.write("changed.jsonl", test::to_jsonl({changed})));
  CHECK(summary.replaced == 1);
  const auto keys = story_keys(fixture.database);
  CHECK(keys.at("newsmds-002-2") == "newsmds-002-2");
  CHECK(keys.at("newsmds-004-1") == "newsmds-002-2");
  for (const std::string id : {"edit-002", "newsmds-002-1", "wire-002"}) {
    CHECK(keys.at(id) == "edit-002");
  }
  // Changing the representative itself: the others regroup under the next smallest id.
  json rewritten = test::sample_article("newsmds-003-1");
  rewritten["id"] = "edit-002";
  test::index_file(fixture.database,
                   fixture.dir.write("rewritten.jsonl", test::to_jsonl({rewritten})));
  const auto after = story_keys(fixture.database);
  CHECK(after.at("newsmds-002-1") == "newsmds-002-1");
  CHECK(after.at("wire-002") == "newsmds-002-1");
  CHECK(after.at("edit-002") == "edit-002");
  CHECK(after.at("newsmds-003-1") == "edit-002");
  CHECK(after.at("newsmds-003-2") == "edit-002");
}

TEST_CASE("deleting the document that held a story together splits it", "[stories]") {
  // Three overlapping windows of one article: each shares 75 of its 100 words with the next, but
  // the first and the last only 50 of 150. The middle one bridges them.
  const json source = test::sample_article("newsmds-004-1");
  std::istringstream in(source["body"].get<std::string>());
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  REQUIRE(words.size() >= 150);
  auto window = [&](const std::string& id, std::size_t from) {
    json doc = {{"id", id}, {"title", "Cửa sổ " + id}, {"source", "Thử"}};
    std::string body;
    for (std::size_t i = from; i < from + 100; ++i) body += words[i] + " ";
    doc["body"] = body;
    return doc;
  };
  TempDir dir("vnsearch-stories-bridge");
  const fs::path database = dir / "db";
  test::index_file(
      database,
      dir.write("w.jsonl", test::to_jsonl({window("p1", 0), window("p2", 25), window("p3", 50)})));
  auto keys = story_keys(database);
  CHECK(keys.at("p1") == "p1");
  CHECK(keys.at("p2") == "p1");
  CHECK(keys.at("p3") == "p1");
  CHECK(delete_documents(database, std::vector<std::string>{"p2"}).empty());
  keys = story_keys(database);
  CHECK(keys.at("p1") == "p1");
  CHECK(keys.at("p3") == "p3");
  test::index_file(database, dir.write("back.jsonl", test::to_jsonl({window("p2", 25)})));
  keys = story_keys(database);
  CHECK(keys.at("p3") == "p1");
}

// ---- Related articles

namespace {

// Three articles each from several events (newsmds clusters in the bundled sample), plus two
// copies of one of event 001's articles published at different distances in time.
std::vector<json> related_fixture() {
  std::vector<json> docs;
  for (const std::string id :
       {"newsmds-001-1", "newsmds-001-2", "newsmds-001-3", "newsmds-002-1", "newsmds-002-2",
        "newsmds-002-3", "newsmds-003-1", "newsmds-003-4", "newsmds-004-1", "newsmds-004-3",
        "newsmds-005-2", "newsmds-005-3", "newsmds-013-2", "newsmds-013-3", "newsmds-014-1"}) {
    docs.push_back(test::sample_article(id));
  }
  return docs;
}

}  // namespace

TEST_CASE("related articles: the same event first, the document and its copies apart",
          "[related]") {
  TempDir dir("vnsearch-related");
  const fs::path database = dir / "db";
  test::index_file(database, dir.write("related.jsonl", test::to_jsonl(related_fixture())));
  Searcher searcher(database);
  RelatedOptions options;
  options.limit = 5;
  for (const std::string event : {"001", "003", "004", "005", "013"}) {
    const std::string id = "newsmds-" + event + (event == "005" || event == "013" ? "-2" : "-1");
    const RelatedResult result = searcher.related(id, options);
    REQUIRE(result.document);
    REQUIRE_FALSE(result.hits.empty());
    INFO(id << " -> " << result.hits[0].id);
    CHECK(result.hits[0].id.rfind("newsmds-" + event + "-", 0) == 0);
    for (const Hit& hit : result.hits) CHECK(hit.id != id);
    CHECK_FALSE(result.terms.empty());
  }
  // newsmds-002-2 is a copy of newsmds-002-1: listed as a copy, never as a related article.
  const RelatedResult with_copy = searcher.related("newsmds-002-1", options);
  REQUIRE(with_copy.copies.size() == 1);
  CHECK(with_copy.copies[0].id == "newsmds-002-2");
  for (const Hit& hit : with_copy.hits) {
    CHECK(hit.id != "newsmds-002-1");
    CHECK(hit.id != "newsmds-002-2");
  }
  REQUIRE_FALSE(with_copy.hits.empty());
  CHECK(with_copy.hits[0].id == "newsmds-002-3");

  CHECK_FALSE(searcher.related("no-such-id", options).document);
  CHECK_FALSE(searcher.related("", options).document);
}

TEST_CASE("related articles: of two equal candidates the one closer in time ranks first",
          "[related]") {
  TempDir dir("vnsearch-related-dates");
  const fs::path database = dir / "db";
  std::vector<json> docs = related_fixture();
  // Two copies of one text, one published a day after newsmds-001-1 (2024-02-07), one years
  // before; without collapsing both are listed, and only the date tells them apart.
  json near = test::sample_article("newsmds-001-3");
  near["id"] = "z-near";
  near["date"] = "2024-02-08T10:00:00+07:00";
  json far = near;
  far["id"] = "a-far";
  far["date"] = "2019-02-08T10:00:00+07:00";
  docs.push_back(near);
  docs.push_back(far);
  test::index_file(database, dir.write("dates.jsonl", test::to_jsonl(docs)));
  Searcher searcher(database);
  RelatedOptions options;
  options.collapse = false;
  options.limit = 10;
  const auto ids = ids_of(searcher.related("newsmds-001-1", options).hits);
  const auto near_at = std::find(ids.begin(), ids.end(), "z-near");
  const auto far_at = std::find(ids.begin(), ids.end(), "a-far");
  REQUIRE(near_at != ids.end());
  REQUIRE(far_at != ids.end());
  CHECK(near_at < far_at);
  // Collapsed, the pair (near-duplicates of each other and of newsmds-001-3) is one story.
  options.collapse = true;
  const auto collapsed = ids_of(searcher.related("newsmds-001-1", options).hits);
  const auto copies = std::count_if(collapsed.begin(), collapsed.end(), [](const std::string& id) {
    return id == "z-near" || id == "a-far" || id == "newsmds-001-3";
  });
  CHECK(copies == 1);
}

// ---- CLI wiring

namespace {

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs the vnsearch binary with `args`, killing it (and failing) after 60 s (child_process.h).
Run vnsearch_cli(const TempDir& dir, const std::vector<std::string>& args) {
  const vnsearch::test::ChildResult child = vnsearch::test::run_child(
      VNSEARCH_BINARY, args, dir.path(), false, {}, std::chrono::seconds(60));
  if (child.timed_out) FAIL("vnsearch did not finish within 60 s; killed");
  return {child.exit_code(), child.out, child.err};
}

}  // namespace

TEST_CASE("CLI: search --collapse --copies and related", "[stories][cli]") {
  Fixture fixture;
  const std::string db = fixture.database.string();
  Run run = vnsearch_cli(fixture.dir, {"search", "--db", db, "--format", "json", "--collapse",
                                       "--copies", "tiền", "mừng", "tuổi"});
  REQUIRE(run.code == 0);
  json body = json::parse(run.out);
  std::size_t folded = 0;
  for (const json& hit : body["hits"]) {
    folded += hit["collapse_count"].get<std::size_t>();
    if (hit["collapse_count"] == 3) CHECK(hit["copies"].size() == 3);
  }
  CHECK(folded == 3);

  run = vnsearch_cli(fixture.dir, {"search", "--db", db, "--format", "json", "tiền mừng tuổi"});
  REQUIRE(run.code == 0);
  const json uncollapsed = json::parse(run.out);  // kept alive: the loop reads into it
  for (const json& hit : uncollapsed["hits"]) CHECK(hit["collapse_count"] == 0);

  run = vnsearch_cli(fixture.dir, {"search", "--db", db, "--collapse", "tiền mừng tuổi"});
  REQUIRE(run.code == 0);
  CHECK(run.out.find("+ 3 copies of this story folded in (--copies lists them)") !=
        std::string::npos);

  run = vnsearch_cli(fixture.dir, {"related", "--db", db, "--format", "json", "newsmds-002-1"});
  REQUIRE(run.code == 0);
  body = json::parse(run.out);
  CHECK(body["found"] == true);
  std::set<std::string> copies;
  for (const json& copy : body["copies"]) copies.insert(copy["id"]);
  CHECK(copies == std::set<std::string>{"edit-002", "newsmds-002-2", "wire-002"});
  REQUIRE_FALSE(body["hits"].empty());
  CHECK(body["hits"][0]["id"] == "newsmds-002-3");

  run = vnsearch_cli(fixture.dir, {"related", "--db", db, "--limit", "2", "newsmds-002-1"});
  REQUIRE(run.code == 0);
  CHECK(run.out.find("copy: wire-002") != std::string::npos);
  CHECK(run.out.find("1. ") != std::string::npos);

  run = vnsearch_cli(fixture.dir, {"related", "--db", db, "no-such-id"});
  CHECK(run.code == 1);
  CHECK(run.err.find("no document with id 'no-such-id'") != std::string::npos);
  run = vnsearch_cli(fixture.dir, {"related", "--db", db, "--limit", "0", "newsmds-002-1"});
  CHECK(run.code == 2);
}
