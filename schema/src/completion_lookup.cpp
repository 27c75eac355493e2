// Answering from the completion table (completion_table.h): a range of the entries sorted by
// folded key, filtered by the marks the user did type, the most useful first.
#include <algorithm>
#include <cmath>

#include "vnsearch/completion_table.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch {
namespace {

// A title is what people most often want to reach; a phrase or name must be seen several times
// to outrank one. Tuned on titles-dev (bench/README.md).
constexpr double kTitleWeight = 4.0;
constexpr double kNameWeight = 1.5;
constexpr double kPhraseWeight = 1.0;
// A title found from a later word is a weaker guess than one that starts with what was typed.
constexpr double kInsideTitleFactor = 0.5;
// Recency: a year-old entry counts about half of a current one, never less than a quarter.
constexpr double kRecencyDays = 365.0;
constexpr double kRecencyFloor = 0.25;
constexpr double kUndatedRecency = kRecencyFloor;

double kind_weight(CompletionKind kind) {
  switch (kind) {
    case CompletionKind::kTitle:
      return kTitleWeight;
    case CompletionKind::kName:
      return kNameWeight;
    case CompletionKind::kPhrase:
      return kPhraseWeight;
  }
  return kPhraseWeight;
}

bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

// What was typed: folded key, and per syllable the exact form when it carries marks (so only
// entries with those marks match) or empty when it does not (any reading matches).
struct Typed {
  std::string folded;
  std::vector<std::string> marked;
  bool last_complete = false;  // ends with a space: the last syllable is whole, not a prefix
};

bool read_typed(std::string_view text, Typed& typed) {
  static const Analyzer analyzer;
  std::vector<Token> tokens;
  analyzer.analyze(text, tokens);
  for (const Token& token : tokens) {
    if (token.role == TokenRole::kPart || token.folded.empty()) continue;
    if (!typed.folded.empty()) typed.folded += ' ';
    typed.folded += token.folded;
    typed.marked.push_back(token.exact != token.folded ? token.exact : std::string());
  }
  typed.last_complete = !text.empty() && is_space(text.back());
  return !typed.folded.empty();
}

// True when the entry's syllables carry the marks typed (whole syllables equal, the last one
// as a prefix unless it was finished with a space).
bool marks_agree(const Typed& typed, std::string_view exact, std::size_t word = 0) {
  std::size_t at = 0;
  for (; word > 0 && at < exact.size(); --word)
    at = std::min(exact.find(' ', at), exact.size()) + 1;
  for (std::size_t i = 0; i < typed.marked.size(); ++i) {
    const std::size_t end = std::min(exact.find(' ', at), exact.size());
    const std::string_view syllable = exact.substr(at, end - at);
    const std::string& want = typed.marked[i];
    if (!want.empty()) {
      const bool prefix = i + 1 == typed.marked.size() && !typed.last_complete;
      if (prefix ? syllable.substr(0, want.size()) != want : syllable != want) return false;
    }
    if (end >= exact.size()) return i + 1 == typed.marked.size();
    at = end + 1;
  }
  return true;
}

}  // namespace

void CompletionTable::build_index() {
  float newest = -1.0F;
  for (const Entry& entry : entries_) newest = std::max(newest, entry.score);
  for (Entry& entry : entries_) {
    const double recency =
        entry.score < 0 ? kUndatedRecency
                        : kRecencyFloor + (1 - kRecencyFloor) *
                                              std::exp(-(newest - entry.score) / kRecencyDays);
    entry.score = static_cast<float>(kind_weight(entry.kind) * entry.count * recency);
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return a.folded != b.folded ? a.folded < b.folded : a.score > b.score;
  });
  suffixes_.clear();
  for (std::size_t index = 0; index < entries_.size(); ++index) {
    const Entry& entry = entries_[index];
    if (entry.kind != CompletionKind::kTitle) continue;
    std::uint16_t word = 0;
    for (std::size_t at = entry.folded.find(' '); at != std::string::npos && at + 1 < 0xFFFF;
         at = entry.folded.find(' ', at + 1)) {
      suffixes_.push_back(
          {static_cast<std::uint32_t>(index), static_cast<std::uint16_t>(at + 1), ++word});
    }
  }
  std::sort(suffixes_.begin(), suffixes_.end(), [this](const Suffix& a, const Suffix& b) {
    return std::string_view(entries_[a.entry].folded).substr(a.offset) <
           std::string_view(entries_[b.entry].folded).substr(b.offset);
  });
}

std::vector<Completion> CompletionTable::complete(std::string_view text,
                                                  const CompletionOptions& options) const {
  const std::size_t limit = std::min(options.limit, kMaxCompletions);
  Typed typed;
  if (limit == 0 || entries_.empty() || text.size() > kMaxInputBytes || !read_typed(text, typed)) {
    return {};
  }
  const bool any_marks = std::any_of(typed.marked.begin(), typed.marked.end(),
                                     [](const std::string& marked) { return !marked.empty(); });
  auto at = std::lower_bound(
      entries_.begin(), entries_.end(), typed.folded,
      [](const Entry& entry, const std::string& key) { return entry.folded < key; });
  // What to look at: an entry and its score for this query.
  struct Match {
    const Entry* entry;
    float score;
  };
  std::vector<Match> matches;
  const auto unfinished_word = [&](std::string_view folded) {
    return typed.last_complete && folded.size() > typed.folded.size() &&
           folded[typed.folded.size()] != ' ';
  };
  for (; at != entries_.end() && at->folded.starts_with(typed.folded); ++at) {
    if (unfinished_word(at->folded)) continue;
    if (any_marks && !marks_agree(typed, at->exact)) continue;
    matches.push_back({&*at, at->score});
  }
  auto inside = std::lower_bound(
      suffixes_.begin(), suffixes_.end(), typed.folded,
      [this](const Suffix& suffix, const std::string& key) {
        return std::string_view(entries_[suffix.entry].folded).substr(suffix.offset) < key;
      });
  for (; inside != suffixes_.end(); ++inside) {
    const Entry& entry = entries_[inside->entry];
    const std::string_view folded = std::string_view(entry.folded).substr(inside->offset);
    if (!folded.starts_with(typed.folded)) break;
    if (unfinished_word(folded)) continue;
    if (any_marks && !marks_agree(typed, entry.exact, inside->word)) continue;
    matches.push_back({&entry, static_cast<float>(entry.score * kInsideTitleFactor)});
  }
  const auto more_useful = [](const Match& a, const Match& b) {
    return a.score != b.score ? a.score > b.score : a.entry->display < b.entry->display;
  };
  std::vector<Completion> out;
  std::vector<const std::string*> chosen;  // exact forms of `out`
  // Sorted a few at a time: repeats (a title that is also a phrase, case variants) are skipped.
  std::size_t sorted = 0;
  while (out.size() < limit && sorted < matches.size()) {
    const std::size_t next = std::min(matches.size(), sorted + 4 * limit);
    std::partial_sort(matches.begin() + static_cast<std::ptrdiff_t>(sorted),
                      matches.begin() + static_cast<std::ptrdiff_t>(next), matches.end(),
                      more_useful);
    for (; sorted < next && out.size() < limit; ++sorted) {
      const Entry& entry = *matches[sorted].entry;
      const bool repeat = std::any_of(chosen.begin(), chosen.end(), [&](const std::string* seen) {
        return *seen == entry.exact;
      });
      if (repeat) continue;
      chosen.push_back(&entry.exact);
      out.push_back({entry.display, entry.kind, entry.count, matches[sorted].score});
    }
  }
  return out;
}

}  // namespace vnsearch
