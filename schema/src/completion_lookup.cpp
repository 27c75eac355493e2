// Answering from the completion table (completion_table.h): a range of the entries sorted by
// folded key, filtered by the marks the user did type, the most useful first.
#include <algorithm>
#include <cmath>
#include <queue>

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
  if (word > 0 || at >= exact.size()) return false;  // fewer words than the folded form: damage
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
  entry_tree_.build(entries_.size(), [this](std::uint32_t i) { return entries_[i].score; });
  suffix_tree_.build(suffixes_.size(),
                     [this](std::uint32_t i) { return entries_[suffixes_[i].entry].score; });
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
  // Entries equal to what was typed or continuing it; with a trailing space only whole words
  // (`ha` and `ha …`, not `hai`): ' ' sorts before every other character of a folded key.
  const std::string upper = typed.folded + (typed.last_complete ? "!" : "\xff");
  const auto entry_key = [this](std::size_t i) -> std::string_view { return entries_[i].folded; };
  const auto suffix_key = [this](std::size_t i) -> std::string_view {
    return std::string_view(entries_[suffixes_[i].entry].folded).substr(suffixes_[i].offset);
  };
  const auto range = [&](std::size_t size, auto key) {
    std::size_t lo = 0, hi = size;
    while (lo < hi) {  // first key >= typed
      const std::size_t mid = (lo + hi) / 2;
      if (key(mid) < typed.folded)
        lo = mid + 1;
      else
        hi = mid;
    }
    std::size_t end = lo, top = size;
    while (end < top) {  // first key >= upper
      const std::size_t mid = (end + top) / 2;
      if (key(mid) < upper)
        end = mid + 1;
      else
        top = mid;
    }
    return std::pair(lo, end);
  };
  const auto [entry_lo, entry_hi] = range(entries_.size(), entry_key);
  const auto [suffix_lo, suffix_hi] = range(suffixes_.size(), suffix_key);

  // Best first over both ranges: each is split into the score trees' nodes, and the most useful
  // node is opened until `limit` completions are found, so a one-letter prefix matching tens of
  // thousands of entries costs about as much as a long one.
  struct Node {
    float score;
    std::uint32_t node;
    bool inside;  // from the suffixes: a title found from a later word
    bool operator<(const Node& other) const {
      return score != other.score ? score < other.score : node > other.node;
    }
  };
  std::priority_queue<Node> queue;
  const auto push = [&](bool inside, std::size_t node) {
    const ScoreTree& tree = inside ? suffix_tree_ : entry_tree_;
    const std::uint32_t best = tree.best[node];
    if (best == ScoreTree::kNone) return;
    const Entry& entry = entries_[inside ? suffixes_[best].entry : best];
    queue.push({static_cast<float>(entry.score * (inside ? kInsideTitleFactor : 1.0)),
                static_cast<std::uint32_t>(node), inside});
  };
  const auto push_range = [&](bool inside, std::size_t lo, std::size_t hi) {
    const std::size_t leaves = (inside ? suffix_tree_ : entry_tree_).leaves;
    for (lo += leaves, hi += leaves; lo < hi; lo /= 2, hi /= 2) {
      if (lo & 1) push(inside, lo++);
      if (hi & 1) push(inside, --hi);
    }
  };
  push_range(false, entry_lo, entry_hi);
  push_range(true, suffix_lo, suffix_hi);

  std::vector<Completion> out;
  std::vector<const std::string*> chosen;  // exact forms of `out`
  while (out.size() < limit && !queue.empty()) {
    const Node top = queue.top();
    queue.pop();
    const ScoreTree& tree = top.inside ? suffix_tree_ : entry_tree_;
    if (top.node < tree.leaves) {
      push(top.inside, 2 * top.node);
      push(top.inside, 2 * top.node + 1);
      continue;
    }
    const std::size_t index = top.node - tree.leaves;
    const Entry& entry = entries_[top.inside ? suffixes_[index].entry : index];
    if (any_marks && !marks_agree(typed, entry.exact, top.inside ? suffixes_[index].word : 0)) {
      continue;
    }
    // Repeats (a title that is also a phrase, a title found twice, case variants) are skipped.
    const bool repeat = std::any_of(chosen.begin(), chosen.end(),
                                    [&](const std::string* seen) { return *seen == entry.exact; });
    if (repeat) continue;
    chosen.push_back(&entry.exact);
    out.push_back({entry.display, entry.kind, entry.count, top.score});
  }
  return out;
}

}  // namespace vnsearch
