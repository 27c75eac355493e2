// The query side as a long-running, many-threaded server uses it: a shared snapshot refreshed
// after in-place and `--fresh` indexing, Searchers on many threads, result codes instead of one
// message, snippets as text + ranges, stored fields on hits, sorting by date, structured filters
// and the one JSON form of results.
#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"
#include "vnsearch/search_index.h"
#include "vnsearch/syllable_model.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using vnsearch::NoteCode;
using vnsearch::Searcher;
using vnsearch::SearchOptions;
using vnsearch::SearchResult;
using vnsearch::test::TempDir;

namespace {

json article(const std::string& id, const std::string& title, const std::string& body,
             const std::string& date, const std::string& source = "Báo Test") {
  json doc = {{"id", id},
              {"title", title},
              {"body", body},
              {"source", source},
              {"url", "https://example.vn/" + id},
              {"author", "Tác giả " + id},
              {"category", "Thời sự"},
              {"tags", {"thẻ một", "thẻ hai"}}};
  if (!date.empty()) doc["date"] = date;
  return doc;
}

fs::path write_jsonl(const TempDir& dir, const std::string& name, const std::vector<json>& docs) {
  std::string text;
  for (const json& doc : docs) text += doc.dump() + "\n";
  return dir.write(name, text);
}

vnsearch::IndexSummary index_into(const fs::path& database, const fs::path& input,
                                  bool fresh = false) {
  vnsearch::IndexOptions options;
  options.analysis_threads = 1;
  options.fresh = fresh;
  options.allow_shrink = true;  // the tests replace whole indexes with small ones on purpose
  options.wait_for_lock = true;
  const fs::path inputs[] = {input};
  return vnsearch::index_paths(
      database, inputs, options,
      [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; }, {});
}

// Documents where "qua dua" most likely means "qua đua" (racing past) ...
std::vector<json> racing_docs() {
  std::vector<json> docs;
  for (int i = 0; i < 6; ++i) {
    docs.push_back(article("race-" + std::to_string(i),
                           "Xe chạy qua đua tốc độ " + std::to_string(i),
                           "Đoàn xe vượt qua đua tranh gay gắt. Người xem đứng qua đua reo hò.",
                           "2023-0" + std::to_string(i + 1) + "-15T08:00:00+07:00"));
  }
  return docs;
}

// ... and many more where it means "quả dừa" (coconut).
std::vector<json> coconut_docs() {
  std::vector<json> docs;
  for (int i = 0; i < 30; ++i) {
    docs.push_back(
        article("coconut-" + std::to_string(i), "Giá quả dừa Bến Tre tăng " + std::to_string(i),
                "Nông dân bán quả dừa tươi. Một quả dừa xiêm giá cao, quả dừa sáp hiếm.",
                "2024-02-" + std::to_string(10 + i % 15) + "T09:00:00+07:00", "Báo Nông Nghiệp"));
  }
  return docs;
}

std::vector<std::string> ids(const SearchResult& result) {
  std::vector<std::string> out;
  for (const auto& hit : result.hits) out.push_back(hit.id);
  return out;
}

bool has_note(const SearchResult& result, NoteCode code) {
  for (const auto& note : result.notes) {
    if (note.code == code) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a refreshed Searcher restores and ranks like a new one after an in-place run",
          "[serving][refresh]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  index_into(database, write_jsonl(dir, "racing.jsonl", racing_docs()));
  Searcher kept(database);
  const auto before = kept.restore_diacritics("qua dua");
  REQUIRE(before == std::vector<std::string>{"qua", "đua"});

  index_into(database, write_jsonl(dir, "coconut.jsonl", coconut_docs()));  // in place
  Searcher fresh(database);
  const auto after = fresh.restore_diacritics("qua dua");
  // The precondition that makes this test able to fail: the new model reads it differently.
  REQUIRE(after == std::vector<std::string>{"quả", "dừa"});
  CHECK(kept.restore_diacritics("qua dua") == before);  // nothing changes until refresh()

  kept.refresh();
  CHECK(kept.restore_diacritics("qua dua") == after);
  SearchOptions options;
  options.limit = 20;
  const auto mine = kept.search("qua dua", options);
  const auto theirs = fresh.search("qua dua", options);
  CHECK(mine.readings == theirs.readings);
  CHECK(ids(mine) == ids(theirs));
  REQUIRE(mine.hits.size() == theirs.hits.size());
  for (std::size_t i = 0; i < mine.hits.size(); ++i) {
    CHECK(mine.hits[i].score == Approx(theirs.hits[i].score));
  }
}

TEST_CASE("a shared index follows a --fresh swap and publishes new snapshots",
          "[serving][refresh]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  index_into(database, write_jsonl(dir, "racing.jsonl", racing_docs()));
  auto index = std::make_shared<vnsearch::SearchIndex>(database);
  Searcher searcher(index);
  const auto first = index->snapshot();
  CHECK(first->documents == 6);
  CHECK_FALSE(index->refresh());  // nothing changed
  CHECK(index->snapshot() == first);

  index_into(database, write_jsonl(dir, "coconut.jsonl", coconut_docs()), /*fresh=*/true);
  CHECK(searcher.search("quả dừa").hits.empty());  // not refreshed yet: the old generation
  REQUIRE(index->refresh());
  const auto second = index->snapshot();
  CHECK(second->directory != first->directory);
  CHECK(second->documents == 30);
  CHECK(second->sequence == first->sequence + 1);
  CHECK(second->model != first->model);
  CHECK_FALSE(searcher.search("quả dừa").hits.empty());
  CHECK(searcher.search("đua").hits.empty());  // the fresh build replaced everything

  // A second swap removes the first generation from disk; the searcher follows.
  index_into(database, write_jsonl(dir, "racing.jsonl", racing_docs()), /*fresh=*/true);
  index_into(database, write_jsonl(dir, "coconut.jsonl", coconut_docs()), /*fresh=*/true);
  CHECK_FALSE(fs::exists(first->directory));
  // A Searcher made now, before the shared index looked again (a server's pool growing between
  // two polls), still opens: the snapshot's generation is gone, so it looks for the current one.
  const auto stale = index->snapshot();
  CHECK_FALSE(fs::exists(stale->directory));
  Searcher newcomer(index);
  CHECK(index->snapshot() != stale);
  CHECK_FALSE(newcomer.search("quả dừa").hits.empty());
  CHECK_FALSE(index->refresh());  // the newcomer already published it
  const auto result = searcher.search("quả dừa");
  CHECK_FALSE(result.failure);
  CHECK_FALSE(result.hits.empty());
}

TEST_CASE("Searchers on many threads share one model and agree with a lone Searcher",
          "[serving][threads]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  auto docs = racing_docs();
  for (auto& doc : coconut_docs()) docs.push_back(doc);
  index_into(database, write_jsonl(dir, "all.jsonl", docs));
  const auto expected = ids(Searcher(database).search("qua dua"));
  REQUIRE_FALSE(expected.empty());

  auto index = std::make_shared<vnsearch::SearchIndex>(database);
  std::atomic<int> mismatches{0}, searches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Searcher searcher(index);
      CHECK(searcher.snapshot()->model == index->snapshot()->model);
      for (int i = 0; i < 25; ++i) {
        if (ids(searcher.search("qua dua")) != expected) ++mismatches;
        ++searches;
        if (i % 5 == 0) index->refresh();  // refreshing from any thread is safe
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(searches == 100);
  CHECK(mismatches == 0);
}

TEST_CASE("results carry coded notes, and a failure apart from them", "[serving][status]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  index_into(database, write_jsonl(dir, "racing.jsonl", racing_docs()));
  Searcher searcher(database);

  const auto empty = searcher.search("  ?! ");
  CHECK(has_note(empty, NoteCode::kEmptyQuery));
  CHECK_FALSE(empty.failure);
  const auto none = searcher.search("khủng long");
  CHECK(has_note(none, NoteCode::kNoMatch));
  CHECK_FALSE(none.failure);
  const auto repaired = searcher.search("\"qua đua");
  CHECK(has_note(repaired, NoteCode::kQueryRepaired));
  CHECK_FALSE(repaired.hits.empty());
  SearchOptions far;
  far.offset = 1000;
  const auto past = searcher.search("qua đua", far);
  CHECK(has_note(past, NoteCode::kPastLastPage));
  CHECK(past.hits.empty());
  const auto cut = searcher.search(std::string(3000, 'a'));
  CHECK(has_note(cut, NoteCode::kQueryTruncated));
  CHECK(vnsearch::note_code_name(NoteCode::kNoMatch) == "no_match");

  // The index is damaged under an open Searcher: a failure, not "no match". (Enough documents
  // that the tables have blocks the open handle has not cached: 100 were already enough.)
  std::vector<json> many;
  for (int i = 0; i < 300; ++i) {
    many.push_back(article("many-" + std::to_string(i), "Xe đua số " + std::to_string(i),
                           "Giải đua xe lần thứ " + std::to_string(i * 7919) + " ở vòng " +
                               std::to_string(i % 97) + ".",
                           ""));
  }
  index_into(database, write_jsonl(dir, "many.jsonl", many));
  searcher.refresh();
  REQUIRE(searcher.search("xe đua").hits.size() == 10);
  for (const auto& entry : fs::directory_iterator(fs::canonical(database))) {
    if (entry.path().extension() == ".glass") fs::resize_file(entry.path(), 0);
  }
  const auto failed = searcher.search("giải đua xe lần");
  INFO(failed.message << " hits " << failed.hits.size());
  REQUIRE(failed.failure);
  CHECK(failed.hits.empty());
  CHECK(failed.notes.empty());

  // The index vanishes: refreshing says so, naming it.
  fs::remove_all(fs::canonical(database));
  fs::remove(database);
  try {
    searcher.refresh();
    FAIL("refresh() of a removed database did not throw");
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()).find(database.string()) != std::string::npos);
  }
}

TEST_CASE("snippets are text with match ranges; hits carry description, author and tags",
          "[serving][snippets]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  auto docs = racing_docs();
  docs[0]["body"] = "Xe <script>alert(1)</script> vượt qua đua & thắng.\nDòng hai.";
  docs[0]["description"] = "Mô tả ngắn";
  index_into(database, write_jsonl(dir, "racing.jsonl", docs));
  Searcher searcher(database);
  const auto result = searcher.search("script alert");
  REQUIRE(result.hits.size() == 1);
  const vnsearch::Hit& hit = result.hits[0];
  CHECK(hit.description == "Mô tả ngắn");
  CHECK(hit.author == "Tác giả race-0");
  CHECK(hit.tags == std::vector<std::string>{"thẻ một", "thẻ hai"});
  CHECK(hit.snippet.text.find("<script>") != std::string::npos);  // plain text, unescaped
  CHECK(hit.snippet.text.find('\n') == std::string::npos);
  REQUIRE(hit.snippet.matches.size() >= 2);
  for (const auto& range : hit.snippet.matches) {
    const std::string matched = hit.snippet.text.substr(range.begin, range.end - range.begin);
    CHECK((matched == "script" || matched == "alert"));
  }
  const std::string page = vnsearch::render_snippet(hit.snippet, {"<mark>", "</mark>", true});
  CHECK(page.find("&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)") != std::string::npos);
  CHECK(page.find("&amp;") != std::string::npos);
  const std::string terminal = vnsearch::render_snippet(hit.snippet, {"\x1b[1m", "\x1b[0m", false});
  CHECK(terminal.find("<\x1b[1mscript\x1b[0m>") != std::string::npos);
}

TEST_CASE("sort by date gives newest first, undated last", "[serving][sort]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  auto docs = racing_docs();
  docs.push_back(article("race-undated", "Xe qua đua không ngày", "Vượt qua đua.", ""));
  index_into(database, write_jsonl(dir, "racing.jsonl", docs));
  Searcher searcher(database);
  SearchOptions options;
  options.limit = 20;
  options.sort = vnsearch::SearchSort::kDate;
  const auto result = searcher.search("qua đua", options);
  REQUIRE(result.hits.size() == 7);
  for (std::size_t i = 1; i + 1 < result.hits.size(); ++i) {
    CHECK(result.hits[i - 1].date >= result.hits[i].date);
  }
  CHECK(result.hits.front().id == "race-5");
  CHECK(result.hits.back().id == "race-undated");
  // Pages of the date order are consecutive.
  options.limit = 3;
  options.offset = 3;
  const auto second = searcher.search("qua đua", options);
  REQUIRE(second.hits.size() == 3);
  CHECK(second.hits[0].id == result.hits[3].id);
  CHECK(second.exact_count);
}

TEST_CASE("filters given apart from the text narrow like the query operators",
          "[serving][filters]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  auto docs = racing_docs();
  for (auto& doc : coconut_docs()) docs.push_back(doc);
  index_into(database, write_jsonl(dir, "all.jsonl", docs));
  Searcher searcher(database);
  SearchOptions options;
  options.limit = 100;
  options.filters.sources = {"báo nông nghiệp"};  // matched however it is typed
  const auto by_source = searcher.search("qua", options);
  REQUIRE_FALSE(by_source.hits.empty());
  for (const auto& hit : by_source.hits) CHECK(hit.source == "Báo Nông Nghiệp");

  options.filters = {};
  options.filters.date_from = "2023-03";
  options.filters.date_to = "2023-04-30";
  const auto by_date = searcher.search("qua đua", options);
  CHECK(ids(by_date) == std::vector<std::string>{"race-2", "race-3"});

  options.filters = {};
  options.filters.years = {"2024"};
  options.facets = true;
  const auto by_year = searcher.search("", options);  // filters alone are a query
  CHECK(by_year.hits.size() == 30);
  REQUIRE(by_year.facets.count("year") == 1);
  CHECK(by_year.facets.at("year").size() == 1);

  CHECK(vnsearch::valid_filter_date("2020"));
  CHECK(vnsearch::valid_filter_date("2020-11-16"));
  CHECK_FALSE(vnsearch::valid_filter_date("2020-13"));
  CHECK_FALSE(vnsearch::valid_filter_date("2020x"));
  CHECK_FALSE(vnsearch::valid_filter_date("16/11/2020"));
}

TEST_CASE("the JSON form of results", "[serving][json]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  index_into(database, write_jsonl(dir, "racing.jsonl", racing_docs()));
  Searcher searcher(database);
  SearchOptions options;
  options.facets = true;
  const auto result = searcher.search("qua dua", options);
  vnsearch::ResultJsonContext context;
  context.query = "qua dua";
  context.page = 1;
  context.per_page = 10;
  const json out = vnsearch::result_to_json(result, context);
  CHECK(out["query"] == "qua dua");
  CHECK(out["readings"][0] == "qua đua");
  CHECK(out["total"]["value"] == 6);
  CHECK(out["total"]["relation"] == "eq");
  CHECK(out["hits"].size() == 6);
  CHECK(out["hits"][0]["snippet"].get<std::string>().find("<mark>") != std::string::npos);
  CHECK(out["hits"][0]["tags"].size() == 2);
  CHECK(out["facets"]["source"][0]["value"] == "Báo Test");
  CHECK(out["notes"].is_array());
  const json none = vnsearch::result_to_json(searcher.search("khủng long"), context);
  CHECK(none["notes"][0]["code"] == "no_match");
}

TEST_CASE("a Searcher left behind by several commits reopens and retries instead of failing",
          "[serving][refresh]") {
  TempDir dir("vnsearch-serving");
  const fs::path database = dir / "db";
  // Enough documents that each rewrite frees and reuses the blocks an old revision read (the
  // plain reader below shows it; 100 were already enough, 3,000 cost 30 s under ASan).
  const int documents = 200;
  std::vector<json> many;
  for (int i = 0; i < documents; ++i) {
    many.push_back(article("many-" + std::to_string(i), "Xe đua số " + std::to_string(i),
                           "Giải đua xe lần thứ " + std::to_string(i * 7919) + " ở vòng " +
                               std::to_string(i % 97) + ".",
                           ""));
  }
  index_into(database, write_jsonl(dir, "many.jsonl", many));
  Searcher searcher(database);
  REQUIRE(searcher.search("giải đua xe").hits.size() == 10);
  // A plain Xapian reader of the same revision, to show the rewrites below really take its
  // revision away (otherwise this test would pass without exercising the retry).
  Xapian::Database plain(database.string());
  // Rewrite every document several times in place: Xapian recycles the blocks of revisions no
  // writer needs, so the Searcher's revision is gone (DatabaseModifiedError on its next read).
  for (int round = 0; round < 4; ++round) {
    for (auto& doc : many) {
      doc["body"] = doc["body"].get<std::string>() + " Vòng " + std::to_string(round) + ".";
    }
    index_into(database, write_jsonl(dir, "many-" + std::to_string(round) + ".jsonl", many));
  }
  CHECK_THROWS_AS(
      [&] {
        Xapian::Enquire enquire(plain);
        enquire.set_query(Xapian::Query("xe"));
        (void)enquire.get_mset(0, 50);
        for (Xapian::docid id = 1; id <= static_cast<Xapian::docid>(documents); ++id) {
          (void)plain.get_document(id).get_data();
        }
      }(),
      Xapian::DatabaseModifiedError);
  SearchOptions options;
  options.limit = 50;
  const auto result = searcher.search("giải đua xe lần vòng", options);
  INFO(result.message);
  CHECK_FALSE(result.failure);
  CHECK(result.hits.size() == 50);
}
