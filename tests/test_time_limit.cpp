// The query time limit (SearchOptions::time_limit, the server's --query-time-limit): in Xapian 1.4
// it ends the exhaustive count behind facets and exact totals. On an index large enough for that
// count to take far longer than the limit, the count is cut, a `count_cut` note says so, and the
// hits are the same as without the limit.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int kDocuments = 20000;

// Small articles that all share the word `tin` and differ in source and year, so the facet
// spies have work on every match; one in 40 also holds the rarer `xoài`. Xapian's time limit only
// turns off the full count: the matcher then stops early only where it can prove that the rest
// cannot reach the top hits, as for `xoài tin` once the top hits all hold `xoài`.
struct CountingIndex {
  vnsearch::test::TempDir tmp{"vnsearch-time-limit"};
  fs::path database = tmp / "db";

  CountingIndex() {
    const fs::path input = tmp / "articles.jsonl";
    {
      std::ofstream out(input);
      for (int i = 0; i < kDocuments; ++i) {
        out << R"({"id":"d)" << i << R"(","title":"Bản tin số )" << i
            << R"(","body":"Tin tức thời sự trong ngày, mục )" << i % 97
            << (i % 40 == 0 ? " Giá xoài" : "") << R"(.","source":"nguon)" << i % 13
            << R"(","date":")" << 2000 + i % 24 << R"(-05-01"})" << '\n';
      }
    }
    vnsearch::IndexOptions options;
    options.batch_size = kDocuments;
    const std::vector<fs::path> inputs = {input};
    const auto summary = vnsearch::index_paths(
        database, inputs, options,
        [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; }, {});
    if (summary.documents_in_index != kDocuments) throw std::runtime_error("indexing failed");
  }
};

bool has_note(const vnsearch::SearchResult& result, vnsearch::NoteCode code) {
  for (const auto& note : result.notes) {
    if (note.code == code) return true;
  }
  return false;
}

std::vector<std::string> ids(const vnsearch::SearchResult& result) {
  std::vector<std::string> out;
  for (const auto& hit : result.hits) out.push_back(hit.id);
  return out;
}

}  // namespace

TEST_CASE("a time limit cuts the facet count, says so, and keeps the hits", "[query][limits]") {
  CountingIndex index;
  vnsearch::Searcher searcher(index.database);
  vnsearch::SearchOptions options;
  options.facets = true;

  const auto unlimited = searcher.search("xoài tin", options);
  REQUIRE(unlimited.exact_count);
  CHECK(unlimited.estimated_matches == kDocuments);
  CHECK_FALSE(has_note(unlimited, vnsearch::NoteCode::kCountCut));
  std::uint64_t counted = 0;
  for (const auto& facet : unlimited.facets.at("source")) counted += facet.count;
  CHECK(counted == kDocuments);

  // 1 ms against a count of 20,000 documents (tens of milliseconds, more under ASan). The timer
  // fires on another thread, so on a badly stalled machine one attempt could finish first: a
  // few attempts, of which one must be cut. A limit that never reached Xapian fails them all.
  options.time_limit = 1ms;
  bool cut = false;
  for (int attempt = 0; attempt < 5 && !cut; ++attempt) {
    const auto limited = searcher.search("xoài tin", options);
    CHECK(ids(limited) == ids(unlimited));
    if (has_note(limited, vnsearch::NoteCode::kCountCut)) {
      cut = true;
      std::uint64_t seen = 0;
      for (const auto& facet : limited.facets.at("source")) seen += facet.count;
      CHECK(seen < kDocuments);  // the facets saw only part of the matches
      CHECK(limited.message.find("time limit of 1 ms") != std::string::npos);
    } else {
      std::uint64_t seen = 0;  // never a partial count without the note
      for (const auto& facet : limited.facets.at("source")) seen += facet.count;
      CHECK(seen == kDocuments);
    }
  }
  CHECK(cut);

  // Without facets nothing is counted in full, so there is nothing to cut.
  options.facets = false;
  CHECK_FALSE(has_note(searcher.search("xoài tin", options), vnsearch::NoteCode::kCountCut));
}
