// The Xapian schema shared by the indexer (which writes it) and the query side (which reads it):
// term prefixes, value slots and metadata keys, plus the functions that spell derived terms, so
// both sides build byte-identical terms. docs/schema.md explains each choice.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <xapian.h>

namespace vnsearch::schema {

// ---- Term prefixes. Exact syllables carry no prefix: they are case-folded, so they never begin
// with an upper-case ASCII letter, which Xapian reserves for prefixes.

/// Folded syllable (`Fdua` for đua, dừa, dưa...), only where it differs from the exact form.
inline constexpr std::string_view kFolded = "F";
/// Exact syllable of the title, for `title:` searches.
inline constexpr std::string_view kTitle = "S";
/// Unique document id (boolean).
inline constexpr std::string_view kId = "Q";
/// Source / publisher, exact form (boolean).
inline constexpr std::string_view kSource = "H";
/// Category, exact form (boolean).
inline constexpr std::string_view kCategory = "XC";
/// Tag, exact form (boolean).
inline constexpr std::string_view kTag = "K";
/// Author, exact form (boolean).
inline constexpr std::string_view kAuthor = "A";
/// Publication year `Y2020`, month `M202011`, day `D20201116` (boolean, for date filters).
inline constexpr std::string_view kYear = "Y";
inline constexpr std::string_view kMonth = "M";
inline constexpr std::string_view kDay = "D";
/// Folded field value: `XF` + the field's prefix + the value folded (`XFAdoi tuyen truyen`,
/// `XFHvnexpress`), for source, category, tag and author, so filters match whatever case and
/// marks they are typed with (boolean).
inline constexpr std::string_view kFoldedField = "XF";
/// Story key (boolean): `XS` + the story key of the document (kSlotStoryKey), so the indexer
/// finds every copy of a story when one of them changes (docs/duplicates.md).
inline constexpr std::string_view kStoryKey = "XS";
/// Near-duplicate LSH band (boolean): `XB` + two-digit band number + 12 hex digits of the band's
/// hash; documents sharing one are candidate copies (docs/duplicates.md).
inline constexpr std::string_view kStoryBand = "XB";
/// Entities named in the text (boolean; docs/entities.md): person `XP`, place `XL`,
/// organisation `XO`, + the entity's key (its syllables' exact forms joined by one space:
/// `XPnguyễn phú trọng`); with their folded twins `XF` + prefix + folded key
/// (`XFXPnguyen phu trong`), so `person:`, `place:` and `org:` filters ignore marks.
inline constexpr std::string_view kPerson = "XP";
inline constexpr std::string_view kPlace = "XL";
inline constexpr std::string_view kOrganisation = "XO";

// ---- Value slots.

/// Publication time, Xapian::sortable_serialise(unix seconds); absent when the date is unknown.
inline constexpr Xapian::valueno kSlotTimestamp = 0;
/// Source as displayed, for the source facet.
inline constexpr Xapian::valueno kSlotSource = 1;
/// Category as displayed, for the category facet.
inline constexpr Xapian::valueno kSlotCategory = 2;
/// Year as four digits, for the year facet.
inline constexpr Xapian::valueno kSlotYear = 3;
/// Hash of the document's indexed content and the schema version: unchanged documents are
/// skipped on re-indexing.
inline constexpr Xapian::valueno kSlotContentHash = 4;
/// Hash of the folded title, to collapse syndicated copies of one story.
inline constexpr Xapian::valueno kSlotTitleKey = 5;
/// Number of positions the title occupies: positions 1..N are the title, so a match's position
/// tells whether it is in the title.
inline constexpr Xapian::valueno kSlotTitleLength = 6;
/// Story key: the smallest document id among the near-duplicate copies of this document's story
/// (its own id when it has none). Enquire::set_collapse_key on it folds copies into one hit.
inline constexpr Xapian::valueno kSlotStoryKey = 7;
/// Near-duplicate sketch of the document's shingles: their count and MinHash signature
/// (binary; absent for very short texts), from which the indexer estimates similarity to
/// candidate copies.
inline constexpr Xapian::valueno kSlotMinHash = 8;
/// The document's entities for the entity facets: one line per entity, `p`/`l`/`o`, a tab, the
/// key, a tab, the form shown (vnsearch/entity_terms.h), most mentioned first; absent when the
/// document names none.
inline constexpr Xapian::valueno kSlotEntities = 9;

// ---- Metadata keys.

/// Schema version the database was written with.
inline constexpr std::string_view kMetaSchemaVersion = "vnsearch.schema";
/// Bumped whenever term generation changes, so stale documents are re-indexed, not skipped.
inline constexpr std::string_view kSchemaVersion = "7";

// ---- Positions. Fields are separated by a wide gap and sentences by one empty position, so
// phrases and bigrams never match across them.

/// First position of the title, the description and the body.
inline constexpr Xapian::termpos kTitleStart = 1;
inline constexpr Xapian::termpos kFieldGap = 100;

/// Xapian rejects terms over 245 bytes; longer tokens (long URLs) are not indexed as terms.
inline constexpr std::size_t kMaxTermBytes = 200;
/// Longest document id: its `Q` term must fit in kMaxTermBytes. Readers reject longer ids as
/// bad input (an id is a key: cutting or hashing it would make two documents one).
inline constexpr std::size_t kMaxIdBytes = kMaxTermBytes - kId.size();

/// Weight multiplier (wdf increment) for title terms: a title match counts as this many
/// occurrences in the body.
inline constexpr Xapian::termcount kTitleWdf = 3;

/// Stored document data: a one-line JSON object with the display fields (id, title,
/// description, date, source, url, author, category, tags), a newline, then the body as plain
/// text — so a hit list is shown without parsing whole bodies.
struct StoredRecordParts {
  std::string_view header_json;
  std::string_view body;
};
[[nodiscard]] std::string join_stored_record(std::string_view header_json, std::string_view body);
[[nodiscard]] StoredRecordParts split_stored_record(std::string_view data);

/// FNV-1a (64 bit), the hash behind content hashes, title keys and the syllable model's pair
/// keys. Values are stored on disk: changing them needs a schema version bump.
inline constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;
[[nodiscard]] std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes);
/// Mixes in the byte 0xFF, which never occurs in UTF-8: keeps ("ab","c") apart from ("a","bc").
[[nodiscard]] std::uint64_t fnv1a_separator(std::uint64_t hash);

/// `prefix` + `value`, with `value` put in exact form (case-folded, NFC, canonical tones) so a
/// filter typed any way matches.
[[nodiscard]] std::string boolean_term(std::string_view prefix, std::string_view value);

/// kFoldedField + `prefix` + `value` folded (case, every mark, đ→d): the diacritic-insensitive
/// twin of boolean_term, written for every source, category, tag and author.
[[nodiscard]] std::string folded_field_term(std::string_view prefix, std::string_view value);

}  // namespace vnsearch::schema
