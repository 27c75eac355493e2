#include "vnsearch/ngram_counts.h"

#include "bit_stream.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace vnsearch {
namespace {

// Past this many pending changes they are merged into the arrays: bounds the hash map (about
// 50 bytes an entry) while a recount adds tens of millions of triples.
constexpr std::size_t kSettleAt = std::size_t{1} << 20;

std::uint32_t clamp_count(std::int64_t value) {
  return static_cast<std::uint32_t>(std::min<std::int64_t>(value, UINT32_MAX));
}

}  // namespace

void NgramCounts::add(std::uint64_t key, std::int64_t delta) {
  pending_[key] += delta;
  if (pending_.size() >= kSettleAt) settle();
}

void NgramCounts::settle() {
  if (pending_.empty()) return;
  std::vector<std::pair<std::uint64_t, std::int64_t>> changes(pending_.begin(), pending_.end());
  pending_.clear();
  std::sort(changes.begin(), changes.end());
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> counts;
  keys.reserve(keys_.size() + changes.size());
  counts.reserve(keys_.size() + changes.size());
  std::size_t i = 0;
  for (const auto& [key, delta] : changes) {
    for (; i < keys_.size() && keys_[i] < key; ++i) {
      keys.push_back(keys_[i]);
      counts.push_back(counts_[i]);
    }
    std::int64_t value = delta;
    if (i < keys_.size() && keys_[i] == key) value += counts_[i++];
    if (value > 0) {
      keys.push_back(key);
      counts.push_back(clamp_count(value));
    }
  }
  keys.insert(keys.end(), keys_.begin() + static_cast<std::ptrdiff_t>(i), keys_.end());
  counts.insert(counts.end(), counts_.begin() + static_cast<std::ptrdiff_t>(i), counts_.end());
  replace(std::move(keys), std::move(counts));
}

std::uint32_t NgramCounts::count(std::uint64_t key) const {
  std::int64_t value = 0;
  std::size_t begin = 0, end = keys_.size();
  if (bucket_bits_ > 0) {
    const std::size_t bucket = key >> (64 - bucket_bits_);
    begin = buckets_[bucket];
    end = buckets_[bucket + 1];
  }
  const auto first = keys_.begin() + static_cast<std::ptrdiff_t>(begin);
  const auto last = keys_.begin() + static_cast<std::ptrdiff_t>(end);
  const auto found = std::lower_bound(first, last, key);
  if (found != last && *found == key)
    value = counts_[static_cast<std::size_t>(found - keys_.begin())];
  if (!pending_.empty()) {
    const auto change = pending_.find(key);
    if (change != pending_.end()) value += change->second;
  }
  return value > 0 ? clamp_count(value) : 0;
}

void NgramCounts::merge(const NgramCounts& other) {
  for (const auto& [key, delta] : other.pending_) add(key, delta);
  settle();
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> counts;
  keys.reserve(keys_.size() + other.keys_.size());
  counts.reserve(keys_.size() + other.keys_.size());
  std::size_t i = 0, j = 0;
  while (i < keys_.size() || j < other.keys_.size()) {
    if (j == other.keys_.size() || (i < keys_.size() && keys_[i] < other.keys_[j])) {
      keys.push_back(keys_[i]);
      counts.push_back(counts_[i++]);
    } else if (i == keys_.size() || other.keys_[j] < keys_[i]) {
      keys.push_back(other.keys_[j]);
      counts.push_back(other.counts_[j++]);
    } else {
      keys.push_back(keys_[i]);
      counts.push_back(clamp_count(std::int64_t{counts_[i++]} + other.counts_[j++]));
    }
  }
  replace(std::move(keys), std::move(counts));
}

void NgramCounts::prune(std::uint32_t min_count) {
  settle();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (counts_[i] < min_count) continue;
    keys_[kept] = keys_[i];
    counts_[kept++] = counts_[i];
  }
  keys_.resize(kept);
  counts_.resize(kept);
  keys_.shrink_to_fit();
  counts_.shrink_to_fit();
  index_buckets();
}

namespace {

// The Rice parameter for `entries` keys up to `last`: the gaps between hashes spread evenly are
// about geometric with mean last / entries, and a parameter of log2 of the mean codes them in
// about log2(mean) + 2 bits.
unsigned rice_bits(std::uint64_t last, std::uint64_t entries) {
  if (entries == 0) return 0;
  const std::uint64_t mean = last / entries;
  return mean == 0 ? 0 : static_cast<unsigned>(std::bit_width(mean) - 1);
}

template <typename T>
void append_raw(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

void NgramCounts::write(std::string& out, std::uint32_t min_count) const {
  if (!pending_.empty()) throw std::logic_error("NgramCounts::write with unsettled changes");
  std::uint64_t kept = 0, last = 0;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (counts_[i] < min_count) continue;
    ++kept;
    last = keys_[i];
  }
  const unsigned bits = rice_bits(last, kept);
  append_raw(out, kept);
  out.push_back(static_cast<char>(bits));
  const std::size_t length_at = out.size();
  append_raw(out, std::uint64_t{0});  // the stream's length, filled in below
  const std::size_t stream_at = out.size();
  out.reserve(out.size() + kept * 6);
  schema::BitWriter stream(out);
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const std::uint32_t count = counts_[i];
    if (count < min_count) continue;
    const std::uint64_t gap = keys_[i] - previous;  // keys ascend: never wraps
    previous = keys_[i];
    stream.put_unary(gap >> bits);
    stream.put(gap, bits);
    const auto width = static_cast<unsigned>(std::bit_width(count));  // counts are > 0
    stream.put_unary(width - 1);
    stream.put(count, width - 1);  // the top bit is always set: not written
  }
  stream.finish();
  const std::uint64_t length = out.size() - stream_at;
  std::memcpy(out.data() + length_at, &length, sizeof length);
}

void NgramCounts::read(std::string_view bytes, std::size_t& at, std::uint32_t min_count,
                       const std::string& name) {
  std::uint64_t entries = 0, length = 0;
  unsigned char bits = 0;
  constexpr std::size_t kHead = sizeof entries + 1 + sizeof length;
  if (bytes.size() - at < kHead) throw std::runtime_error(name + " is truncated");
  std::memcpy(&entries, bytes.data() + at, sizeof entries);
  bits = static_cast<unsigned char>(bytes[at + sizeof entries]);
  std::memcpy(&length, bytes.data() + at + sizeof entries + 1, sizeof length);
  at += kHead;
  if (length > bytes.size() - at) throw std::runtime_error(name + " is truncated");
  // Every entry takes at least two bits (a gap's and a count's ends): more is damage, not a
  // reason to reserve gigabytes.
  if (bits > 63 || entries > length * 4) throw std::runtime_error(name + " is damaged");
  schema::BitReader stream(bytes.substr(at, length), name);
  at += length;
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> counts;
  // Most triples are seen once: the searcher keeps a fifth of them, so it does not reserve for all.
  if (min_count <= 1) {
    keys.reserve(entries);
    counts.reserve(entries);
  }
  const std::uint64_t max_quotient = UINT64_MAX >> bits;
  std::uint64_t previous = 0;
  for (std::uint64_t i = 0; i < entries; ++i) {
    const std::uint64_t quotient = stream.get_unary(max_quotient);
    std::uint64_t low = 0;
    if (bits > 32) {
      low = stream.get(32);
      low |= stream.get(bits - 32u) << 32;
    } else {
      low = stream.get(bits);
    }
    const std::uint64_t gap = (quotient << bits) | low;
    const std::uint64_t width = stream.get_unary(31) + 1;
    const auto count = static_cast<std::uint32_t>((std::uint64_t{1} << (width - 1)) |
                                                  stream.get(static_cast<unsigned>(width - 1)));
    // A repeated key or one past the largest hash: not what write() makes, so never counts.
    if ((i > 0 && gap == 0) || gap > UINT64_MAX - previous) {
      throw std::runtime_error(name + " is damaged");
    }
    previous += gap;
    if (count >= min_count) {
      keys.push_back(previous);
      counts.push_back(count);
    }
  }
  if (stream.bytes_used() != length) throw std::runtime_error(name + " is damaged");
  pending_.clear();
  replace(std::move(keys), std::move(counts));
  keys_.shrink_to_fit();
  counts_.shrink_to_fit();
}

void NgramCounts::replace(std::vector<std::uint64_t> keys, std::vector<std::uint32_t> counts) {
  keys_ = std::move(keys);
  counts_ = std::move(counts);
  index_buckets();
}

void NgramCounts::index_buckets() {
  // About four entries a bucket, at most 2^20 buckets (4 MiB).
  unsigned bits = 0;
  while (bits < 20 && (std::size_t{4} << bits) < keys_.size()) ++bits;
  bucket_bits_ = bits;
  buckets_.clear();
  if (bits == 0) return;
  buckets_.assign((std::size_t{1} << bits) + 1, 0);
  std::size_t i = 0;
  for (std::size_t bucket = 0; bucket < (std::size_t{1} << bits); ++bucket) {
    while (i < keys_.size() && (keys_[i] >> (64 - bits)) < bucket) ++i;
    buckets_[bucket] = static_cast<std::uint32_t>(i);
  }
  buckets_.back() = static_cast<std::uint32_t>(keys_.size());
}

}  // namespace vnsearch
