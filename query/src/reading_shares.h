// Which readings of a short unaccented phrase share the first page, in which order, and with
// what weight: a pure function of each reading's corpus counts, so the rule is testable apart
// from the searcher that gathers them.
#pragma once

#include <cstddef>
#include <vector>

namespace vnsearch::query {

/// What the index says of one candidate reading of a short query (a restoration path).
struct ReadingEvidence {
  /// Times the reading occurs as adjacent syllables in the indexed text (the syllable model's
  /// pair or triple count; 0 when unknown: longer readings, or counts pruned at load).
  double occurrences = 0;
  /// Documents holding the reading as a phrase (exact up to a check limit, estimated beyond).
  double documents = 0;
  /// The restoration model's probability of the whole reading.
  double probability = 0;
};

struct ReadingShareOptions {
  /// Rank readings by occurrences (never below their document count) instead of documents.
  /// The defaults are RankingParameters' (ranking.h, where the measurements are).
  bool by_occurrences = true;
  /// A reading shares the page when its count is at least this share of the best one's.
  double runner_up = 0.05;
  /// At most this many readings share the first page.
  std::size_t max_readings = 5;
};

/// One reading chosen to share the page: its index in the evidence, and its count (the weight
/// the interleaving shares slots by).
struct ReadingShare {
  std::size_t path = 0;
  double weight = 0;
};

/// The readings worth a place on the first page, most common first (the model's probability
/// breaks ties). Never empty when `evidence` is not.
[[nodiscard]] std::vector<ReadingShare> share_readings(const std::vector<ReadingEvidence>& evidence,
                                                       const ReadingShareOptions& options);

}  // namespace vnsearch::query
