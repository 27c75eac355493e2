#include "proximity.h"

#include <algorithm>

#include "vnsearch/schema.h"

namespace vnsearch::query {
namespace {

std::vector<Xapian::termpos> positions_of(const Xapian::Database& db, Xapian::docid docid,
                                          const std::string& term) {
  std::vector<Xapian::termpos> positions;
  try {
    for (auto it = db.positionlist_begin(docid, term); it != db.positionlist_end(docid, term);
         ++it) {
      positions.push_back(*it);
    }
  } catch (const Xapian::Error&) {
    // The term is not in this document: no positions.
  }
  return positions;
}

bool any_adjacent(const std::vector<Xapian::termpos>& first,
                  const std::vector<Xapian::termpos>& second) {
  std::size_t j = 0;
  for (Xapian::termpos position : first) {
    while (j < second.size() && second[j] < position + 1) ++j;
    if (j < second.size() && second[j] == position + 1) return true;
  }
  return false;
}

}  // namespace

ProximityEvidence proximity_evidence(const Xapian::Database& db, Xapian::docid docid,
                                     const QueryPlan& plan, const std::vector<std::string>& reading,
                                     const std::vector<double>& pair_idf) {
  ProximityEvidence evidence;
  const std::size_t count = plan.units.size();
  if (count == 0) return evidence;
  const Xapian::Document document = db.get_document(docid, Xapian::DOC_ASSUME_VALID);
  const std::string title_value = document.get_value(schema::kSlotTitleLength);
  const auto title_end = schema::kTitleStart +
                         static_cast<Xapian::termpos>(
                             title_value.empty() ? 0 : Xapian::sortable_unserialise(title_value));

  std::vector<std::vector<Xapian::termpos>> positions(count);
  double total_weight = 0;
  double title_weight = 0;
  for (std::size_t i = 0; i < count; ++i) {
    positions[i] = positions_of(db, docid, reading[i]);
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
  return evidence;
}

}  // namespace vnsearch::query
