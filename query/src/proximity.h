// Proximity evidence for re-ranking: which adjacent query syllables stand adjacent in a
// document, and which query syllables its title holds. Read from positions, for the top hits
// only, so the index needs no bigram terms.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "hit_positions.h"
#include "query_plan.h"

namespace vnsearch::query {

struct ProximityEvidence {
  double adjacent_pairs = 0;  ///< weighted count of query bigrams found adjacent in the document
  double title_coverage = 0;  ///< weighted share of the query syllables found in the title
  double best_window = 0;     ///< idf mass of distinct query syllables in the densest passage
  /// Share of the title's positions that hold a query syllable: the title's own length
  /// normalisation (BM25F-style), which BM25 over the whole document cannot give. A headline
  /// typed in full covers its own title entirely and a longer title holding the same words less.
  double title_precision = 0;
};

/// Share of the title positions [kTitleStart, title_end) found in `positions` (one ascending
/// list per query unit); 0 for a document without a title.
[[nodiscard]] double title_precision(const std::vector<std::vector<Xapian::termpos>>& positions,
                                     Xapian::termpos title_end, Xapian::termpos title_length);

/// Evidence for one hit from its positions of each reading's syllables (read_hit_positions over
/// the reading: one list per unit of `plan`).
[[nodiscard]] ProximityEvidence proximity_evidence(const HitPositions& hit, const QueryPlan& plan,
                                                   const std::vector<double>& pair_idf,
                                                   const std::vector<double>& unit_idf,
                                                   Xapian::termpos window);

/// Evidence for document `docid` under one reading of the query (reads its positions alone;
/// the searcher reads its top hits' together with read_hit_positions).
/// `pair_idf[i]` is the rarity of the bigram (reading[i-1], reading[i]) (entry 0 unused);
/// `unit_idf[i]` the weight of unit i in passages of `window` positions.
[[nodiscard]] ProximityEvidence proximity_evidence(const Xapian::Database& db, Xapian::docid docid,
                                                   const QueryPlan& plan,
                                                   const std::vector<std::string>& reading,
                                                   const std::vector<double>& pair_idf,
                                                   const std::vector<double>& unit_idf,
                                                   Xapian::termpos window);

}  // namespace vnsearch::query
