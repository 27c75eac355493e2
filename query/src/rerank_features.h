// The evidence the re-ranker weighs for one candidate, as one feature vector: what the
// hand-tuned formula (ranking.h) combines, what a learned linear model (rerank_model.h) reads,
// and what `VNSEARCH_FEATURE_DUMP` writes for training (bench/ltr_train.py).
#pragma once

#include <array>
#include <cstddef>
#include <fstream>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "hit_positions.h"
#include "proximity.h"
#include "query_plan.h"

namespace vnsearch::query {

/// Raw evidence of one re-ranked candidate (every value >= 0). The order is the model file's
/// and the dump's: append only.
enum RerankFeature : std::size_t {
  kXapianWeight,    ///< BM25 of the reading (title and body) plus the phrase clause
  kRelativeWeight,  ///< kXapianWeight / the top hit's weight
  kReciprocalRank,  ///< 1 / (1 + Xapian rank)
  kAdjacentPairs,   ///< ProximityEvidence::adjacent_pairs (pair rarity weighted)
  kAdjacentShare,   ///< adjacent_pairs / the rarity of every query pair
  kTitleCoverage,   ///< ProximityEvidence::title_coverage
  kTitleMatch,      ///< title_precision × title_coverage
  kBestWindow,      ///< ProximityEvidence::best_window (idf mass of the densest passage)
  kWindowShare,     ///< best_window / the idf mass of every query unit
  kUnitCoverage,    ///< idf-weighted share of the query units the document holds anywhere
  kShortTitle,      ///< 1 / (1 + title length)
  kFeatureCount
};

using RerankFeatures = std::array<double, kFeatureCount>;

/// What one reading of one query shares across its candidates.
struct RerankQuery {
  const QueryPlan* plan = nullptr;
  const std::vector<double>* pair_idf = nullptr;  ///< as proximity_evidence takes it
  const std::vector<double>* unit_idf = nullptr;
  double top_weight = 0;  ///< the first hit's Xapian weight
};

[[nodiscard]] RerankFeatures rerank_features(const RerankQuery& query, const HitPositions& hit,
                                             const ProximityEvidence& evidence, double weight,
                                             std::size_t rank);

[[nodiscard]] std::string_view rerank_feature_name(std::size_t feature);

/// Appends the features of every re-ranked candidate of one reading to the file named by
/// VNSEARCH_FEATURE_DUMP (one JSON line per candidate, for bench/ltr_train.py). A debugging
/// switch for training only: off (and free) when the variable is unset.
class FeatureDump {
 public:
  /// The dump file, or nullptr when VNSEARCH_FEATURE_DUMP is unset.
  static FeatureDump* instance();
  /// One line: the query as typed, which of its readings, the query's unit count and whether it
  /// was typed without marks, the candidate's stored id and its features. A training aid: when
  /// the file cannot be written it says so once on stderr and stops, never failing a search.
  void write(std::string_view query, std::size_t reading, const QueryPlan& plan,
             std::string_view id, std::size_t rank, const RerankFeatures& features);

 private:
  explicit FeatureDump(std::string path);
  std::string path_;
  std::mutex mutex_;     // searchers on several threads append to the one file
  std::ofstream out_;    // open for the process's life; guarded by mutex_
  bool failed_ = false;  // reported once; nothing more is written
};

}  // namespace vnsearch::query
