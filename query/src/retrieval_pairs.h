// Pair evidence at retrieval time for long queries (issue 14): the rarest adjacent pairs of a
// question searched as phrases over the whole collection, so a document holding them anywhere
// rises into the re-ranked window, where only adjacency of the top hits was seen before.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "query_plan.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

/// Which pairs, and how much each weighs (RankingParameters::retrieval_pairs).
struct RetrievalPairOptions {
  std::size_t pairs = 0;      ///< the rarest this many pairs; 0: off
  double weight = 1.0;        ///< scale of each pair's phrase weight (× rarity / its terms' idf)
  double min_rarity = 0.0;    ///< pairs commoner than this (log N / bigram count) are left out
  std::size_t min_units = 5;  ///< only queries of at least this many units
};

/// The rare-pair part for one reading: an OR of window-2 phrases (adjacent, in order) of the
/// `options.pairs` rarest adjacent pairs of one group, neither syllable a question word, each
/// scaled by weight × rarity / (idf of its two syllables) so that its BM25 weight (which Xapian
/// sums from the two syllables' weights) follows the pair's rarity, not its syllables'. Empty
/// when off, for short queries, or when no pair qualifies. `documents` and `term_frequency`
/// (by unit, of `reading`'s terms) give the idf.
[[nodiscard]] Xapian::Query retrieval_pair_query(const QueryPlan& plan,
                                                 const std::vector<std::string>& reading,
                                                 const SyllableModel& model, double documents,
                                                 const std::vector<double>& term_frequency,
                                                 const RetrievalPairOptions& options);

}  // namespace vnsearch::query
