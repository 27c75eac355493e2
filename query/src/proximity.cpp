#include "proximity.h"

#include <algorithm>

#include "vnsearch/schema.h"

namespace vnsearch::query {
namespace {

bool any_adjacent(const std::vector<Xapian::termpos>& first,
                  const std::vector<Xapian::termpos>& second) {
  std::size_t j = 0;
  for (Xapian::termpos position : first) {
    while (j < second.size() && second[j] < position + 1) ++j;
    if (j < second.size() && second[j] == position + 1) return true;
  }
  return false;
}

// The densest passage: the largest idf mass of distinct query syllables inside `window`
// consecutive positions. An answer sentence tends to hold many of the question's words.
double best_window(const std::vector<std::vector<Xapian::termpos>>& positions,
                   const std::vector<double>& unit_idf, Xapian::termpos window) {
  std::vector<std::pair<Xapian::termpos, std::size_t>> events;
  for (std::size_t unit = 0; unit < positions.size(); ++unit) {
    for (Xapian::termpos position : positions[unit]) events.emplace_back(position, unit);
  }
  std::sort(events.begin(), events.end());
  std::vector<int> inside(positions.size(), 0);
  double mass = 0, best = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < events.size(); ++last) {
    if (inside[events[last].second]++ == 0) mass += unit_idf[events[last].second];
    while (events[last].first - events[first].first >= window) {
      if (--inside[events[first].second] == 0) mass -= unit_idf[events[first].second];
      ++first;
    }
    best = std::max(best, mass);
  }
  return best;
}

}  // namespace

double title_precision(const std::vector<std::vector<Xapian::termpos>>& positions,
                       Xapian::termpos title_end, Xapian::termpos title_length) {
  if (title_length == 0) return 0;
  std::vector<bool> held(title_length, false);
  for (const auto& unit_positions : positions) {
    for (Xapian::termpos position : unit_positions) {
      if (position >= title_end) break;  // positions are ascending: the rest are in the body
      if (position >= schema::kTitleStart) held[position - schema::kTitleStart] = true;
    }
  }
  const auto count = static_cast<double>(std::count(held.begin(), held.end(), true));
  return count / static_cast<double>(title_length);
}

ProximityEvidence proximity_evidence(const HitPositions& hit, const QueryPlan& plan,
                                     const std::vector<double>& pair_idf,
                                     const std::vector<double>& unit_idf, Xapian::termpos window) {
  ProximityEvidence evidence;
  const std::size_t count = plan.units.size();
  if (count == 0) return evidence;
  const auto& positions = hit.positions;
  const Xapian::termpos title_end = schema::kTitleStart + hit.title_length;
  double total_weight = 0;
  double title_weight = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double weight = plan.units[i].question ? 0.25 : 1.0;
    total_weight += weight;
    if (!positions[i].empty() && positions[i].front() < title_end) title_weight += weight;
  }
  for (std::size_t i = 1; i < count; ++i) {
    if (plan.units[i].group != plan.units[i - 1].group) continue;
    if (any_adjacent(positions[i - 1], positions[i])) {
      const bool question = plan.units[i - 1].question || plan.units[i].question;
      evidence.adjacent_pairs += (question ? 0.25 : 1.0) * pair_idf[i];
    }
  }
  evidence.title_coverage = total_weight > 0 ? title_weight / total_weight : 0;
  evidence.title_precision = title_precision(positions, title_end, hit.title_length);
  evidence.best_window = best_window(positions, unit_idf, window);
  return evidence;
}

ProximityEvidence proximity_evidence(const Xapian::Database& db, Xapian::docid docid,
                                     const QueryPlan& plan, const std::vector<std::string>& reading,
                                     const std::vector<double>& pair_idf,
                                     const std::vector<double>& unit_idf, Xapian::termpos window) {
  if (plan.units.empty()) return {};
  return proximity_evidence(read_hit_positions(db, {docid}, reading).front(), plan, pair_idf,
                            unit_idf, window);
}

}  // namespace vnsearch::query
