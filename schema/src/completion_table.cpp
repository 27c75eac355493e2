// Counting and the file of the completion table (completion_table.h); answering is in
// completion_lookup.cpp.
#include "vnsearch/completion_table.h"

#include "atomic_file.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

namespace vnsearch {
namespace {

// 02: names are the entities of a title and description, once per article. A table of 01
// (every run of capitalised words, per occurrence) still answers, but is never updated by
// difference: its counts follow other rules, so the indexer recounts it.
constexpr char kCompletionMagic[8] = {'V', 'N', 'C', 'O', 'M', 'P', '0', '2'};
constexpr char kOlderCompletionMagic[8] = {'V', 'N', 'C', 'O', 'M', 'P', '0', '1'};
// kind + three lengths + count + dated + day sum: the least one entry takes on disk.
constexpr std::uint64_t kMinEntryBytes = 1 + 3 * 2 + 4 + 4 + 8;
constexpr std::size_t kMaxField = 0xFFFF;

template <typename T>
void write_raw(std::ostream& out, const T& value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
void read_raw(std::ifstream& in, T& value, const std::filesystem::path& path) {
  in.read(reinterpret_cast<char*>(&value), sizeof value);
  if (!in) throw std::runtime_error("completion table " + path.string() + " is truncated");
}

void write_text(std::ostream& out, std::string_view text) {
  const auto length = static_cast<std::uint16_t>(std::min(text.size(), kMaxField));
  write_raw(out, length);
  out.write(text.data(), length);
}

void read_text(std::ifstream& in, std::string& text, const std::filesystem::path& path) {
  std::uint16_t length = 0;
  read_raw(in, length, path);
  text.resize(length);
  in.read(text.data(), length);
  if (!in) throw std::runtime_error("completion table " + path.string() + " is truncated");
}

// A phrase that ends in a function word (`Hà Nội sẽ`) or starts with a conjunction or auxiliary
// (`và các`) is a cut from a longer run, not something anyone wants to complete to: it is not
// offered (but still counted, so that updates stay exact).
bool loose_phrase(std::string_view exact) {
  static const std::unordered_set<std::string_view> kNeverLast = {
      "và",  "của",   "là",    "có",  "sẽ",  "đã",   "đang", "bị",   "được", "cho", "với",
      "các", "những", "trong", "tại", "ở",   "từ",   "khi",  "này",  "thì",  "mà",  "nhưng",
      "để",  "về",    "vì",    "do",  "nên", "cũng", "vẫn",  "rằng", "như"};
  static const std::unordered_set<std::string_view> kNeverFirst = {
      "và",   "của", "là", "thì", "mà",   "nhưng", "rằng",
      "cũng", "vẫn", "đã", "sẽ",  "đang", "bị",    "được"};
  const std::size_t first_end = exact.find(' ');
  const std::size_t last_start = exact.rfind(' ');
  if (first_end == std::string_view::npos) return false;
  return kNeverFirst.count(exact.substr(0, first_end)) != 0 ||
         kNeverLast.count(exact.substr(last_start + 1)) != 0;
}

// An exact form without its last syllable, or without its first (empty for one syllable).
std::string_view without_last(std::string_view exact) {
  const std::size_t last = exact.rfind(' ');
  return last == std::string_view::npos ? std::string_view() : exact.substr(0, last);
}
std::string_view without_first(std::string_view exact) {
  const std::size_t first = exact.find(' ');
  return first == std::string_view::npos ? std::string_view() : exact.substr(first + 1);
}

// A phrase that most of its occurrences continue with one same syllable is a piece cut from a
// longer phrase (`Hồ Chí` of `Hồ Chí Minh`, `Hà Nội yêu` of `Hà Nội yêu cầu`), and the longer
// one is offered: the piece is not. Judged from the phrases kept for answering: for `a b` (and
// for `x a b`, through its last two syllables `a b`), the commonest `a b c` against all of
// `a b`. Phrases are at most three syllables, so a longer run goes unseen.
template <typename Entries>
void drop_cut_phrases(Entries& entries) {
  std::unordered_map<std::string_view, std::uint64_t> pairs, triples;
  for (const auto& entry : entries) {
    if (entry.kind != CompletionKind::kPhrase) continue;
    const bool triple = !without_last(without_last(entry.exact)).empty();
    (triple ? triples : pairs)[entry.exact] += entry.count;  // case variants summed
  }
  std::unordered_map<std::string_view, std::uint64_t> commonest_next;
  for (const auto& [exact, count] : triples) {
    std::uint64_t& best = commonest_next[without_last(exact)];
    best = std::max(best, count);
  }
  const auto cut = [&](const auto& entry) {
    if (entry.kind != CompletionKind::kPhrase) return false;
    const std::string_view exact = entry.exact;
    const bool triple = !without_last(without_last(exact)).empty();
    const std::string_view pair = triple ? without_first(exact) : exact;
    const auto all = pairs.find(pair);
    const auto next = commonest_next.find(pair);
    return all != pairs.end() && next != commonest_next.end() && 2 * next->second > all->second;
  };
  std::vector<bool> drop(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) drop[i] = cut(entries[i]);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (drop[i]) continue;
    if (kept != i) entries[kept] = std::move(entries[i]);  // never a self-move: it may empty
    ++kept;
  }
  entries.resize(kept);
}

std::string key_of(CompletionKind kind, std::string_view display) {
  std::string key(1, static_cast<char>(kind));
  key += display.substr(0, kMaxField);
  return key;
}

}  // namespace

std::string_view completion_kind_name(CompletionKind kind) {
  switch (kind) {
    case CompletionKind::kTitle:
      return "title";
    case CompletionKind::kPhrase:
      return "phrase";
    case CompletionKind::kName:
      return "name";
  }
  return "phrase";
}

void CompletionTable::add(const CompletionItem& item, std::int32_t day) {
  Counts& counts = counts_[key_of(item.kind, item.display)];
  if (counts.count == 0) {
    counts.folded = item.folded.substr(0, kMaxField);
    counts.exact = item.exact.substr(0, kMaxField);
  }
  ++counts.count;
  if (day != kNoDay) {
    ++counts.dated;
    counts.day_sum += day;
  }
}

void CompletionTable::remove(const CompletionItem& item, std::int32_t day) {
  const auto found = counts_.find(key_of(item.kind, item.display));
  if (found == counts_.end()) return;  // counted in another table: nothing to take back
  Counts& counts = found->second;
  if (day != kNoDay && counts.dated > 0) {
    --counts.dated;
    counts.day_sum -= day;
  }
  if (--counts.count == 0) counts_.erase(found);
}

void CompletionTable::merge(const CompletionTable& other) {
  for (const auto& [key, theirs] : other.counts_) {
    Counts& ours = counts_[key];
    if (ours.count == 0) {
      ours.folded = theirs.folded;
      ours.exact = theirs.exact;
    }
    ours.count += theirs.count;
    ours.dated += theirs.dated;
    ours.day_sum += theirs.day_sum;
  }
}

bool CompletionTable::same_counts(const CompletionTable& other) const {
  return counts_ == other.counts_;
}

void CompletionTable::save(const std::filesystem::path& path, std::uint64_t tag) const {
  schema::replace_file_atomically(path, [&](std::ostream& out) {
    out.write(kCompletionMagic, sizeof kCompletionMagic);
    write_raw(out, tag);
    write_raw(out, static_cast<std::uint64_t>(counts_.size()));
    for (const auto& [key, counts] : counts_) {
      out.put(key[0]);
      const std::string_view display = std::string_view(key).substr(1);
      // Most phrases are shown as their exact form: stored once.
      write_text(out, display == counts.exact ? std::string_view() : display);
      write_text(out, counts.folded);
      write_text(out, counts.exact);
      write_raw(out, counts.count);
      write_raw(out, counts.dated);
      write_raw(out, counts.day_sum);
    }
  });
}

namespace {

std::uint64_t read_header(std::ifstream& in, const std::filesystem::path& path, bool accept_older) {
  if (!in) throw std::runtime_error("cannot read completion table " + path.string());
  char magic[sizeof kCompletionMagic];
  in.read(magic, sizeof magic);
  const bool older =
      in && std::memcmp(magic, kOlderCompletionMagic, sizeof kOlderCompletionMagic) == 0;
  if (older && !accept_older) {
    throw std::runtime_error("completion table " + path.string() +
                             " was counted by an older vnsearch: the next `index` run or "
                             "`vnsearch rebuild-model` recounts it");
  }
  if (!in || (!older && std::memcmp(magic, kCompletionMagic, sizeof kCompletionMagic) != 0)) {
    throw std::runtime_error("not a vnsearch completion table: " + path.string());
  }
  std::uint64_t tag = 0;
  read_raw(in, tag, path);
  return tag;
}

}  // namespace

std::uint64_t CompletionTable::read_tag(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return read_header(in, path, /*accept_older=*/false);
}

std::uint64_t CompletionTable::load(const std::filesystem::path& path, bool for_answering) {
  std::ifstream in(path, std::ios::binary);
  const std::uint64_t tag = read_header(in, path, /*accept_older=*/for_answering);
  std::uint64_t entries = 0;
  read_raw(in, entries, path);
  std::error_code size_error;
  const std::uintmax_t file_bytes = std::filesystem::file_size(path, size_error);
  // A count larger than the file allows is damage, not a reason to reserve gigabytes.
  if (size_error || entries > file_bytes / kMinEntryBytes) {
    throw std::runtime_error("completion table " + path.string() + " is damaged");
  }
  counts_.clear();
  entries_.clear();
  if (!for_answering) counts_.reserve(entries);
  std::string display;
  for (std::uint64_t i = 0; i < entries; ++i) {
    const int kind = in.get();
    if (kind < 0 || kind > static_cast<int>(CompletionKind::kName)) {
      throw std::runtime_error("completion table " + path.string() + " is damaged");
    }
    Counts counts;
    read_text(in, display, path);
    read_text(in, counts.folded, path);
    read_text(in, counts.exact, path);
    read_raw(in, counts.count, path);
    read_raw(in, counts.dated, path);
    read_raw(in, counts.day_sum, path);
    if (display.empty()) display = counts.exact;
    const auto typed_kind = static_cast<CompletionKind>(kind);
    if (!for_answering) {
      counts_.emplace(key_of(typed_kind, display), std::move(counts));
      continue;
    }
    if (typed_kind != CompletionKind::kTitle && counts.count < kSearchMinCount) continue;
    if (typed_kind == CompletionKind::kPhrase && loose_phrase(counts.exact)) continue;
    Entry entry;
    entry.folded = std::move(counts.folded);
    entry.exact = std::move(counts.exact);
    entry.display = display;
    entry.kind = typed_kind;
    entry.count = counts.count;
    // The mean day rides in `score` until build_index turns it into the usefulness.
    entry.score = counts.dated == 0
                      ? -1.0F
                      : static_cast<float>(static_cast<double>(counts.day_sum) / counts.dated);
    entries_.push_back(std::move(entry));
  }
  if (in.peek() != std::ifstream::traits_type::eof()) {
    throw std::runtime_error("completion table " + path.string() + " has trailing bytes");
  }
  if (for_answering) {
    drop_cut_phrases(entries_);
    build_index();
  }
  return tag;
}

}  // namespace vnsearch
