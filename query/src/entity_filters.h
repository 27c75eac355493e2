// The entity filters (`person:`, `place:`, `org:`) and the entity facets (docs/entities.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "vnsearch/entity_terms.h"
#include "vnsearch/search.h"

namespace vnsearch::query {

/// The entity type a field name filters on: `person`, `place`, `org`; nothing for others.
[[nodiscard]] std::optional<schema::EntityType> entity_field(std::string_view field);

/// Documents naming `value` as an entity of `type`, however it is typed (case, marks, dashes):
/// the exact key's term OR the folded key's term.
[[nodiscard]] Xapian::Query entity_value_query(schema::EntityType type, std::string_view value);

/// How many documents name `value` as an entity of `type` (the larger of the two terms').
[[nodiscard]] Xapian::doccount documents_with_entity(const Xapian::Database& db,
                                                     schema::EntityType type,
                                                     std::string_view value);

/// Counts, over every match the matcher visits, the documents naming each entity (read from
/// the value slot kSlotEntities, which holds a document's 32 most mentioned entities).
class EntitySpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double weight) override;
  [[nodiscard]] std::string name() const override { return "vnsearch.EntitySpy"; }

  /// The `limit` entities of `type` named by most matches, ties by key; each shown in the form
  /// most of those documents wrote it (the first in byte order on a tie).
  [[nodiscard]] std::vector<FacetCount> top(schema::EntityType type, std::size_t limit) const;

 private:
  struct Count {
    std::map<std::string, std::uint64_t> displays;  // form written -> documents
    std::uint64_t documents = 0;
  };
  std::map<std::pair<schema::EntityType, std::string>, Count> counts_;
};

}  // namespace vnsearch::query
