#include "vnsearch/syllable_model.h"

#include "atomic_file.h"
#include "compressed_payload.h"

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

// Version 05 codes the pair and triple tables as gaps between sorted keys and compresses all
// after the tag into one checksummed zstd frame (VNSYLC05 likewise); 04 had the same content as
// plain arrays, 03 kept every triple in the model file, 02 had no triples and 01 kept only the
// pruned pairs (which cannot be updated). Older files are reported as such, and the indexer
// recounts them.
constexpr char kMagic[8] = {'V', 'N', 'S', 'Y', 'L', 'M', '0', '5'};
constexpr std::string_view kOlderMagics[] = {"VNSYLM01", "VNSYLM02", "VNSYLM03", "VNSYLM04"};
constexpr char kCountsMagic[8] = {'V', 'N', 'S', 'Y', 'L', 'C', '0', '5'};

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

template <typename OnSyllable>
void SyllableModel::count_tokens(const std::vector<Token>& tokens, OnSyllable on_syllable,
                                 std::int64_t ngram_delta) {
  const Token* previous = nullptr;
  const Token* before_previous = nullptr;  // the syllable before `previous`, when adjacent
  for (const Token& token : tokens) {
    if (!is_syllable_token(token)) {
      if (token.role != TokenRole::kCompound) previous = before_previous = nullptr;
      continue;
    }
    on_syllable(token.exact);
    if (previous != nullptr && previous->sentence == token.sentence &&
        previous->position + 1 == token.position) {
      bigrams_.add(pair_hash(previous->exact, token.exact), ngram_delta);
      if (before_previous != nullptr) {
        trigrams_.add(triple_hash(before_previous->exact, previous->exact, token.exact),
                      ngram_delta);
      }
      before_previous = previous;
    } else {
      before_previous = nullptr;
    }
    previous = &token;
  }
}

void SyllableModel::add_tokens(const std::vector<Token>& tokens) {
  count_tokens(
      tokens,
      [this](const std::string& exact) {
        ++unigrams_[exact];
        ++total_;
      },
      1);
}

// A pair or triple falling to zero is dropped when the tables are settled.
void SyllableModel::remove_tokens(const std::vector<Token>& tokens) {
  count_tokens(
      tokens,
      [this](const std::string& exact) {
        const auto found = unigrams_.find(exact);
        if (found == unigrams_.end()) return;  // counted in another model: nothing to take back
        if (--found->second == 0) unigrams_.erase(found);
        if (total_ > 0) --total_;
      },
      -1);
}

void SyllableModel::merge(const SyllableModel& other) {
  for (const auto& [word, count] : other.unigrams_) unigrams_[word] += count;
  bigrams_.merge(other.bigrams_);
  trigrams_.merge(other.trigrams_);
  total_ += other.total_;
}

void SyllableModel::prune_bigrams(std::uint32_t min_count) {
  bigrams_.prune(min_count);
  trigrams_.prune(min_count);
}

void SyllableModel::settle() {
  bigrams_.settle();
  trigrams_.settle();
}

std::uint32_t SyllableModel::unigram(std::string_view exact) const {
  const auto found = unigrams_.find(std::string(exact));
  return found == unigrams_.end() ? 0 : found->second;
}

std::uint32_t SyllableModel::bigram(std::string_view first, std::string_view second) const {
  return bigrams_.count(pair_hash(first, second));
}

std::uint32_t SyllableModel::trigram(std::string_view first, std::string_view second,
                                     std::string_view third) const {
  return trigrams_.count(triple_hash(first, second, third));
}

const std::vector<SyllableReading>& SyllableModel::readings(std::string_view folded) const {
  static const std::vector<SyllableReading> kNone;
  const auto found = readings_.find(std::string(folded));
  return found == readings_.end() ? kNone : found->second;
}

void SyllableModel::index_readings() {
  settle();
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
  std::string out;
  write_raw(out, total_);
  write_raw(out, static_cast<std::uint64_t>(unigrams_.size()));
  for (const auto& [word, count] : unigrams_) {
    const auto length = static_cast<std::uint16_t>(std::min<std::size_t>(word.size(), 0xFFFF));
    write_raw(out, length);
    out.append(word.data(), length);
    write_raw(out, count);
  }
  bigrams_.write(out, 1);
  trigrams_.write(out, kSearchMinBigramCount);
  std::string file(kMagic, sizeof kMagic);
  write_raw(file, tag);
  return file + schema::compress_payload(out);
}

namespace {

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  schema::replace_file_atomically(path, [&](std::ostream& out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot read syllable model " + path.string());
  std::string bytes(static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw std::runtime_error("cannot read syllable model " + path.string());
  return bytes;
}

}  // namespace

void SyllableModel::save(const std::filesystem::path& path, std::uint64_t tag) const {
  write_file(path, to_bytes(tag));
}

void SyllableModel::save_bytes(const std::filesystem::path& path, const std::string& bytes) {
  write_file(path, bytes);
}

void SyllableModel::save_full_counts(const std::filesystem::path& path, std::uint64_t tag) const {
  std::string table;
  trigrams_.write(table, 1);
  std::string out(kCountsMagic, sizeof kCountsMagic);
  write_raw(out, tag);
  write_file(path, out + schema::compress_payload(table));
}

std::uint64_t SyllableModel::load(const std::filesystem::path& path,
                                  std::uint32_t min_bigram_count) {
  return load_bytes(read_file(path), path.string(), min_bigram_count);
}

std::uint64_t SyllableModel::file_tag(const std::filesystem::path& path) {
  char head[sizeof kMagic + sizeof(std::uint64_t)] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(head, sizeof head)) {
    throw std::runtime_error("cannot read the head of syllable model " + path.string());
  }
  if (std::memcmp(head, kMagic, sizeof kMagic) != 0 &&
      std::memcmp(head, kCountsMagic, sizeof kCountsMagic) != 0) {
    throw std::runtime_error("not a current vnsearch syllable model: " + path.string());
  }
  std::uint64_t tag = 0;
  std::memcpy(&tag, head + sizeof kMagic, sizeof tag);
  return tag;
}

std::uint64_t SyllableModel::load_full_counts(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  const std::string name = "syllable counts " + path.string();
  if (bytes.size() < sizeof kCountsMagic ||
      std::memcmp(bytes.data(), kCountsMagic, sizeof kCountsMagic) != 0) {
    throw std::runtime_error("not vnsearch syllable counts of this version: " + path.string());
  }
  ByteReader in{bytes, sizeof kCountsMagic};
  std::uint64_t tag = 0;
  try {
    in.read(tag);
  } catch (const std::runtime_error&) {
    throw std::runtime_error(name + " is truncated");
  }
  const std::string table = schema::decompress_payload(std::string_view(bytes).substr(in.at), name);
  std::size_t at = 0;
  trigrams_.read(table, at, 1, name);
  if (at != table.size()) throw std::runtime_error(name + " has trailing bytes");
  return tag;
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
  std::uint64_t tag = 0, unigram_count = 0;
  if (bytes.size() < sizeof kMagic + sizeof tag) {
    throw std::runtime_error("syllable model " + name + " is truncated");
  }
  std::memcpy(&tag, bytes.data() + sizeof kMagic, sizeof tag);
  const std::string payload = schema::decompress_payload(bytes.substr(sizeof kMagic + sizeof tag),
                                                         "syllable model " + name);
  ByteReader in{payload};
  // Every entry takes at least 7 bytes: a count larger than the bytes allow is damage, not a
  // reason to reserve gigabytes.
  const auto plausible = [&](std::uint64_t entries) {
    if (entries > payload.size() / 7) {
      throw std::runtime_error("syllable model " + name + " is damaged");
    }
  };
  try {
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
  } catch (const std::runtime_error&) {
    throw std::runtime_error("syllable model " + name + " is truncated");
  }
  bigrams_.read(payload, in.at, min_bigram_count, "syllable model " + name);
  trigrams_.read(payload, in.at, min_bigram_count, "syllable model " + name);
  if (in.at != payload.size()) {
    throw std::runtime_error("syllable model " + name + " has trailing bytes");
  }
  index_readings();
  return tag;
}

}  // namespace vnsearch
