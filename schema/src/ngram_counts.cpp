#include "vnsearch/ngram_counts.h"

#include <algorithm>
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

void NgramCounts::write(std::string& out, std::uint32_t min_count) const {
  if (!pending_.empty()) throw std::logic_error("NgramCounts::write with unsettled changes");
  std::uint64_t kept = 0;
  for (const std::uint32_t count : counts_) kept += count >= min_count ? 1 : 0;
  out.append(reinterpret_cast<const char*>(&kept), sizeof kept);
  const std::size_t keys_at = out.size();
  out.resize(out.size() + kept * (sizeof(std::uint64_t) + sizeof(std::uint32_t)));
  char* key_out = out.data() + keys_at;
  char* count_out = key_out + kept * sizeof(std::uint64_t);
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (counts_[i] < min_count) continue;
    std::memcpy(key_out, &keys_[i], sizeof keys_[i]);
    std::memcpy(count_out, &counts_[i], sizeof counts_[i]);
    key_out += sizeof keys_[i];
    count_out += sizeof counts_[i];
  }
}

void NgramCounts::read(std::string_view bytes, std::size_t& at, std::uint32_t min_count,
                       const std::string& name) {
  constexpr std::size_t kEntry = sizeof(std::uint64_t) + sizeof(std::uint32_t);
  std::uint64_t entries = 0;
  if (bytes.size() - at < sizeof entries) throw std::runtime_error(name + " is truncated");
  std::memcpy(&entries, bytes.data() + at, sizeof entries);
  at += sizeof entries;
  if (entries > (bytes.size() - at) / kEntry) throw std::runtime_error(name + " is truncated");
  const char* key_in = bytes.data() + at;
  const char* count_in = key_in + entries * sizeof(std::uint64_t);
  at += entries * kEntry;
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> counts;
  // Most triples are seen once: the searcher keeps a fifth of them, so it does not reserve for all.
  if (min_count <= 1 && entries > 0) {  // memcpy from or to null is undefined, even of 0 bytes
    keys.resize(entries);
    counts.resize(entries);
    std::memcpy(keys.data(), key_in, entries * sizeof(std::uint64_t));
    std::memcpy(counts.data(), count_in, entries * sizeof(std::uint32_t));
  }
  std::uint64_t previous = 0;
  for (std::uint64_t i = 0; i < entries; ++i) {
    std::uint64_t key = 0;
    std::uint32_t count = 0;
    std::memcpy(&key, key_in + i * sizeof key, sizeof key);
    std::memcpy(&count, count_in + i * sizeof count, sizeof count);
    // Out of order or zero: not what write() makes, so never read as counts.
    if ((i > 0 && key <= previous) || count == 0) throw std::runtime_error(name + " is damaged");
    previous = key;
    if (min_count > 1 && count >= min_count) {
      keys.push_back(key);
      counts.push_back(count);
    }
  }
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
