// The ranking constants of the Searcher, one immutable set shared by every Searcher of an index.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <xapian.h>

#include "feedback_expansion.h"
#include "query_plan.h"
#include "rerank_model.h"
#include "retrieval_pairs.h"

namespace vnsearch::query {

/// Ranking constants, tuned on the dev sets of ../shared/eval (bench/README.md has the figures).
struct RankingParameters {
  double bm25_k1 = 1.2;
  double bm25_b = 0.9;
  /// Hits re-ranked with proximity evidence (and so fetched from the matcher): 70 keeps every
  /// dev set's MRR@10 of 100 at about 20% less time (bench/README.md, "Query latency").
  std::size_t rerank_depth = 70;
  double adjacent_pair_bonus = 0.5;
  double title_coverage_bonus = 3.0;
  /// Per-field length normalisation of the title (BM25F-style): times title coverage × the
  /// share of the title's positions the query holds, so a headline typed in full ranks its own
  /// title above a longer one holding the same words (issue 14, bench/README.md).
  double title_match_bonus = 4.0;
  double passage_bonus = 2.0;  ///< long queries only: a short one is itself a passage
  Xapian::termpos passage_window = 20;
  /// Short queries whose best reading is less likely than this interleave their readings.
  double sure_reading = 0.75;
  std::size_t short_query_units = 4;
  /// Other readings of a short query are interleaved when they occur as a phrase at least this
  /// share as often as the commonest reading. short-phrases-dev unaccented (with the two knobs
  /// below and flatten 0.25): 0.1 → 0.05 → 0.02 gives MRR@10 0.729 → 0.754 → 0.759 and R@10
  /// 0.606 → 0.547 → 0.526 (bench/README.md, "Short phrases' readings").
  double phrase_runner_up = 0.05;
  /// At most this many readings of a short query share the first page: the intended reading is
  /// the commonest for 58% of the short-phrases-dev queries, 3rd to 5th for 14% (3 readings,
  /// runner-up 0.1, flatten 0.5: 0.729; 5, 0.05, 0.25: 0.754; 4, 0.02, 0.25: 0.755).
  std::size_t interleaved_readings = 5;
  /// Short queries' readings are compared by how often they are written (the syllable model's
  /// pair and triple counts, for two and three syllables) rather than by the documents holding
  /// them as phrases: +0.012 MRR@10 on short-phrases-dev unaccented, and no position checks.
  bool reading_occurrences = true;
  /// Phrase documents counted exactly when comparing readings (Xapian's check_at_least);
  /// beyond, Xapian's estimate. Each counted document costs a position check.
  std::size_t phrase_count_check = 1000;
  /// Exponent applied to reading weights when sharing the first page: below 1 flattens the
  /// shares towards round robin, which puts each likely reading's best hit early. 0.5 → 0.25
  /// with five readings: MRR@10 0.743 → 0.754 on short-phrases-dev unaccented (0 → 0.763, but
  /// R@10 0.49).
  double interleave_flatten = 0.25;
  /// Query syllables found in more than this share of the documents (and question words) only
  /// add weight to documents matched by the query's other syllables (ranked_query's
  /// `weight_only`): the matcher then skips their long posting lists. Above 1: never. 0.15
  /// keeps every dev set's MRR@10 (bench/README.md, "Query latency").
  double weight_only_share = 0.15;
  /// An unsure restored syllable whose other readings are that common matches by its restored
  /// reading only; the others still add weight.
  bool alternatives_weight_only = true;
  /// Below this many documents every unit matches (nothing to save).
  std::size_t weight_only_min_documents = 1000;
  WeightOptions weights;
  /// Long queries (issue 14, bench/README.md "Long questions"): the rarest adjacent pairs
  /// searched as phrases at retrieval time, over the whole collection.
  RetrievalPairOptions retrieval_pairs;
  /// Hits re-ranked for queries of more than short_query_units units (0: rerank_depth).
  std::size_t long_rerank_depth = 0;
  /// BM25 parameters for those queries (negative: bm25_k1, bm25_b).
  double long_bm25_k1 = -1;
  double long_bm25_b = -1;
  /// Long prose queries: pseudo-relevance feedback from their top hits (feedback_expansion.h).
  FeedbackOptions feedback;
  /// A learned linear model (bench/ltr_train.py) scoring the re-ranked hits in place of the
  /// hand-tuned sum of the bonuses above; nullptr (the default): that sum.
  std::shared_ptr<const LinearRerankModel> rerank_model;
  /// Why the model could not be used (empty when it was, or when none was asked for).
  std::string rerank_model_problem;
};

/// The defaults, with VNSEARCH_RANKING="k1=1.0,b=0.7,..." applied: for tuning experiments on
/// the dev sets (bench/README.md), never needed in normal use. Unknown names are ignored.
/// VNSEARCH_RERANK_MODEL=FILE scores the re-ranked hits with a learned linear model
/// (bench/ltr_train.py; unset or "none": the hand-tuned formula); a file that cannot be read or
/// parsed leaves the hand-tuned formula with `rerank_model_problem` saying why (also on stderr).
[[nodiscard]] RankingParameters ranking_from_environment();

}  // namespace vnsearch::query
