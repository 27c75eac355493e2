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
/// least one band with probability 1 - (1 - s^3)^20: 0.93 at s = 0.5, 0.999 at s = 0.8, and
/// 0.0003 at s = 0.05 (typical for two articles on one topic).
inline constexpr std::size_t kBands = 20;
inline constexpr std::size_t kRowsPerBand = 3;
inline constexpr std::size_t kSignatureSize = kBands * kRowsPerBand;
/// Estimated Jaccard similarity (share of equal MinHash values) from which two documents are
/// copies of one story.
inline constexpr double kNearDuplicateJaccard = 0.5;
/// Documents with fewer distinct shingles get no signature (and are never grouped): a handful
/// of shingles gives estimates too coarse to trust.
inline constexpr std::size_t kMinShingles = 8;

using Signature = std::array<std::uint32_t, kSignatureSize>;

/// Builds a signature from a stream of syllables (exact forms), field after field.
class SketchBuilder {
 public:
  SketchBuilder();
  /// Adds the next syllable of the text.
  void add(std::string_view syllable);
  /// Ends a field: no shingle spans two fields.
  void end_field();
  /// The signature, or nothing when the text had fewer than kMinShingles shingles.
  [[nodiscard]] std::optional<Signature> finish() const;

 private:
  Signature minimum_;
  std::array<std::uint64_t, kShingleSyllables> window_{};
  std::size_t filled_ = 0;
  std::size_t shingles_ = 0;
};

/// Signature stored in a value slot: kSignatureSize little-endian 32-bit values.
[[nodiscard]] std::string encode_signature(const Signature& signature);
/// The signature back from a value slot; nothing when the value is not one (absent, damaged).
[[nodiscard]] std::optional<Signature> decode_signature(std::string_view value);

/// Share of equal MinHash values: an unbiased estimate of the Jaccard similarity.
[[nodiscard]] double estimated_jaccard(const Signature& a, const Signature& b);

/// The boolean band terms of a signature, one per band (schema::kStoryBand + band + hash).
[[nodiscard]] std::vector<std::string> band_terms(const Signature& signature);

}  // namespace vnsearch::indexing
