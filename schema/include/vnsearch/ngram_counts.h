// Counts keyed by a 64-bit hash (the syllable pairs and triples of the syllable model), held as
// two sorted arrays rather than a hash map: 12 bytes an entry instead of about 50, written to
// disk as coded gaps between the sorted keys (write()), and merged with another table in one
// linear pass.
// Changes are gathered in a small hash map and merged into the arrays in batches (settle()), so
// counting millions of texts stays linear too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vnsearch {

class NgramCounts {
 public:
  /// Adds `delta` (negative to take back) to the count of `key`; a count that falls to zero or
  /// below is dropped when the change is settled.
  void add(std::uint64_t key, std::int64_t delta);

  /// Merges the changes gathered by add() into the sorted arrays.
  void settle();

  /// The count of `key`, changes not yet settled included (0 when unknown).
  [[nodiscard]] std::uint32_t count(std::uint64_t key) const;

  /// Adds every count of `other` (settled or not).
  void merge(const NgramCounts& other);

  /// Drops the entries counted fewer than `min_count` times (settles first).
  void prune(std::uint32_t min_count);

  /// Settled entries (call settle() first for an exact figure).
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] bool settled() const { return pending_.empty(); }
  /// Same settled counts and nothing pending on either side.
  [[nodiscard]] bool operator==(const NgramCounts& other) const {
    return keys_ == other.keys_ && counts_ == other.counts_ && pending_.empty() &&
           other.pending_.empty();
  }

  /// Appends the entries counted at least `min_count` times: their number (8 bytes), the Rice
  /// parameter k (1 byte), the length of the bit stream (8 bytes) and the stream: for each entry
  /// in ascending key order the gap from the previous key (from 0 for the first) as a Rice code
  /// (the gap >> k in unary, then its low k bits) and the count as an Elias-gamma code (its
  /// width - 1 in unary, then its bits below the top one), bits packed least significant first,
  /// numbers little-endian. About 45 bits an entry for hashed keys, where plain arrays took 96.
  /// Throws std::logic_error when changes are not settled (a programming error).
  void write(std::string& out, std::uint32_t min_count) const;

  /// Reads what write() wrote from `bytes` at `at` (advanced past it), keeping the entries
  /// counted at least `min_count` times. Throws std::runtime_error ("truncated" or "damaged":
  /// a repeated key, a code write() never makes, a stream not ending where its length says)
  /// naming `name`.
  void read(std::string_view bytes, std::size_t& at, std::uint32_t min_count,
            const std::string& name);

 private:
  // Keys in ascending order and their counts (always > 0), index for index.
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> counts_;
  std::unordered_map<std::uint64_t, std::int64_t> pending_;
  // buckets_[b] is the first index whose key's top `bucket_bits_` bits are ≥ b: a lookup
  // searches one bucket of a few entries instead of the whole array (the keys are hashes, so
  // evenly spread).
  std::vector<std::uint32_t> buckets_;
  unsigned bucket_bits_ = 0;

  void index_buckets();
  void replace(std::vector<std::uint64_t> keys, std::vector<std::uint32_t> counts);
};

}  // namespace vnsearch
