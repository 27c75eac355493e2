// Pair evidence at retrieval time for long queries (issue 14, the same-event set): the rarest
// adjacent pairs of a long query as two-syllable phrases that add weight to the documents the
// query matches, over the whole collection rather than the re-ranked top hits only. The index
// needs no bigram terms: the phrases are checked on the positions it already holds.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "query_plan.h"

namespace vnsearch::query {

struct PairPhraseOptions {
  /// How many of the query's rarest adjacent pairs become phrases; 0 turns the evidence off.
  std::size_t max_pairs = 0;
  /// Only queries of at least this many units get them: a short query has its whole-reading
  /// phrase (WeightOptions::phrase) and a question its re-ranking evidence.
  std::size_t min_units = 12;
  /// Weight of each phrase relative to the BM25 weight of its two syllables.
  double weight = 1.0;
  /// Pairs this common or commoner are never chosen: log(N / (1 + bigram count)) below it.
  double min_rarity = 0.0;
};

/// The chosen pairs: unit indexes i (the pair is units i-1 and i), rarest first. A pair takes
/// two adjacent units of one group, neither a question word; `pair_idf[i]` is its rarity.
[[nodiscard]] std::vector<std::size_t> rarest_pairs(const QueryPlan& plan,
                                                    const std::vector<double>& pair_idf,
                                                    const PairPhraseOptions& options);

/// An OR of the chosen pairs of `reading` as phrases (window 2), each scaled by
/// `options.weight`; an empty query when the options or the query give none.
[[nodiscard]] Xapian::Query pair_phrases_query(const QueryPlan& plan,
                                               const std::vector<std::string>& reading,
                                               const std::vector<double>& pair_idf,
                                               const PairPhraseOptions& options);

}  // namespace vnsearch::query
