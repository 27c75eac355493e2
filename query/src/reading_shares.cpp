#include "reading_shares.h"

#include <algorithm>

namespace vnsearch::query {

std::vector<ReadingShare> share_readings(const std::vector<ReadingEvidence>& evidence,
                                         const ReadingShareOptions& options) {
  if (evidence.empty()) return {};
  const double best_probability = std::max(evidence[0].probability, 1e-300);
  std::vector<ReadingShare> scored;
  for (std::size_t k = 0; k < evidence.size(); ++k) {
    // Occurrences count a phrase repeated within an article as often as it is written: a
    // reading that is the subject of its articles (`đu dây` in a story about rope swings) beats
    // one mentioned in passing in as many. A pruned count is never below the documents.
    const double count = options.by_occurrences
                             ? std::max(evidence[k].occurrences, evidence[k].documents)
                             : evidence[k].documents;
    scored.push_back({k, count + 0.5 * evidence[k].probability / best_probability});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const ReadingShare& a, const ReadingShare& b) {
    return a.weight > b.weight;
  });
  std::vector<ReadingShare> shares = {scored[0]};
  for (std::size_t k = 1; k < scored.size() && shares.size() < options.max_readings; ++k) {
    if (scored[k].weight >= options.runner_up * scored[0].weight) shares.push_back(scored[k]);
  }
  return shares;
}

}  // namespace vnsearch::query
