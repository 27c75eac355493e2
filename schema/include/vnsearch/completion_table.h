// Completions as people type: the titles, frequent title phrases and the names (people, places,
// organisations) of the indexed news, matched on their folded (unaccented) form with the last
// typed syllable taken as a prefix, ranked by usefulness (how often, how recently).
//
// The indexer keeps the table beside the database like the syllable model (docs/schema.md): the
// file holds every count, tagged with the database revision it describes, so that a replaced or
// deleted document can be taken back exactly; the reading side drops rare phrases and names, and
// phrases cut from a longer one, when it loads the table, and answers from a vector sorted by
// folded key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vnsearch {

enum class CompletionKind : std::uint8_t {
  kTitle = 0,   ///< a whole article title, as written
  kPhrase = 1,  ///< two or three adjacent syllables of a title
  kName = 2,    ///< a person, place or organisation of two to five syllables (entity rules)
};

/// The lower-case name of a kind ("title", "phrase", "name") for output formats.
[[nodiscard]] std::string_view completion_kind_name(CompletionKind kind);

/// One occurrence of a completion in one document, as the indexer extracts it.
struct CompletionItem {
  CompletionKind kind = CompletionKind::kPhrase;
  std::string folded;   ///< folded forms of its tokens joined by single spaces (`ha noi`)
  std::string exact;    ///< exact forms of its tokens joined by single spaces (`hà nội`)
  std::string display;  ///< as shown (`Hà Nội`)
};

/// Days since 1970-01-01 of a document, or kNoDay when it has no date.
inline constexpr std::int32_t kNoDay = INT32_MIN;

/// One answer of CompletionTable::complete.
struct Completion {
  std::string text;  ///< as shown
  CompletionKind kind = CompletionKind::kPhrase;
  std::uint32_t count = 0;  ///< documents (titles, names) or occurrences (phrases)
  double score = 0;         ///< usefulness: count weighted by kind and recency
};

/// Options of CompletionTable::complete.
struct CompletionOptions {
  std::size_t limit = 10;  ///< at most this many answers (capped at kMaxCompletions)
};

class CompletionTable {
 public:
  /// File name of the table inside a database generation directory.
  static constexpr std::string_view kFileName = "vnsearch-completions.bin";
  /// No search box shows more.
  static constexpr std::size_t kMaxCompletions = 10;
  /// Longer input is not something being typed: it gets no completion (not an error).
  static constexpr std::size_t kMaxInputBytes = 256;
  /// Phrases and names seen fewer times than this are dropped when the table is loaded for
  /// answering (most are seen once; titles are always kept).
  static constexpr std::uint32_t kSearchMinCount = 2;

  /// Counts one occurrence of `item` in a document dated `day` (or kNoDay).
  void add(const CompletionItem& item, std::int32_t day);
  /// Takes back what add(item, day) counted.
  void remove(const CompletionItem& item, std::int32_t day);
  /// Adds every count of `other`.
  void merge(const CompletionTable& other);

  /// Distinct entries counted (before any pruning) or loaded (after it).
  [[nodiscard]] std::size_t size() const {
    return counts_.empty() ? entries_.size() : counts_.size();
  }
  /// True when both hold the same counts (an updated table against a recounted one).
  [[nodiscard]] bool same_counts(const CompletionTable& other) const;

  /// Writes the counts to `path` atomically (temporary file + rename) tagged with `tag` (the
  /// database revision). Throws std::runtime_error on I/O errors.
  void save(const std::filesystem::path& path, std::uint64_t tag) const;

  /// Reads a table written by `save` and returns its tag. With `for_answering`, phrases and names
  /// rarer than kSearchMinCount are dropped, and phrases that most often go on with one same
  /// syllable, and the lookup index is built (complete() works);
  /// otherwise every count is kept for updating. Throws std::runtime_error on a missing or
  /// damaged file, and (for updating only) on a table counted by an older vnsearch.
  std::uint64_t load(const std::filesystem::path& path, bool for_answering = true);

  /// The tag of the table at `path`, read from its header only; throws like load() for
  /// updating (a table counted by an older vnsearch is stale).
  [[nodiscard]] static std::uint64_t read_tag(const std::filesystem::path& path);

  /// Completions of `text` (typed with or without diacritics; the last syllable is a prefix
  /// unless the text ends with a space), most useful first, without repeats. Empty, never an
  /// error, for empty, unreadable or overlong input. Needs a table loaded for answering.
  [[nodiscard]] std::vector<Completion> complete(std::string_view text,
                                                 const CompletionOptions& options = {}) const;

 private:
  struct Counts {
    std::string folded, exact;
    std::uint32_t count = 0;
    std::uint32_t dated = 0;   // occurrences with a date
    std::int64_t day_sum = 0;  // their days summed: the mean date survives removals exactly
    bool operator==(const Counts&) const = default;
  };
  // Keyed by kind (one byte) + display text: case variants are separate entries, so that every
  // update by difference finds exactly what it counted.
  std::unordered_map<std::string, Counts> counts_;

  struct Entry {
    std::string folded, exact, display;
    CompletionKind kind = CompletionKind::kPhrase;
    std::uint32_t count = 0;
    float score = 0;
  };
  std::vector<Entry> entries_;  // when loaded for answering: sorted by folded, then by score
  // Every title again from each of its later words (`cum th` finds `Hội nghị … của cụm thi đua
  // số 8`): entry index, byte offset in its folded form, word number; sorted by folded suffix.
  struct Suffix {
    std::uint32_t entry = 0;
    std::uint16_t offset = 0;
    std::uint16_t word = 0;
  };
  std::vector<Suffix> suffixes_;
  // A segment tree over scores: which element of each node's span scores highest, so that the
  // best of any range is found without reading the range (complete() on one letter).
  struct ScoreTree {
    static constexpr std::uint32_t kNone = UINT32_MAX;
    std::size_t leaves = 0;           // a power of two; leaf i is node leaves + i
    std::vector<std::uint32_t> best;  // per node: index of its best element, or kNone
    template <typename Score>
    void build(std::size_t size, Score score) {
      leaves = 1;
      while (leaves < size) leaves *= 2;
      best.assign(2 * leaves, kNone);
      for (std::size_t i = 0; i < size; ++i) best[leaves + i] = static_cast<std::uint32_t>(i);
      for (std::size_t node = leaves - 1; node >= 1; --node) {
        const std::uint32_t left = best[2 * node], right = best[2 * node + 1];
        best[node] =
            right == kNone || (left != kNone && score(left) >= score(right)) ? left : right;
      }
    }
  };
  ScoreTree entry_tree_, suffix_tree_;

  void build_index();
};

}  // namespace vnsearch
