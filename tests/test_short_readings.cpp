// Which readings of a short unaccented phrase share the first page (query/src/reading_shares.*):
// the rule on its own, and end to end on a slice of the bundled corpus, where an oracle (Xapian
// phrase counts and the syllable model's pair counts, read independently of the searcher's
// choice) says which reading is written most and which sits in most documents.
#include <xapian.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_sample.h"
#include "reading_shares.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search.h"
#include "vnsearch/search_index.h"
#include "vnsearch/syllable_model.h"

namespace fs = std::filesystem;
using vnsearch::query::ReadingEvidence;
using vnsearch::query::ReadingShareOptions;
using vnsearch::query::share_readings;

namespace {

std::vector<std::string> words_of(const std::string& reading) {
  std::istringstream in(reading);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

double phrase_documents(const Xapian::Database& db, const std::vector<std::string>& words) {
  Xapian::Enquire enquire(db);
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size()));
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

// Sets VNSEARCH_RANKING for one scope (snapshots read it when a Searcher opens its index).
class RankingOverride {
 public:
  explicit RankingOverride(const char* value) {
    if (const char* old = std::getenv("VNSEARCH_RANKING")) old_ = old;
    setenv("VNSEARCH_RANKING", value, 1);
  }
  ~RankingOverride() {
    if (old_) {
      setenv("VNSEARCH_RANKING", old_->c_str(), 1);
    } else {
      unsetenv("VNSEARCH_RANKING");
    }
  }
  RankingOverride(const RankingOverride&) = delete;
  RankingOverride& operator=(const RankingOverride&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("readings are ranked by occurrences, never below their documents", "[short-readings]") {
  // 0: in many documents, its pair count pruned; 1: written most; 2: too rare to share the page.
  const std::vector<ReadingEvidence> evidence = {
      {.occurrences = 0, .documents = 50, .probability = 0.5},
      {.occurrences = 200, .documents = 20, .probability = 0.3},
      {.occurrences = 3, .documents = 2, .probability = 0.2}};
  const auto shares = share_readings(evidence, {.by_occurrences = true, .runner_up = 0.05});
  REQUIRE(shares.size() == 2);
  CHECK(shares[0].path == 1);
  CHECK(shares[1].path == 0);
  CHECK(shares[1].weight >= 50);  // the pruned count reads as its document count

  const auto by_documents = share_readings(evidence, {.by_occurrences = false, .runner_up = 0.05});
  REQUIRE(by_documents.size() == 2);
  CHECK(by_documents[0].path == 0);
  CHECK(by_documents[1].path == 1);
}

TEST_CASE("at most max_readings readings share the page; ties go to the model",
          "[short-readings]") {
  std::vector<ReadingEvidence> evidence;
  for (int k = 0; k < 8; ++k) evidence.push_back({10, 10, 1.0 / (k + 1)});
  const auto shares = share_readings(evidence, {.runner_up = 0.01, .max_readings = 4});
  REQUIRE(shares.size() == 4);
  for (std::size_t k = 0; k < shares.size(); ++k) CHECK(shares[k].path == k);
  CHECK(share_readings({}, {}).empty());
}

TEST_CASE("an unaccented short phrase leads with the reading written most", "[short-readings]") {
  vnsearch::test::TempDir dir("vnsearch-short-readings");
  // Lines 1-250 hold `giá đất` in two articles, many times each, and `giá đắt` once in each of
  // five: the oracle below checks that, rather than trusting this comment.
  const fs::path corpus = vnsearch::test::corpus_sample(dir, 250);
  const fs::path database = dir / "db";
  vnsearch::IndexOptions options;
  options.analysis_threads = 2;
  std::vector<std::string> problems;
  const auto issues = [&](const vnsearch::ReadIssue& issue) {
    if (issue.fatal_for_document) problems.push_back(vnsearch::format_issue(issue));
    return vnsearch::ReadFlow::kContinue;
  };
  const std::vector<fs::path> inputs = {corpus};
  vnsearch::index_paths(database, inputs, options, issues, {});
  REQUIRE(problems.empty());

  const std::string query = "gia dat";
  vnsearch::Searcher searcher(database);
  const vnsearch::SearchResult result = searcher.search(query, {});
  REQUIRE_FALSE(result.failure);
  REQUIRE(result.readings.size() >= 2);

  // The oracle: the reading written most and the one in most documents, among those offered.
  const Xapian::Database db(fs::canonical(database).string());
  const auto snapshot = searcher.snapshot();
  REQUIRE(snapshot->model);
  std::string most_written, in_most_documents;
  double best_written = -1, best_documents = -1;
  std::string counts;
  for (const std::string& reading : result.readings) {
    const std::vector<std::string> words = words_of(reading);
    REQUIRE(words.size() == 2);
    const double documents = phrase_documents(db, words);
    const double written = snapshot->model->bigram(words[0], words[1]);
    counts += reading + ": written " + std::to_string(written) + " times, in " +
              std::to_string(documents) + " documents; ";
    if (written > best_written) best_written = written, most_written = reading;
    if (documents > best_documents) best_documents = documents, in_most_documents = reading;
  }
  // The premise: on this corpus the two orders disagree, so the test tells them apart.
  INFO(counts);
  REQUIRE(most_written != in_most_documents);
  CHECK(result.readings[0] == most_written);
  REQUIRE_FALSE(result.hits.empty());

  // The knob puts the document order back (for measuring it, bench/README.md).
  const RankingOverride by_documents("occurrences=0");
  vnsearch::Searcher old_order(database);
  const vnsearch::SearchResult documents_first = old_order.search(query, {});
  REQUIRE_FALSE(documents_first.readings.empty());
  CHECK(documents_first.readings[0] == in_most_documents);
}
