#include "near_duplicates.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "vnsearch/schema.h"

namespace vnsearch::indexing {
namespace {

// splitmix64's finaliser: a fast, well-mixed 64-bit permutation. MinHash needs each of the
// kSignatureSize hash functions to order shingles independently; mixing the shingle hash with a
// per-function seed through it does.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Fixed seeds: signatures are stored on disk, so they must not change between runs (a change
// needs a schema version bump).
const std::array<std::uint64_t, kSignatureSize>& seeds() {
  static const std::array<std::uint64_t, kSignatureSize> values = [] {
    std::array<std::uint64_t, kSignatureSize> out{};
    std::uint64_t state = 0x76e5ea7c4d1f2b93ULL;
    for (auto& seed : out) {
      state += 0x9e3779b97f4a7c15ULL;
      seed = mix(state);
    }
    return out;
  }();
  return values;
}

}  // namespace

SketchBuilder::SketchBuilder() {
  minimum_.fill(std::numeric_limits<std::uint32_t>::max());
}

void SketchBuilder::add(std::string_view syllable) {
  window_[filled_ % kShingleSyllables] = schema::fnv1a(schema::kFnvOffsetBasis, syllable);
  ++filled_;
  if (filled_ < kShingleSyllables) return;
  // The shingle's hash depends on the order of its syllables: combine oldest first.
  std::uint64_t shingle = 0;
  for (std::size_t k = 0; k < kShingleSyllables; ++k) {
    shingle = mix(shingle ^ window_[(filled_ + k) % kShingleSyllables]);
  }
  shingles_.push_back(shingle);
  const auto& seed = seeds();
  for (std::size_t i = 0; i < kSignatureSize; ++i) {
    const auto value = static_cast<std::uint32_t>(mix(shingle ^ seed[i]) >> 32);
    minimum_[i] = std::min(minimum_[i], value);
  }
}

void SketchBuilder::end_field() {
  filled_ = 0;
}

std::optional<Sketch> SketchBuilder::finish() {
  std::sort(shingles_.begin(), shingles_.end());
  const auto distinct =
      static_cast<std::size_t>(std::unique(shingles_.begin(), shingles_.end()) - shingles_.begin());
  if (distinct < kMinShingles) return std::nullopt;
  Signature kept = minimum_;
  for (std::uint32_t& value : kept) value &= kSignatureValueMask;
  return Sketch{kept, static_cast<std::uint32_t>(std::min<std::size_t>(
                          distinct, std::numeric_limits<std::uint32_t>::max()))};
}

namespace {

void put32(std::string& out, std::uint32_t value) {
  for (int byte = 0; byte < 4; ++byte) out.push_back(static_cast<char>(value >> (8 * byte)));
}

void put16(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value));
  out.push_back(static_cast<char>(value >> 8));
}

std::uint32_t get16(std::string_view in, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(in[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + 1])) << 8;
}

std::uint32_t get32(std::string_view in, std::size_t at) {
  std::uint32_t value = 0;
  for (int byte = 0; byte < 4; ++byte) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + byte])) << (8 * byte);
  }
  return value;
}

}  // namespace

std::string encode_sketch(const Sketch& sketch) {
  std::string out;
  out.reserve(4 + kSignatureSize * 2);
  put32(out, sketch.shingles);
  for (std::uint32_t value : sketch.signature) put16(out, value & kSignatureValueMask);
  return out;
}

std::optional<Sketch> decode_sketch(std::string_view value) {
  Sketch sketch;
  if (value.size() == 4 + kSignatureSize * 2) {
    sketch.shingles = get32(value, 0);
    for (std::size_t i = 0; i < kSignatureSize; ++i) sketch.signature[i] = get16(value, 4 + 2 * i);
    return sketch;
  }
  if (value.size() == (kSignatureSize + 1) * 4) {
    // Written before schema 7 with 32-bit values: their low 16 bits are what a new sketch of
    // the same text holds, so old and new documents still compare during a re-index.
    sketch.shingles = get32(value, 0);
    for (std::size_t i = 0; i < kSignatureSize; ++i) {
      sketch.signature[i] = get32(value, 4 * (i + 1)) & kSignatureValueMask;
    }
    return sketch;
  }
  return std::nullopt;
}

bool near_duplicates(const Sketch& a, const Sketch& b) {
  const double jaccard = estimated_jaccard(a.signature, b.signature);
  if (jaccard >= kNearDuplicateJaccard) return true;
  const double smaller = std::min(a.shingles, b.shingles);
  if (smaller < kMinContainedShingles) return false;
  // |A ∩ B| = J / (1 + J) × (|A| + |B|), from J = |A ∩ B| / (|A| + |B| - |A ∩ B|).
  const double shared = jaccard / (1.0 + jaccard) * (double(a.shingles) + double(b.shingles));
  return shared / smaller >= kNearDuplicateContainment;
}

double estimated_jaccard(const Signature& a, const Signature& b) {
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kSignatureSize; ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(kSignatureSize);
}

bool share_a_band(const Signature& a, const Signature& b) {
  for (std::size_t band = 0; band < kBands; ++band) {
    const std::size_t first = band * kRowsPerBand;
    if (std::equal(a.begin() + first, a.begin() + first + kRowsPerBand, b.begin() + first)) {
      return true;
    }
  }
  return false;
}

std::array<std::uint64_t, kBands> band_keys(const Signature& signature) {
  std::array<std::uint64_t, kBands> keys{};
  for (std::size_t band = 0; band < kBands; ++band) {
    std::uint64_t hash = band + 1;
    for (std::size_t row = 0; row < kRowsPerBand; ++row) {
      hash = mix(hash ^ signature[band * kRowsPerBand + row]);
    }
    // The top kBandHashBits bits of the band's hash: a bucket of a few documents, which the
    // similarity check then sorts into copies and chance neighbours.
    keys[band] = (static_cast<std::uint64_t>(band) << 48) | (hash >> (64 - kBandHashBits));
  }
  return keys;
}

std::string band_term(std::uint64_t band_key) {
  char buffer[32];
  static_assert(kBandHashBits <= 12, "band terms hold three hex digits of the hash");
  std::snprintf(buffer, sizeof buffer, "%02llu%03llx",
                static_cast<unsigned long long>(band_key >> 48),
                static_cast<unsigned long long>(band_key & 0xfffULL));
  return std::string(schema::kStoryBand) + buffer;
}

std::vector<std::string> band_terms(const Signature& signature) {
  std::vector<std::string> terms;
  terms.reserve(kBands);
  for (std::uint64_t key : band_keys(signature)) terms.push_back(band_term(key));
  return terms;
}

}  // namespace vnsearch::indexing
