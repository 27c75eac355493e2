// Near-duplicate sketches: a MinHash signature of each document's word shingles, cut into LSH
// bands. Two documents whose bands agree somewhere are candidates; their signatures estimate the
// Jaccard similarity of their shingle sets, and at or above kNearDuplicateJaccard they are copies
// of one story. docs/duplicates.md explains the choice and the figures behind the thresholds.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch::indexing {

/// Syllables per shingle. Four syllables are two or three Vietnamese words: long enough that
/// shared stock phrases ("theo thông tin từ") do not make unrelated articles alike, short enough
/// that one edited word breaks only four shingles.
inline constexpr std::size_t kShingleSyllables = 4;
/// LSH banding: kBands bands of kRowsPerBand MinHash values. A pair with Jaccard s shares at
/// least one band with probability 1 - (1 - s^2)^30: 0.98 at s = 0.35 (the lowest Jaccard a
/// copy inside twice its length of page furniture has), 0.9998 at s = 0.5, and 0.07 at s = 0.05
/// (two articles on one topic), which the similarity check then turns down.
inline constexpr std::size_t kBands = 30;
inline constexpr std::size_t kRowsPerBand = 2;
inline constexpr std::size_t kSignatureSize = kBands * kRowsPerBand;
/// Bits of a band's hash kept in its term: 4,096 buckets per band, so on the shared corpus
/// (37,279 documents) a bucket holds ~9 documents and a document has ~270 candidates, each a
/// cached 60-value comparison. A full-width hash made every band term unique to its document:
/// 1.09 M distinct terms (78% of the index's), each a posting list and a B-tree entry of its
/// own, for no gain, since the signature check decides anyway (schema 7, docs/duplicates.md).
inline constexpr unsigned kBandHashBits = 12;
/// Estimated Jaccard similarity (share of equal MinHash values) from which two documents are
/// copies of one story: reprints, re-scrapes, light edits.
inline constexpr double kNearDuplicateJaccard = 0.5;
/// Estimated containment (share of the smaller document's shingles found in the larger) from
/// which two documents are copies too: a syndicated article inside another portal's menus and
/// footers has a low Jaccard similarity to the original but is almost wholly contained.
inline constexpr double kNearDuplicateContainment = 0.75;
/// ... provided the smaller document has at least this many distinct shingles: a brief of a few
/// lines is contained in many long articles that quote it.
inline constexpr std::size_t kMinContainedShingles = 60;
/// Documents with fewer distinct shingles get no signature (and are never grouped): a handful
/// of shingles gives estimates too coarse to trust.
inline constexpr std::size_t kMinShingles = 8;

/// The low 16 bits of each MinHash minimum are kept (b-bit minwise hashing): two different
/// minima agree by chance once in 65,536, which shifts a Jaccard estimate by at most 0.00002,
/// and the sketch in slot 8 takes 124 bytes instead of 244 (schema 7).
inline constexpr std::uint32_t kSignatureValueMask = 0xffff;

using Signature = std::array<std::uint32_t, kSignatureSize>;

/// A document's MinHash signature and its number of distinct shingles (for containment).
struct Sketch {
  Signature signature{};
  std::uint32_t shingles = 0;
};

/// Builds a signature from a stream of syllables (exact forms), field after field.
class SketchBuilder {
 public:
  SketchBuilder();
  /// Adds the next syllable of the text.
  void add(std::string_view syllable);
  /// Ends a field: no shingle spans two fields.
  void end_field();
  /// The sketch, or nothing when the text had fewer than kMinShingles distinct shingles.
  [[nodiscard]] std::optional<Sketch> finish();

 private:
  Signature minimum_;
  std::array<std::uint64_t, kShingleSyllables> window_{};
  std::size_t filled_ = 0;
  std::vector<std::uint64_t> shingles_;  // hashes, to count the distinct ones
};

/// Sketch stored in a value slot: the shingle count (little-endian 32-bit), then kSignatureSize
/// values, each a little-endian 16-bit number.
[[nodiscard]] std::string encode_sketch(const Sketch& sketch);
/// The sketch back from a value slot; nothing when the value is not one (absent, damaged). A
/// sketch written before schema 7 (32-bit values) comes back with the low 16 bits of each.
[[nodiscard]] std::optional<Sketch> decode_sketch(std::string_view value);

/// Share of equal MinHash values: an unbiased estimate of the Jaccard similarity.
[[nodiscard]] double estimated_jaccard(const Signature& a, const Signature& b);

/// Whether two documents are copies of one story: estimated Jaccard at least
/// kNearDuplicateJaccard, or estimated containment at least kNearDuplicateContainment of a
/// smaller document of at least kMinContainedShingles shingles.
[[nodiscard]] bool near_duplicates(const Sketch& a, const Sketch& b);

/// Whether two signatures agree in every value of at least one band: the LSH candidate
/// condition. A band term is a bucket shared by chance too, so candidates found through one are
/// kept only when this holds: the containment estimate of a short text against a long one
/// passes with two equal values anywhere in the signature, which unrelated pairs often have, and
/// the copies found stay exactly those of 48-bit band terms.
[[nodiscard]] bool share_a_band(const Signature& a, const Signature& b);

/// The bands of a signature as numbers: band number in the top 16 bits, kBandHashBits bits of
/// its hash in the lowest.
[[nodiscard]] std::array<std::uint64_t, kBands> band_keys(const Signature& signature);

/// The boolean term of a band key (schema::kStoryBand + two-digit band + 3 hex digits).
[[nodiscard]] std::string band_term(std::uint64_t band_key);

/// The boolean band terms of a signature, one per band.
[[nodiscard]] std::vector<std::string> band_terms(const Signature& signature);

}  // namespace vnsearch::indexing
