// How entities (people, places, organisations named in an article; docs/entities.md) are spelt
// in the index, shared by the indexer that writes them and the query side that filters and
// facets on them, so both build byte-identical terms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/tokenizer.h"

namespace vnsearch::schema {

enum class EntityType : std::uint8_t { kPerson, kPlace, kOrganisation };

/// `person`, `place`, `org`: the filter names and facet names.
[[nodiscard]] std::string_view entity_type_name(EntityType type);
/// The term prefix of a type (kPerson, kPlace, kOrganisation).
[[nodiscard]] std::string_view entity_prefix(EntityType type);

/// The key of a name however it is typed: its syllables' exact forms (case-folded, canonical
/// tone placement) joined by one space, punctuation between them dropped: `Bà Rịa – Vũng Tàu`
/// and `bà rịa vũng tàu` have one key. A code is one word in its exact form (`TP.HCM`: `tphcm`).
[[nodiscard]] std::string entity_key(std::string_view name);
/// Whether the compound token `tokens[whole]` of `text`, with its parts up to `parts_end`, is
/// words joined by hyphens (`Rịa-Vũng`), read as those words in a name; any other code
/// (`TP.HCM`, `Covid-19`) is one word. The indexer's extraction and entity_key agree on it.
[[nodiscard]] bool splits_into_words(std::string_view text, const std::vector<Token>& tokens,
                                     std::size_t whole, std::size_t parts_end);
/// The key with every mark removed and đ→d (`ba ria vung tau`).
[[nodiscard]] std::string folded_entity_key(std::string_view name);

/// The boolean term of an entity, from its key: prefix + key, cut to kMaxTermBytes.
[[nodiscard]] std::string entity_term(EntityType type, std::string_view key);
/// Its diacritic-insensitive twin, from the folded key: `XF` + prefix + folded key.
[[nodiscard]] std::string folded_entity_term(EntityType type, std::string_view folded_key);

/// One entity of a document as the facet slot (kSlotEntities) holds it.
struct SlotEntity {
  EntityType type = EntityType::kPerson;
  std::string key;      ///< entity_key form
  std::string display;  ///< as written in the article (`Lê Hồng Hiệp`)
};

/// The slot's bytes: one line per entity, `p`/`l`/`o`, tab, key, tab, display.
[[nodiscard]] std::string encode_slot_entities(const std::vector<SlotEntity>& entities);
/// The entities of a slot value; malformed lines are skipped (never throws).
[[nodiscard]] std::vector<SlotEntity> decode_slot_entities(std::string_view bytes);

}  // namespace vnsearch::schema
