// Syllable statistics of the indexed text — unigram, bigram and trigram counts of exact
// syllables — the model behind diacritic restoration. The indexer writes it beside the database
// after every run that changed the index; the query side reads it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vnsearch/ngram_counts.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch {

/// One exact reading of a folded syllable, with how often it occurs.
struct SyllableReading {
  std::string exact;
  std::uint32_t count = 0;
};

class SyllableModel {
 public:
  /// File name of the model inside a database generation directory: what searchers load.
  static constexpr std::string_view kFileName = "vnsearch-syllables.bin";

  /// File name of the full triple counts beside it: read and written by the indexer only.
  static constexpr std::string_view kCountsFileName = "vnsearch-syllable-counts.bin";

  /// Bigrams and trigrams seen fewer times than this are mostly names and typos: dropped when a
  /// model is loaded for searching (halves the bigrams in memory, and keeps a fifth of the
  /// trigrams). The model file keeps every pair but only the triples seen this often; the
  /// counts file keeps every triple, so that the indexer can update both by what changed and
  /// get exactly what a recount would.
  static constexpr std::uint32_t kSearchMinBigramCount = 2;

  /// Counts the word syllables of one analysed text and its adjacent pairs and triples within a
  /// sentence.
  void add_tokens(const std::vector<Token>& tokens);

  /// Takes back what add_tokens(tokens) counted (a document replaced or deleted).
  void remove_tokens(const std::vector<Token>& tokens);

  /// Adds every count of `other`.
  void merge(const SyllableModel& other);

  /// Drops bigrams and trigrams seen fewer than `min_count` times (they carry little and
  /// dominate the size).
  void prune_bigrams(std::uint32_t min_count);

  [[nodiscard]] std::uint32_t unigram(std::string_view exact) const;
  [[nodiscard]] std::uint32_t bigram(std::string_view first, std::string_view second) const;
  [[nodiscard]] std::uint32_t trigram(std::string_view first, std::string_view second,
                                      std::string_view third) const;
  [[nodiscard]] std::uint64_t total_unigrams() const { return total_; }
  [[nodiscard]] std::size_t vocabulary_size() const { return unigrams_.size(); }
  [[nodiscard]] std::size_t bigram_types() const { return bigrams_.size(); }
  [[nodiscard]] std::size_t trigram_types() const { return trigrams_.size(); }
  /// True when both hold the same settled counts (an updated model against a recounted one).
  [[nodiscard]] bool same_counts(const SyllableModel& other) const {
    return total_ == other.total_ && unigrams_ == other.unigrams_ && bigrams_ == other.bigrams_ &&
           trigrams_ == other.trigrams_;
  }

  /// Exact readings of a folded syllable, most frequent first (empty when none is known).
  [[nodiscard]] const std::vector<SyllableReading>& readings(std::string_view folded) const;

  /// Merges the pair and triple counts gathered by add_tokens/remove_tokens into their sorted
  /// tables; save, to_bytes and same_counts need it (index_readings, merge and prune call it).
  void settle();

  /// Settles the counts and builds the folded → readings index; call after counting or loading.
  void index_readings();

  /// Writes the model to `path` atomically (temporary file + rename) with a tag (for example the
  /// database revision it describes): unigrams, every pair, and the triples seen at least
  /// kSearchMinBigramCount times. Throws std::runtime_error on I/O errors.
  void save(const std::filesystem::path& path, std::uint64_t tag) const;
  /// Writes bytes made by to_bytes to `path` as `save` does: the indexer codes and compresses
  /// the model once for both the metadata copy and the file.
  static void save_bytes(const std::filesystem::path& path, const std::string& bytes);

  /// Writes every triple count to `path` (the counts file) atomically, with a tag.
  void save_full_counts(const std::filesystem::path& path, std::uint64_t tag) const;

  /// Reads a model written by `save`, returning its tag, with bigrams rarer than
  /// `min_bigram_count` dropped. Throws std::runtime_error on a missing or damaged file, or one
  /// written by an older vnsearch (rebuilt by the next `vnsearch index` run).
  std::uint64_t load(const std::filesystem::path& path,
                     std::uint32_t min_bigram_count = kSearchMinBigramCount);

  /// Replaces the triples with every triple count from a file written by save_full_counts,
  /// returning its tag; throws as `load` does.
  std::uint64_t load_full_counts(const std::filesystem::path& path);

  /// The tag of a model file or counts file, read from its first 16 bytes. Throws
  /// std::runtime_error when the file is missing, shorter, or not of the current format.
  static std::uint64_t file_tag(const std::filesystem::path& path);

  /// The bytes `save` writes: also stored in the database itself (metadata key
  /// kMetadataKey), so that the model travels with xapian-replicate and over the remote protocol.
  [[nodiscard]] std::string to_bytes(std::uint64_t tag) const;

  /// `load` from bytes made by `to_bytes`; `name` says where they came from in errors.
  std::uint64_t load_bytes(std::string_view bytes, const std::string& name,
                           std::uint32_t min_bigram_count = kSearchMinBigramCount);

  /// The Xapian metadata key holding a copy of the model (docs/schema.md).
  static constexpr std::string_view kMetadataKey = "vnsearch.syllable-model";

 private:
  std::unordered_map<std::string, std::uint32_t> unigrams_;
  NgramCounts bigrams_;   // keyed by hash of "a b"
  NgramCounts trigrams_;  // keyed by hash of "a b c"
  std::uint64_t total_ = 0;
  std::unordered_map<std::string, std::vector<SyllableReading>> readings_;

  // Calls `on_syllable` with each word syllable and adds `ngram_delta` to each pair and triple.
  template <typename OnSyllable>
  void count_tokens(const std::vector<Token>& tokens, OnSyllable on_syllable,
                    std::int64_t ngram_delta);
};

}  // namespace vnsearch
