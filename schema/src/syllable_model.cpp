#include "vnsearch/syllable_model.h"

#include "atomic_file.h"

#include "vnsearch/schema.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <type_traits>

namespace vnsearch {
namespace {

// Version 03 adds trigram counts; 02 had no trigrams and 01 kept only the pruned bigrams (which
// cannot be updated). Older files are reported as such, and the indexer recounts them.
constexpr char kMagic[8] = {'V', 'N', 'S', 'Y', 'L', 'M', '0', '3'};
constexpr std::string_view kOlderMagics[] = {"VNSYLM01", "VNSYLM02"};

std::uint64_t pair_hash(std::string_view first, std::string_view second) {
  return schema::fnv1a(schema::fnv1a_separator(schema::fnv1a(schema::kFnvOffsetBasis, first)),
                       second);
}

std::uint64_t triple_hash(std::string_view first, std::string_view second, std::string_view third) {
  return schema::fnv1a(schema::fnv1a_separator(pair_hash(first, second)), third);
}

// Only words count: numbers, codes and URLs have no diacritics to restore.
bool is_syllable_token(const Token& token) {
  return token.kind == TokenKind::kWord && token.role != TokenRole::kCompound;
}

template <typename T>
void write_raw(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Reads the model's bytes in order; running past the end is a truncated model.
struct ByteReader {
  std::string_view bytes;
  std::size_t at = 0;

  template <typename T>
  void read(T& value) {
    if (bytes.size() - at < sizeof value) throw std::runtime_error("truncated syllable model");
    std::memcpy(&value, bytes.data() + at, sizeof value);
    at += sizeof value;
  }
  std::string_view take(std::size_t length) {
    if (bytes.size() - at < length) throw std::runtime_error("truncated syllable model");
    const std::string_view part = bytes.substr(at, length);
    at += length;
    return part;
  }
};

}  // namespace

template <typename Update>
void SyllableModel::count_tokens(const std::vector<Token>& tokens, Update update) {
  const Token* previous = nullptr;
  const Token* before_previous = nullptr;  // the syllable before `previous`, when adjacent
  for (const Token& token : tokens) {
    if (!is_syllable_token(token)) {
      if (token.role != TokenRole::kCompound) previous = before_previous = nullptr;
      continue;
    }
    update(unigrams_, token.exact);
    if (previous != nullptr && previous->sentence == token.sentence &&
        previous->position + 1 == token.position) {
      update(bigrams_, pair_hash(previous->exact, token.exact));
      if (before_previous != nullptr) {
        update(trigrams_, triple_hash(before_previous->exact, previous->exact, token.exact));
      }
      before_previous = previous;
    } else {
      before_previous = nullptr;
    }
    previous = &token;
  }
}

void SyllableModel::add_tokens(const std::vector<Token>& tokens) {
  count_tokens(tokens, [this](auto& counts, const auto& key) {
    ++counts[key];
    if constexpr (std::is_same_v<std::decay_t<decltype(key)>, std::string>) ++total_;
  });
}

void SyllableModel::remove_tokens(const std::vector<Token>& tokens) {
  count_tokens(tokens, [this](auto& counts, const auto& key) {
    const auto found = counts.find(key);
    if (found == counts.end()) return;  // counted in another model: nothing to take back
    if (--found->second == 0) counts.erase(found);
    if constexpr (std::is_same_v<std::decay_t<decltype(key)>, std::string>) {
      if (total_ > 0) --total_;
    }
  });
}

void SyllableModel::merge(const SyllableModel& other) {
  for (const auto& [word, count] : other.unigrams_) unigrams_[word] += count;
  for (const auto& [key, count] : other.bigrams_) bigrams_[key] += count;
  for (const auto& [key, count] : other.trigrams_) trigrams_[key] += count;
  total_ += other.total_;
}

void SyllableModel::prune_bigrams(std::uint32_t min_count) {
  std::erase_if(bigrams_, [&](const auto& entry) { return entry.second < min_count; });
  std::erase_if(trigrams_, [&](const auto& entry) { return entry.second < min_count; });
}

std::uint32_t SyllableModel::unigram(std::string_view exact) const {
  const auto found = unigrams_.find(std::string(exact));
  return found == unigrams_.end() ? 0 : found->second;
}

std::uint32_t SyllableModel::bigram(std::string_view first, std::string_view second) const {
  const auto found = bigrams_.find(pair_hash(first, second));
  return found == bigrams_.end() ? 0 : found->second;
}

std::uint32_t SyllableModel::trigram(std::string_view first, std::string_view second,
                                     std::string_view third) const {
  const auto found = trigrams_.find(triple_hash(first, second, third));
  return found == trigrams_.end() ? 0 : found->second;
}

const std::vector<SyllableReading>& SyllableModel::readings(std::string_view folded) const {
  static const std::vector<SyllableReading> kNone;
  const auto found = readings_.find(std::string(folded));
  return found == readings_.end() ? kNone : found->second;
}

void SyllableModel::index_readings() {
  readings_.clear();
  for (const auto& [exact, count] : unigrams_) {
    readings_[to_folded(exact)].push_back({exact, count});
  }
  for (auto& [folded, list] : readings_) {
    std::sort(list.begin(), list.end(), [](const SyllableReading& a, const SyllableReading& b) {
      return a.count != b.count ? a.count > b.count : a.exact < b.exact;
    });
  }
}

std::string SyllableModel::to_bytes(std::uint64_t tag) const {
  std::string out(kMagic, sizeof kMagic);
  write_raw(out, tag);
  write_raw(out, total_);
  write_raw(out, static_cast<std::uint64_t>(unigrams_.size()));
  for (const auto& [word, count] : unigrams_) {
    const auto length = static_cast<std::uint16_t>(std::min<std::size_t>(word.size(), 0xFFFF));
    write_raw(out, length);
    out.append(word.data(), length);
    write_raw(out, count);
  }
  for (const auto* counts : {&bigrams_, &trigrams_}) {
    write_raw(out, static_cast<std::uint64_t>(counts->size()));
    for (const auto& [key, count] : *counts) {
      write_raw(out, key);
      write_raw(out, count);
    }
  }
  return out;
}

void SyllableModel::save(const std::filesystem::path& path, std::uint64_t tag) const {
  const std::string bytes = to_bytes(tag);
  schema::replace_file_atomically(path, [&](std::ostream& out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

std::uint64_t SyllableModel::load(const std::filesystem::path& path,
                                  std::uint32_t min_bigram_count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read syllable model " + path.string());
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("cannot read syllable model " + path.string());
  return load_bytes(bytes, path.string(), min_bigram_count);
}

std::uint64_t SyllableModel::load_bytes(std::string_view bytes, const std::string& name,
                                        std::uint32_t min_bigram_count) {
  for (const std::string_view older : kOlderMagics) {
    if (bytes.substr(0, older.size()) == older) {
      throw std::runtime_error("syllable model " + name + " was written by an older vnsearch");
    }
  }
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    throw std::runtime_error("not a vnsearch syllable model: " + name);
  }
  ByteReader in{bytes, sizeof kMagic};
  std::uint64_t tag = 0, unigram_count = 0;
  // Every entry takes at least 7 bytes: a count larger than the bytes allow is damage, not a
  // reason to reserve gigabytes.
  const auto plausible = [&](std::uint64_t entries) {
    if (entries > bytes.size() / 7) {
      throw std::runtime_error("syllable model " + name + " is damaged");
    }
  };
  try {
    in.read(tag);
    in.read(total_);
    in.read(unigram_count);
    plausible(unigram_count);
    unigrams_.clear();
    unigrams_.reserve(unigram_count);
    for (std::uint64_t i = 0; i < unigram_count; ++i) {
      std::uint16_t length = 0;
      std::uint32_t count = 0;
      in.read(length);
      const std::string_view word = in.take(length);
      in.read(count);
      unigrams_.emplace(std::string(word), count);
    }
    for (auto* counts : {&bigrams_, &trigrams_}) {
      std::uint64_t entries = 0;
      in.read(entries);
      plausible(entries);
      counts->clear();
      // Most pairs and triples are seen once: reserving for all of them when most are dropped
      // would take several times the memory the kept ones need.
      if (min_bigram_count <= 1) counts->reserve(entries);
      for (std::uint64_t i = 0; i < entries; ++i) {
        std::uint64_t key = 0;
        std::uint32_t count = 0;
        in.read(key);
        in.read(count);
        if (count >= min_bigram_count) counts->emplace(key, count);
      }
    }
  } catch (const std::runtime_error&) {
    throw std::runtime_error("syllable model " + name + " is truncated");
  }
  if (in.at != bytes.size()) {
    throw std::runtime_error("syllable model " + name + " has trailing bytes");
  }
  index_readings();
  return tag;
}

}  // namespace vnsearch
