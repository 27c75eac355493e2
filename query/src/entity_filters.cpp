#include "entity_filters.h"

#include <algorithm>

#include "vnsearch/schema.h"

namespace vnsearch::query {

std::optional<schema::EntityType> entity_field(std::string_view field) {
  if (field == "person") return schema::EntityType::kPerson;
  if (field == "place") return schema::EntityType::kPlace;
  if (field == "org") return schema::EntityType::kOrganisation;
  return std::nullopt;
}

Xapian::Query entity_value_query(schema::EntityType type, std::string_view value) {
  const std::string key = schema::entity_key(value);
  if (key.empty()) return Xapian::Query::MatchNothing;
  // Since schema 7 a key that folding leaves unchanged has no `XF` twin: its exact term is the
  // exact term of the folded key, so `person:"đonald trump"` still finds `XPdonald trump`.
  const std::string folded_key = schema::folded_entity_key(value);
  const std::vector<Xapian::Query> terms = {
      Xapian::Query(schema::entity_term(type, key)),
      Xapian::Query(schema::folded_entity_term(type, folded_key)),
      Xapian::Query(schema::entity_term(type, folded_key))};
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Xapian::doccount documents_with_entity(const Xapian::Database& db, schema::EntityType type,
                                       std::string_view value) {
  const std::string key = schema::entity_key(value);
  if (key.empty()) return 0;
  const std::string folded_key = schema::folded_entity_key(value);
  return std::max({db.get_termfreq(schema::entity_term(type, key)),
                   db.get_termfreq(schema::folded_entity_term(type, folded_key)),
                   db.get_termfreq(schema::entity_term(type, folded_key))});
}

void EntitySpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  const std::string slot = doc.get_value(schema::kSlotEntities);
  if (slot.empty()) return;
  for (schema::SlotEntity& entity : schema::decode_slot_entities(slot)) {
    Count& count = counts_[{entity.type, std::move(entity.key)}];
    ++count.documents;
    ++count.displays[std::move(entity.display)];
  }
}

std::vector<FacetCount> EntitySpy::top(schema::EntityType type, std::size_t limit) const {
  std::vector<std::pair<const std::string*, const Count*>> found;
  for (const auto& [key, count] : counts_) {
    if (key.first == type) found.emplace_back(&key.second, &count);
  }
  const std::size_t kept = std::min(limit, found.size());
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(kept), found.end(),
                    [](const auto& a, const auto& b) {
                      if (a.second->documents != b.second->documents) {
                        return a.second->documents > b.second->documents;
                      }
                      return *a.first < *b.first;
                    });
  std::vector<FacetCount> out;
  for (std::size_t i = 0; i < kept; ++i) {
    // The form most documents wrote, the first in byte order on a tie: the same whatever order
    // the matcher visits the documents in (one database or several shards).
    const auto& displays = found[i].second->displays;
    const auto display =
        std::max_element(displays.begin(), displays.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    out.push_back({display->first, found[i].second->documents});
  }
  return out;
}

}  // namespace vnsearch::query
