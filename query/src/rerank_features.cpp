#include "rerank_features.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

namespace vnsearch::query {

RerankFeatures rerank_features(const RerankQuery& query, const HitPositions& hit,
                               const ProximityEvidence& evidence, double weight, std::size_t rank) {
  RerankFeatures features{};
  const QueryPlan& plan = *query.plan;
  const std::vector<double>& pair_idf = *query.pair_idf;
  const std::vector<double>& unit_idf = *query.unit_idf;
  double pair_total = 0, unit_total = 0, unit_held = 0;
  for (std::size_t i = 0; i < plan.units.size() && i < unit_idf.size(); ++i) {
    if (i > 0 && plan.units[i].group == plan.units[i - 1].group) {
      const bool question = plan.units[i - 1].question || plan.units[i].question;
      pair_total += (question ? 0.25 : 1.0) * pair_idf[i];
    }
    unit_total += unit_idf[i];
    if (i < hit.positions.size() && !hit.positions[i].empty()) unit_held += unit_idf[i];
  }
  features[kXapianWeight] = weight;
  features[kRelativeWeight] = query.top_weight > 0 ? weight / query.top_weight : 0;
  features[kReciprocalRank] = 1.0 / (1.0 + static_cast<double>(rank));
  features[kAdjacentPairs] = evidence.adjacent_pairs;
  features[kAdjacentShare] = pair_total > 0 ? evidence.adjacent_pairs / pair_total : 0;
  features[kTitleCoverage] = evidence.title_coverage;
  features[kTitleMatch] = evidence.title_precision * evidence.title_coverage;
  features[kBestWindow] = evidence.best_window;
  features[kWindowShare] = unit_total > 0 ? evidence.best_window / unit_total : 0;
  features[kUnitCoverage] = unit_total > 0 ? unit_held / unit_total : 0;
  features[kShortTitle] = 1.0 / (1.0 + static_cast<double>(hit.title_length));
  return features;
}

std::string_view rerank_feature_name(std::size_t feature) {
  static constexpr std::array<std::string_view, kFeatureCount> kNames = {
      "xapian_weight",  "relative_weight", "reciprocal_rank", "adjacent_pairs",
      "adjacent_share", "title_coverage",  "title_match",     "best_window",
      "window_share",   "unit_coverage",   "short_title"};
  return feature < kFeatureCount ? kNames[feature] : std::string_view("unknown");
}

FeatureDump* FeatureDump::instance() {
  static FeatureDump* dump = []() -> FeatureDump* {
    const char* path = std::getenv("VNSEARCH_FEATURE_DUMP");
    if (path == nullptr || *path == '\0') return nullptr;
    return new FeatureDump(path);  // lives as long as the process
  }();
  return dump;
}

FeatureDump::FeatureDump(std::string path) : path_(std::move(path)), out_(path_, std::ios::app) {}

void FeatureDump::write(std::string_view query, std::size_t reading, const QueryPlan& plan,
                        std::string_view id, std::size_t rank, const RerankFeatures& features) {
  const nlohmann::json line = {
      {"q", query}, {"r", reading}, {"n", plan.units.size()}, {"bare", plan.typed_without_marks},
      {"id", id},   {"rank", rank}, {"f", features}};
  const std::lock_guard lock(mutex_);
  if (failed_) return;
  out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (!out_) {
    failed_ = true;
    std::fprintf(stderr, "vnsearch: cannot append to the feature dump %s; no more is written\n",
                 path_.c_str());
  }
}

}  // namespace vnsearch::query
