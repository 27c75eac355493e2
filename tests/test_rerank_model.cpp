// The learned linear re-ranking model (query/src/rerank_model.*, bench/ltr_train.py): loading a
// good file, a missing or corrupted one (a clear error, and the hand-tuned ranking kept by
// ranking_from_environment), and scoring that orders candidates as the weights say.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "ranking.h"
#include "rerank_model.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

namespace {

using vnsearch::query::LinearRerankModel;
using vnsearch::query::RerankFeatures;
namespace q = vnsearch::query;

constexpr const char* kGood =
    "# a comment\n"
    "\n"
    "vnsearch-rerank-linear 1\n"
    "short xapian_weight 1\n"
    "short title_match 10\n"
    "long xapian_weight 0.5\n"
    "long best_window 2.5\n";

using vnsearch::test::ScopedEnv;

}  // namespace

TEST_CASE("a good model file loads with its weights per query kind", "[rerank_model]") {
  vnsearch::test::TempDir dir("test_rerank_model");
  std::string error;
  const auto model = q::load_rerank_model(dir.write("model.txt", kGood), error);
  REQUIRE(model);
  CHECK(error.empty());
  CHECK(model->weights[0][q::kXapianWeight] == 1.0);
  CHECK(model->weights[0][q::kTitleMatch] == 10.0);
  CHECK(model->weights[0][q::kBestWindow] == 0.0);
  CHECK(model->weights[1][q::kXapianWeight] == 0.5);
  CHECK(model->weights[1][q::kBestWindow] == 2.5);
}

TEST_CASE("a missing or corrupted model file is a clear error, never a crash", "[rerank_model]") {
  vnsearch::test::TempDir dir("test_rerank_model");
  std::string error;
  CHECK_FALSE(q::load_rerank_model(dir / "absent.txt", error));
  CHECK(error.find("absent.txt") != std::string::npos);

  const std::vector<std::pair<std::string, std::string>> broken = {
      {std::string("\x89PNG\r\n\x1a\n\0\0garbage", 18), "header"},
      {"", "header"},
      {"vnsearch-rerank-linear 2\nshort xapian_weight 1\n", "header"},
      {"vnsearch-rerank-linear 1\n", "no weights"},
      {"vnsearch-rerank-linear 1\nmedium xapian_weight 1\n", "query kind"},
      {"vnsearch-rerank-linear 1\nshort bm25_magic 1\n", "unknown feature \"bm25_magic\""},
      {"vnsearch-rerank-linear 1\nshort xapian_weight -1\n", "line 2"},
      {"vnsearch-rerank-linear 1\nshort xapian_weight nan\n", "finite"},
      {"vnsearch-rerank-linear 1\nshort xapian_weight 1x\n", "finite"},
      {"vnsearch-rerank-linear 1\nshort xapian_weight\n", "expected"},
      {"vnsearch-rerank-linear 1\nshort xapian_weight 1 2\n", "expected"},
  };
  for (const auto& [text, expected] : broken) {
    CAPTURE(text);
    error.clear();
    CHECK_FALSE(q::load_rerank_model(dir.write("broken.txt", text), error));
    CHECK(error.find("broken.txt") != std::string::npos);
    CHECK(error.find(expected) != std::string::npos);
  }
}

TEST_CASE(
    "a model named in the environment is used, and a bad one falls back to the hand-tuned "
    "ranking",
    "[rerank_model]") {
  vnsearch::test::TempDir dir("test_rerank_model");
  {
    const ScopedEnv env("VNSEARCH_RERANK_MODEL", dir.write("model.txt", kGood).string());
    const q::RankingParameters ranking = q::ranking_from_environment();
    REQUIRE(ranking.rerank_model);
    CHECK(ranking.rerank_model->weights[0][q::kTitleMatch] == 10.0);
    CHECK(ranking.rerank_model_problem.empty());
  }
  for (const std::string& file :
       {(dir / "absent.txt").string(), dir.write("bad.txt", "not a model\n").string()}) {
    const ScopedEnv env("VNSEARCH_RERANK_MODEL", file);
    const q::RankingParameters ranking = q::ranking_from_environment();
    CHECK_FALSE(ranking.rerank_model);
    CHECK(ranking.rerank_model_problem.find(file) != std::string::npos);
  }
  {
    const ScopedEnv env("VNSEARCH_RERANK_MODEL", "none");
    const q::RankingParameters ranking = q::ranking_from_environment();
    CHECK_FALSE(ranking.rerank_model);
    CHECK(ranking.rerank_model_problem.empty());
  }
}

TEST_CASE("the model orders a hand-made candidate set as its weights say", "[rerank_model]") {
  std::string error;
  const auto model = q::parse_rerank_model(kGood, "test", error);
  REQUIRE(model);
  // Short query: Xapian weight plus ten times the title match. Candidate 0 leads on BM25,
  // candidate 2 holds the title, candidate 1 neither; the long-query weights see them otherwise.
  std::vector<RerankFeatures> candidates(3, RerankFeatures{});
  candidates[0][q::kXapianWeight] = 12;
  candidates[1][q::kXapianWeight] = 8;
  candidates[2][q::kXapianWeight] = 6;
  candidates[2][q::kTitleMatch] = 0.9;  // 6 + 9 = 15 > 12
  candidates[1][q::kBestWindow] = 3;    // long: 4 + 7.5 = 11.5 > 6 > 3
  const auto order = [&](bool long_query) {
    std::vector<std::size_t> ids(candidates.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::stable_sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t b) {
      return model->score(candidates[a], long_query) > model->score(candidates[b], long_query);
    });
    return ids;
  };
  CHECK(order(false) == std::vector<std::size_t>{2, 0, 1});
  CHECK(order(true) == std::vector<std::size_t>{1, 0, 2});
  CHECK(model->score(candidates[2], false) == Approx(15.0));
  CHECK(model->score(candidates[1], true) == Approx(11.5));
}
