// Entity candidates of one article: people, places and organisations found by how Vietnamese
// writes names (every syllable of a name capitalised: `Lê Hồng Hiệp`, `Bà Rịa – Vũng Tàu`) and
// typed by the cue words around them (`ông`, `Thiếu tướng`, `tỉnh`, `Bộ`, `Công an`). No
// dictionary of names; the rules and their failure modes are in docs/entities.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "vnsearch/entity_terms.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::indexing {

/// One entity of a document, all its mentions merged.
struct Entity {
  schema::EntityType type = schema::EntityType::kPerson;
  std::string key;         ///< schema::entity_key form: exact syllables joined by a space
  std::string folded_key;  ///< the key folded (no marks, đ→d)
  std::string display;     ///< the form written most often in the article
  std::uint32_t mentions = 0;
};

/// Collects the fields of one document, then finds its entities. Not thread-safe; cheap to make.
class EntityCollector {
 public:
  /// Adds one field: its text and the tokens the Analyzer made of it (offsets into `text`).
  void add_field(std::string_view text, const std::vector<Token>& tokens);

  /// The document's entities, most mentioned first (ties by key), at most kMaxEntities.
  [[nodiscard]] std::vector<Entity> finish() const;

  static constexpr std::size_t kMaxEntities = 64;

  /// One word of a field as the rules see it (public for the implementation's helpers).
  struct Unit {
    std::string exact, folded, surface;
    bool capital = false;         ///< first letter upper-case as written
    bool syllable = false;        ///< a well-formed Vietnamese syllable
    bool joined = false;          ///< follows the previous unit in its sentence with only a
                                  ///< space (or a spaced dash) between them
    bool dash = false;            ///< the join is a dash (`Bà Rịa – Vũng Tàu`)
    bool hyphen = false;          ///< the join is a bare hyphen (`Jae-in`, `Rịa-Vũng`)
    bool after_comma = false;     ///< not joined: a comma and spaces before it, same sentence
    bool sentence_start = false;  ///< first word of its sentence
  };

 private:
  std::vector<std::vector<Unit>> fields_;
  std::unordered_set<std::string> lower_words_;  // exact forms seen written in lower case
};

/// The document's entity terms (exact and folded, boolean) and its facet slot value.
void add_entity_terms(Xapian::Document& xdoc, const std::vector<Entity>& entities);

/// Convenience for tests and benches: the entities of a text given as fields.
[[nodiscard]] std::vector<Entity> extract_entities(const std::vector<std::string>& fields);

}  // namespace vnsearch::indexing
