// The corrector: typing-method leftovers and VIQR are decoded and kept when the index knows the
// result; an unknown word gets the known spelling its neighbours support best; a known word that
// never occurs beside its neighbours may be a confusion (s/x, ch/tr, n/ng...) or a wrong tone,
// offered (never applied) when a variant is common beside them.
#include "correction.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <algorithm>

#include "ascii_text.h"
#include "query_language.h"
#include "vnsearch/encoding.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::query {
namespace {

struct Word {
  std::string prefix, core, suffix;  // punctuation around the word is kept as typed
  std::string exact, folded;
  bool marked = false;          // typed with diacritics
  bool letters_only = false;    // ASCII letters only
  bool letters_digits = false;  // ASCII letters mixed with digits (VNI keys?)
  bool vietnamese = false;      // letters only (ASCII or Vietnamese), a candidate for correction
  std::uint64_t count = 0;      // how often the index holds it (any reading when unmarked)
};

struct Candidate {
  std::string text;  // replacement core: exact when accented, folded when typed bare
  CorrectionKind kind = CorrectionKind::kSpelling;
  double support = 0;  // pair counts with the neighbours
  std::uint64_t count = 0;
};

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
std::vector<std::string> split_spaces(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (is_space(c)) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

bool has_operators(const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    // `title:x` is an operator; a colon ending a word (`Nhân:`) is punctuation.
    const std::size_t colon = word.find(':');
    if (word.find('"') != std::string::npos ||
        (colon != std::string::npos && colon > 0 && colon + 1 < word.size())) {
      return true;
    }
    if (word[0] == '+' || word[0] == '-') return true;
  }
  return false;
}

std::uint64_t known_count(const SyllableModel& model, const std::string& exact,
                          const std::string& folded, bool marked) {
  if (marked) return model.unigram(exact);
  std::uint64_t total = 0;
  for (const SyllableReading& reading : model.readings(folded)) total += reading.count;
  return total;
}

Word describe(const SyllableModel& model, const std::string& raw) {
  Word word;
  std::size_t begin = 0, end = raw.size();
  auto punctuation = [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !is_ascii_letter(c) && !is_digit(c);
  };
  while (begin < end && punctuation(raw[begin])) ++begin;
  while (end > begin && punctuation(raw[end - 1])) --end;
  word.prefix = raw.substr(0, begin);
  word.core = raw.substr(begin, end - begin);
  word.suffix = raw.substr(end);
  if (word.core.empty()) return word;
  bool letters = false, digits = false, other_ascii = false, non_ascii = false;
  for (char c : word.core) {
    if (is_ascii_letter(c)) {
      letters = true;
    } else if (is_digit(c)) {
      digits = true;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      other_ascii = true;
    } else {
      non_ascii = true;
    }
  }
  word.letters_only = letters && !digits && !other_ascii && !non_ascii;
  word.letters_digits = letters && digits && !other_ascii && !non_ascii;
  word.exact = to_exact(word.core);
  word.folded = to_folded(word.core);
  word.marked = word.exact != word.folded;
  // One run of letters whose folded form is ASCII letters: a Vietnamese (or foreign) word.
  word.vietnamese = !digits && !other_ascii && !word.folded.empty() &&
                    std::all_of(word.folded.begin(), word.folded.end(), is_ascii_letter);
  word.count = known_count(model, word.exact, word.folded, word.marked);
  return word;
}

// The readings a word may stand for: itself when typed with marks, its likely readings when not.
std::vector<std::string> readings_of(const SyllableModel& model, const std::string& text,
                                     bool marked) {
  if (marked) return {text};
  std::vector<std::string> out;
  for (const SyllableReading& reading : model.readings(text)) {
    if (out.size() == 4) break;
    out.push_back(reading.exact);
  }
  return out;
}

double pair_support(const SyllableModel& model, const std::vector<std::string>& left,
                    const std::vector<std::string>& right) {
  double best = 0;
  for (const std::string& a : left) {
    for (const std::string& b : right) best = std::max<double>(best, model.bigram(a, b));
  }
  return best;
}

// Pair counts of `readings` at position i with its neighbours as typed.
double context_support(const SyllableModel& model, const std::vector<Word>& words, std::size_t i,
                       const std::vector<std::string>& readings) {
  double support = 0;
  if (i > 0 && words[i - 1].vietnamese) {
    support +=
        pair_support(model, readings_of(model, words[i - 1].exact, words[i - 1].marked), readings);
  }
  if (i + 1 < words.size() && words[i + 1].vietnamese) {
    support +=
        pair_support(model, readings, readings_of(model, words[i + 1].exact, words[i + 1].marked));
  }
  return support;
}

// Spellings people confuse (regional pronunciation, keyboard habits): initials, finals, i/y.
std::vector<std::string> confusions(const std::string& folded) {
  static const std::vector<std::pair<std::string, std::string>> kInitials = {
      {"d", "gi"}, {"d", "r"}, {"gi", "r"}, {"d", "v"},  {"ch", "tr"},
      {"s", "x"},  {"l", "n"}, {"c", "k"},  {"g", "gh"}, {"ng", "ngh"}};
  static const std::vector<std::pair<std::string, std::string>> kFinals = {
      {"n", "ng"}, {"c", "t"}, {"t", "c"}, {"i", "y"}, {"nh", "n"}, {"ch", "t"}};
  std::vector<std::string> out;
  auto starts = [&](const std::string& prefix) { return folded.rfind(prefix, 0) == 0; };
  auto ends = [&](const std::string& suffix) {
    return folded.size() > suffix.size() &&
           folded.compare(folded.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (const auto& [a, b] : kInitials) {
    for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      if (starts(from) && folded.size() > from.size())
        out.push_back(to + folded.substr(from.size()));
    }
  }
  for (const auto& [a, b] : kFinals) {
    for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      if (ends(from)) out.push_back(folded.substr(0, folded.size() - from.size()) + to);
    }
  }
  return out;
}

// Every string one edit away (delete, transpose, replace, insert a letter), plus confusions.
std::vector<std::string> edits(const std::string& folded) {
  std::vector<std::string> out = confusions(folded);
  for (std::size_t i = 0; i < folded.size(); ++i) {
    out.push_back(folded.substr(0, i) + folded.substr(i + 1));
    if (i + 1 < folded.size()) {
      std::string swapped = folded;
      std::swap(swapped[i], swapped[i + 1]);
      out.push_back(swapped);
    }
  }
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    for (char c = 'a'; c <= 'z'; ++c) {
      if (i < folded.size() && folded[i] != c) {
        std::string replaced = folded;
        replaced[i] = c;
        out.push_back(replaced);
      }
      out.push_back(folded.substr(0, i) + c + folded.substr(i));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The first letter in upper case, when the word was typed capitalised.
std::string capitalise_like(const std::string& typed, const std::string& text) {
  if (typed.empty() || text.empty()) return text;
  UChar32 first = 0;
  int at = 0;
  U8_NEXT(typed.data(), at, static_cast<int>(typed.size()), first);
  if (first < 0 || !u_isupper(first)) return text;
  UChar32 letter = 0;
  int end = 0;
  U8_NEXT(text.data(), end, static_cast<int>(text.size()), letter);
  if (letter < 0) return text;
  char buffer[4];
  int length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, u_toupper(letter), error);
  if (error) return text;
  return std::string(buffer, length) + text.substr(end);
}

class Corrector {
 public:
  Corrector(const SyllableModel& model, const CorrectionOptions& options)
      : model_(model), options_(options) {}

  std::optional<Candidate> fix(const std::vector<Word>& words, std::size_t i) const {
    const Word& word = words[i];
    if (word.core.empty()) return std::nullopt;
    if (word.letters_digits && model_.unigram(word.exact) < options_.unknown_below) {
      if (auto syllable = vni_to_syllable(word.core)) {
        if (model_.unigram(*syllable) >= options_.min_decoded) {
          return Candidate{*syllable, CorrectionKind::kVni, 0, model_.unigram(*syllable)};
        }
      }
      return std::nullopt;
    }
    if (!word.vietnamese) return std::nullopt;
    if (word.count < options_.unknown_below) return fix_unknown(words, i);
    if (auto keys = rare_telex(words, i)) return keys;
    return fix_in_context(words, i);
  }

  // Typing-method leftovers occur in a large archive too (`thanhf` a few times): Telex keys
  // that spell a syllable far commoner than the word as typed, which its neighbours confirm.
  std::optional<Candidate> rare_telex(const std::vector<Word>& words, std::size_t i) const {
    const Word& word = words[i];
    if (!word.letters_only) return std::nullopt;
    const auto syllable = telex_to_syllable(word.core);
    if (!syllable) return std::nullopt;
    const std::uint64_t count = model_.unigram(*syllable);
    if (count < options_.min_replacement || word.count * options_.typing_ratio >= count) {
      return std::nullopt;
    }
    const double support = context_support(model_, words, i, {*syllable});
    const double typed = context_support(model_, words, i, readings_of(model_, word.folded, false));
    if (words.size() > 1 && (support == 0 || typed > 0)) return std::nullopt;
    return Candidate{*syllable, CorrectionKind::kTelex, support, count};
  }

  // Sure when every change is sure.
  bool sure(const std::vector<Word>& words, std::size_t i, const Candidate& best,
            double runner_up) const {
    switch (best.kind) {
      case CorrectionKind::kTelex:
        // A known word read as Telex keys is sure only when its neighbours confirm it.
        return words[i].count == 0 || best.support > 0;
      case CorrectionKind::kVni:
      case CorrectionKind::kViqr:
        return true;
      case CorrectionKind::kJoined:
        return best.support >= options_.min_replacement && runner_up * 4 <= best.support;
      case CorrectionKind::kSpelling:
        // An unknown word with a replacement its neighbours confirm, far ahead of the others.
        return words[i].count < options_.unknown_below && words.size() > 1 && best.support >= 5 &&
               runner_up * 4 <= best.support;
      case CorrectionKind::kTone:
        return false;
    }
    return false;
  }

  std::optional<Candidate> fix_unknown(const std::vector<Word>& words, std::size_t i) const {
    const Word& word = words[i];
    if (word.letters_only) {
      if (auto syllable = telex_to_syllable(word.core)) {
        if (model_.unigram(*syllable) >= options_.min_decoded) {
          return Candidate{*syllable, CorrectionKind::kTelex, 0, model_.unigram(*syllable)};
        }
      }
    }
    std::vector<Candidate> candidates;
    if (word.folded.size() >= 4) split_candidates(word, candidates);
    for (const std::string& edit : edits(word.folded)) {
      add_spellings(words, i, edit, CorrectionKind::kSpelling, candidates);
    }
    if (word.marked) add_spellings(words, i, word.folded, CorrectionKind::kTone, candidates);
    return pick(std::move(candidates));
  }

  std::optional<Candidate> fix_in_context(const std::vector<Word>& words, std::size_t i) const {
    const Word& word = words[i];
    const bool left = i > 0 && words[i - 1].vietnamese && words[i - 1].count > 0;
    const bool right = i + 1 < words.size() && words[i + 1].vietnamese && words[i + 1].count > 0;
    // A known word is questioned only between two known neighbours: one neighbour is too
    // little evidence against a word the index holds (measured on the dev sets).
    if (!left || !right) return std::nullopt;
    if (context_support(model_, words, i, readings_of(model_, word.exact, word.marked)) > 0) {
      return std::nullopt;
    }
    std::vector<Candidate> candidates;
    for (const std::string& variant : confusions(word.folded)) {
      add_spellings(words, i, variant, CorrectionKind::kSpelling, candidates);
    }
    if (word.marked) add_spellings(words, i, word.folded, CorrectionKind::kTone, candidates);
    // Pairs seen once are dropped from the model, so a correct but rare pair looks unsupported:
    // a replacement must be confirmed by every neighbour, and strongly overall.
    std::erase_if(candidates, [&](const Candidate& candidate) {
      const std::vector<std::string> readings = readings_of(model_, candidate.text, word.marked);
      const bool left_ok = !left || side_support(words, i - 1, readings, true) >= kMinSide;
      const bool right_ok = !right || side_support(words, i + 1, readings, false) >= kMinSide;
      return candidate.support < options_.min_context_pairs || !left_ok || !right_ok;
    });
    return pick(std::move(candidates));
  }

  double runner_up() const { return runner_up_; }

 private:
  static constexpr double kMinSide = 10;

  // Pair count of `readings` with the neighbour at `at` (left of them when `left`).
  double side_support(const std::vector<Word>& words, std::size_t at,
                      const std::vector<std::string>& readings, bool left) const {
    const auto neighbour = readings_of(model_, words[at].exact, words[at].marked);
    return left ? pair_support(model_, neighbour, readings)
                : pair_support(model_, readings, neighbour);
  }

  const SyllableModel& model_;
  const CorrectionOptions& options_;
  mutable double runner_up_ = 0;

  // Readings of `folded` as replacements: the folded form itself for a word typed bare (the
  // search restores it), every accented reading for one typed with marks.
  void add_spellings(const std::vector<Word>& words, std::size_t i, const std::string& folded,
                     CorrectionKind kind, std::vector<Candidate>& out) const {
    const Word& word = words[i];
    const auto& readings = model_.readings(folded);
    if (readings.empty()) return;
    if (!word.marked) {
      const std::uint64_t count = known_count(model_, folded, folded, false);
      if (count < options_.min_replacement || folded == word.folded) return;
      out.push_back({folded, kind,
                     context_support(model_, words, i, readings_of(model_, folded, false)), count});
      return;
    }
    for (const SyllableReading& reading : readings) {
      if (reading.count < options_.min_replacement || reading.exact == word.exact) continue;
      out.push_back(
          {reading.exact, kind, context_support(model_, words, i, {reading.exact}), reading.count});
    }
  }

  // Two known syllables run together: `thanhpho` → `thanh pho`, chosen by how often the pair
  // occurs.
  void split_candidates(const Word& word, std::vector<Candidate>& out) const {
    const std::string& text = word.marked ? word.exact : word.folded;
    for (std::size_t cut = 1; cut < text.size(); ++cut) {
      if ((static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) continue;
      const std::string first = text.substr(0, cut), second = text.substr(cut);
      const auto a = readings_of(model_, first, word.marked);
      const auto b = readings_of(model_, second, word.marked);
      if (a.empty() || b.empty()) continue;
      if (word.marked && (model_.unigram(first) == 0 || model_.unigram(second) == 0)) continue;
      const double pairs = pair_support(model_, a, b);
      if (pairs >= options_.min_replacement) {
        out.push_back({first + " " + second, CorrectionKind::kJoined, pairs,
                       static_cast<std::uint64_t>(pairs)});
      }
    }
  }

  // The candidate its neighbours support best (then the commonest); remembers the runner-up's
  // support for `sure`.
  std::optional<Candidate> pick(std::vector<Candidate> candidates) const {
    if (candidates.empty()) return std::nullopt;
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.support != b.support) return a.support > b.support;
      return a.count > b.count;
    });
    runner_up_ = candidates.size() > 1 ? candidates[1].support : 0;
    // With no context to tell them apart, a much commoner spelling may still be the one meant;
    // two of similar frequency are a guess, not a suggestion.
    if (candidates[0].support == 0 && candidates.size() > 1 &&
        candidates[1].count * 3 > candidates[0].count) {
      return std::nullopt;
    }
    return candidates[0];
  }
};

// VIQR marks inside words (`Vie^.t`, `Na('ng`): a mark character after a vowel, followed by a
// letter or another mark; a question mark or full stop ending a word is punctuation.
bool looks_like_viqr(std::string_view text) {
  auto vowel = [](char c) {
    return std::string_view("aeiouyAEIOUY").find(c) != std::string_view::npos;
  };
  const std::string_view modifiers = "^(+";
  const std::string_view tones = "'`?~.";
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (!vowel(text[i - 1])) continue;
    const char next = text[i + 1];
    if (modifiers.find(text[i]) != std::string_view::npos &&
        (is_ascii_letter(next) || tones.find(next) != std::string_view::npos || is_space(next))) {
      return true;
    }
    if (tones.find(text[i]) != std::string_view::npos && is_ascii_letter(next)) return true;
  }
  return false;
}

// VIQR is ASCII: only words typed in plain ASCII are decoded (the rest of a query may carry
// real marks, which a VIQR reading of the whole text would garble).
std::optional<Correction> correct_viqr(const SyllableModel& model, std::string_view text,
                                       const CorrectionOptions& options) {
  const std::vector<std::string> words = split_spaces(text);
  auto ascii = [](const std::string& word) {
    return std::all_of(word.begin(), word.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  };
  if (std::none_of(words.begin(), words.end(),
                   [&](const std::string& word) { return ascii(word) && looks_like_viqr(word); })) {
    return std::nullopt;
  }
  // In a VIQR query every ASCII word is VIQR (`ddua` is đua); a word with marks inside must
  // decode to a known syllable, one changed only at its edges (`Nam?`) may stay as typed.
  Correction correction;
  correction.sure = true;
  for (const std::string& typed : words) {
    std::string word = typed;
    const Word decoded = describe(model, decode_legacy(typed, Encoding::kViqr).utf8);
    if (ascii(typed) && decoded.marked) {
      const bool known = decoded.vietnamese && model.unigram(decoded.exact) >= options.min_decoded;
      if (known) {
        word = decoded.prefix + capitalise_like(decoded.core, decoded.exact) + decoded.suffix;
        correction.kinds.push_back(CorrectionKind::kViqr);
      } else if (looks_like_viqr(typed)) {
        return std::nullopt;
      }
    }
    correction.text += (correction.text.empty() ? "" : " ") + word;
  }
  if (correction.kinds.empty()) return std::nullopt;
  return correction;
}

}  // namespace

std::string_view correction_kind_name(CorrectionKind kind) {
  switch (kind) {
    case CorrectionKind::kTelex:
      return "telex";
    case CorrectionKind::kVni:
      return "vni";
    case CorrectionKind::kViqr:
      return "viqr";
    case CorrectionKind::kSpelling:
      return "spelling";
    case CorrectionKind::kTone:
      return "tone";
    case CorrectionKind::kJoined:
      return "joined";
  }
  return "unknown";
}

std::optional<Correction> correct_query(const SyllableModel& model, std::string_view text,
                                        const CorrectionOptions& options) {
  if (model.vocabulary_size() == 0) return std::nullopt;
  const std::vector<std::string> raw = split_spaces(text);
  // The query language (AND, OR, NOT, NEAR, parentheses, `*`) is taken as typed, like quotes.
  if (raw.empty() || has_operators(raw) || uses_query_language(text)) return std::nullopt;
  if (auto viqr = correct_viqr(model, text, options)) return viqr;
  std::vector<Word> words;
  for (const std::string& word : raw) words.push_back(describe(model, word));
  const Corrector corrector(model, options);
  Correction correction;
  correction.sure = true;
  std::vector<std::string> out = raw;
  std::vector<bool> changed(words.size(), false);
  std::vector<CorrectionKind> kinds(words.size());
  // Two passes: a word whose neighbour was itself wrong (`thanhf phoos`) is judged again beside
  // the neighbour's correction.
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<Word> next = words;
    bool any = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (changed[i]) continue;
      const auto candidate = corrector.fix(words, i);
      if (!candidate) continue;
      correction.sure =
          correction.sure && corrector.sure(words, i, *candidate, corrector.runner_up());
      kinds[i] = candidate->kind;
      out[i] = words[i].prefix + capitalise_like(words[i].core, candidate->text) + words[i].suffix;
      changed[i] = any = true;
      if (candidate->kind != CorrectionKind::kJoined) next[i] = describe(model, out[i]);
    }
    if (!any) break;
    words = std::move(next);
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (changed[i]) correction.kinds.push_back(kinds[i]);
  }
  if (correction.kinds.empty()) return std::nullopt;
  for (const std::string& word : out)
    correction.text += (correction.text.empty() ? "" : " ") + word;
  return correction;
}

}  // namespace vnsearch::query
