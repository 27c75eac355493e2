#include "hit_positions.h"

#include <algorithm>
#include <map>

#include "vnsearch/schema.h"

namespace vnsearch::query {

namespace {

// One document at a time, through Database::positionlist_begin and the document's value: for
// a backend without value streams or posting-list positions (UnimplementedError).
HitPositions read_one_by_one(const Xapian::Database& db, Xapian::docid docid,
                             const std::vector<std::string>& terms) {
  HitPositions hit;
  const std::string value =
      db.get_document(docid, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotTitleLength);
  if (!value.empty()) {
    hit.title_length =
        static_cast<Xapian::termpos>(std::max(0.0, Xapian::sortable_unserialise(value)));
  }
  for (const std::string& term : terms) {
    std::vector<Xapian::termpos>& positions = hit.positions.emplace_back();
    if (term.empty()) continue;
    for (auto it = db.positionlist_begin(docid, term); it != db.positionlist_end(docid, term);
         ++it) {
      positions.push_back(*it);
    }
  }
  return hit;
}

std::vector<HitPositions> read_together(const Xapian::Database& db,
                                        const std::vector<Xapian::docid>& docids,
                                        const std::vector<std::string>& terms) {
  // Each distinct document once, in ascending docid order, so every iterator moves forward.
  std::vector<Xapian::docid> sorted = docids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<HitPositions> found(sorted.size());
  for (HitPositions& hit : found) hit.positions.resize(terms.size());

  // The title length of each hit, from the value stream (also one forward pass).
  const Xapian::ValueIterator values_end = db.valuestream_end(schema::kSlotTitleLength);
  Xapian::ValueIterator value = db.valuestream_begin(schema::kSlotTitleLength);
  for (std::size_t k = 0; k < sorted.size() && value != values_end; ++k) {
    if (value.get_docid() < sorted[k]) value.skip_to(sorted[k]);
    if (value != values_end && value.get_docid() == sorted[k]) {
      found[k].title_length =
          static_cast<Xapian::termpos>(std::max(0.0, Xapian::sortable_unserialise(*value)));
    }
  }

  // Each distinct term once (in key order), its posting list walked through the hits.
  std::map<std::string, std::vector<std::size_t>> slots;  // term -> its indexes in `terms`
  for (std::size_t t = 0; t < terms.size(); ++t) {
    if (!terms[t].empty()) slots[terms[t]].push_back(t);
  }
  for (const auto& [term, indexes] : slots) {
    Xapian::PostingIterator posting = db.postlist_begin(term);
    const Xapian::PostingIterator end = db.postlist_end(term);
    for (std::size_t k = 0; k < sorted.size() && posting != end; ++k) {
      if (*posting < sorted[k]) posting.skip_to(sorted[k]);
      if (posting == end || *posting != sorted[k]) continue;
      std::vector<Xapian::termpos>& positions = found[k].positions[indexes.front()];
      for (auto it = posting.positionlist_begin(); it != posting.positionlist_end(); ++it) {
        positions.push_back(*it);
      }
      for (std::size_t i = 1; i < indexes.size(); ++i) found[k].positions[indexes[i]] = positions;
    }
  }

  std::vector<HitPositions> hits;
  hits.reserve(docids.size());
  for (Xapian::docid docid : docids) {
    const auto at = std::lower_bound(sorted.begin(), sorted.end(), docid) - sorted.begin();
    hits.push_back(found[static_cast<std::size_t>(at)]);
  }
  return hits;
}

}  // namespace

std::vector<HitPositions> read_hit_positions(const Xapian::Database& db,
                                             const std::vector<Xapian::docid>& docids,
                                             const std::vector<std::string>& terms) {
  try {
    return read_together(db, docids, terms);
  } catch (const Xapian::UnimplementedError&) {
    std::vector<HitPositions> hits;
    for (Xapian::docid docid : docids) hits.push_back(read_one_by_one(db, docid, terms));
    return hits;
  }
}

}  // namespace vnsearch::query
