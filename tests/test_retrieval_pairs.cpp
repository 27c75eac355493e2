// Pair evidence at retrieval time for long queries (query/src/retrieval_pairs.*, issue 14): which
// pairs are searched, and that a document holding the rare pair gains weight over the whole
// collection. Off by default (bench/README.md, "Long questions": its CPU cost), so this pins the
// knob's behaviour, set through VNSEARCH_RANKING as in tuning runs.
#include <xapian.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "query_plan.h"
#include "ranking.h"
#include "retrieval_pairs.h"
#include "support/scoped_env.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

namespace {

using vnsearch::query::QueryPlan;
using vnsearch::query::QueryUnit;
using vnsearch::query::RetrievalPairOptions;

QueryPlan plan_of(const std::vector<std::string>& syllables) {
  QueryPlan plan;
  for (const std::string& syllable : syllables) {
    QueryUnit unit;
    unit.exact = unit.folded = syllable;
    unit.fixed = true;
    unit.group = 1;
    plan.units.push_back(unit);
  }
  return plan;
}

// A model where "cứu nhân" is never seen together and every other pair of the query is common.
vnsearch::SyllableModel model_of_common_pairs() {
  vnsearch::SyllableModel model;
  const auto tokens = vnsearch::Analyzer().analyze("bệnh viện cứu. nhân viên bệnh viện");
  for (int i = 0; i < 50; ++i) model.add_tokens(tokens);
  return model;
}

std::set<std::string> terms_of(const Xapian::Query& query) {
  return {query.get_terms_begin(), query.get_terms_end()};
}

const std::vector<std::string> kQuery = {"bệnh", "viện", "cứu", "nhân", "viên"};

}  // namespace

TEST_CASE("retrieval pairs: off by default, and never for short queries", "[ranking]") {
  const auto model = model_of_common_pairs();
  const std::vector<double> frequency(kQuery.size(), 10.0);
  CHECK(vnsearch::query::RankingParameters{}.retrieval_pairs.pairs == 0);
  CHECK(vnsearch::query::retrieval_pair_query(plan_of(kQuery), kQuery, model, 1000, frequency, {})
            .empty());
  RetrievalPairOptions on{.pairs = 2};
  const std::vector<std::string> short_query = {"cứu", "nhân", "viên"};
  CHECK(vnsearch::query::retrieval_pair_query(plan_of(short_query), short_query, model, 1000,
                                              frequency, on)
            .empty());
}

TEST_CASE("retrieval pairs: the rarest pair, never one with a question word", "[ranking]") {
  const auto model = model_of_common_pairs();
  const std::vector<double> frequency(kQuery.size(), 10.0);
  const RetrievalPairOptions one{.pairs = 1};
  const Xapian::Query query =
      vnsearch::query::retrieval_pair_query(plan_of(kQuery), kQuery, model, 1000, frequency, one);
  CHECK(terms_of(query) == std::set<std::string>{"cứu", "nhân"});
  // With "nhân" a question word, its pairs name nothing: the next rarest pair is taken.
  QueryPlan plan = plan_of(kQuery);
  plan.units[3].question = true;
  const Xapian::Query without =
      vnsearch::query::retrieval_pair_query(plan, kQuery, model, 1000, frequency, one);
  CHECK(terms_of(without) != std::set<std::string>{"cứu", "nhân"});
  CHECK(terms_of(without).count("nhân") == 0);
  // Pairs commoner than min_rarity are left out: here every pair is.
  const RetrievalPairOptions strict{.pairs = 4, .min_rarity = 100};
  CHECK(
      vnsearch::query::retrieval_pair_query(plan_of(kQuery), kQuery, model, 1000, frequency, strict)
          .empty());
}

TEST_CASE("retrieval pairs: the document holding the rare pair gains weight", "[ranking]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const auto add = [&](const std::vector<std::string>& words) {
    Xapian::Document document;
    Xapian::termpos position = 1;
    for (const std::string& word : words) document.add_posting(word, position++);
    return db.add_document(document);
  };
  const Xapian::docid apart = add({"cứu", "bệnh", "viện", "nhân", "viên"});
  const Xapian::docid adjacent = add({"bệnh", "viện", "cứu", "nhân", "viên"});
  for (int i = 0; i < 8; ++i) add({"tin", "khác"});
  const auto model = model_of_common_pairs();
  std::vector<double> frequency;
  for (const std::string& word : kQuery) frequency.push_back(db.get_termfreq(word));
  const Xapian::Query pairs = vnsearch::query::retrieval_pair_query(
      plan_of(kQuery), kQuery, model, db.get_doccount(), frequency, {.pairs = 2});
  REQUIRE_FALSE(pairs.empty());
  const Xapian::Query words(Xapian::Query::OP_OR, kQuery.begin(), kQuery.end());
  const auto weight_of = [&](const Xapian::Query& query, Xapian::docid docid) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      if (*it == docid) return it.get_weight();
    }
    return 0.0;
  };
  CHECK(weight_of(words, apart) == Approx(weight_of(words, adjacent)));
  const Xapian::Query with_pairs(Xapian::Query::OP_AND_MAYBE, words, pairs);
  CHECK(weight_of(with_pairs, adjacent) > weight_of(with_pairs, apart) + 0.1);
  CHECK(weight_of(with_pairs, apart) == Approx(weight_of(words, apart)));
}

TEST_CASE("VNSEARCH_RANKING sets the long-query knobs by name", "[ranking]") {
  const vnsearch::query::RankingParameters ranking = [] {
    const vnsearch::test::ScopedEnv env(
        "VNSEARCH_RANKING", "pairs=3,pairs_weight=0.2,pairs_rarity=4,long_depth=150,long_b=0.7");
    return vnsearch::query::ranking_from_environment();
  }();
  CHECK(ranking.retrieval_pairs.pairs == 3);
  CHECK(ranking.retrieval_pairs.weight == Approx(0.2));
  CHECK(ranking.retrieval_pairs.min_rarity == Approx(4));
  CHECK(ranking.long_rerank_depth == 150);
  CHECK(ranking.long_bm25_b == Approx(0.7));
  CHECK(ranking.long_bm25_k1 < 0);  // unset: the common k1
}
