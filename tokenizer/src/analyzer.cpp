// The analyzer: one pass over the input finds "atoms" (runs of letters or of digits), a second
// pass groups atoms joined by connector characters into numbers, dates, codes, e-mail addresses
// and URLs, and emits tokens with both forms and offsets into the original bytes.
#include <algorithm>
#include <array>

#include <unicode/utf8.h>

#include "atom.h"
#include "char_class.h"
#include "token_batch_writer.h"
#include "token_emitter.h"
#include "vnsearch/token_batch.h"
#include "vnsearch/tokenizer.h"
#include "word_forms.h"

namespace vnsearch {
namespace {

using detail::Atom;
using detail::CharClass;
using detail::Group;
using detail::kMaxParts;
using detail::kNoJoin;

// The scanner hands its atoms on for grouping and emitting once this many are pending and the
// next atom starts after white space (which no group spans). Grouping then reads atoms that are
// still in the cache: over a whole 1 MB slice the atoms (~15 MB) were written out to memory and
// read back, which cost as much as the scan itself.
constexpr std::size_t kAtomBatch = 256;

// Sentence-ending punctuation; a '.' inside a number or code never reaches the gap.
bool ends_sentence(UChar32 c) {
  return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

// Scans UTF-8 input into atoms. Counts ill-formed sequences and removed invisible characters.
class AtomScanner {
 public:
  AtomScanner(std::string_view input, AnalysisReport& report) : input_(input), report_(report) {}

  // Continues the gap the previous piece of a stream ended in.
  void resume(const detail::StreamCarry& carry) {
    gap_chars_ = carry.gap_chars;
    gap_char_ = carry.gap_char;
    gap_space_ = carry.gap_space;
    gap_sentence_ = carry.gap_sentence;
    gap_paragraph_ = carry.gap_paragraph;
  }

  // Hands the gap the input ends in to the next piece. A piece that ends inside a word (a cut
  // with no white space to cut at) ends that word: the next piece starts a new one.
  void suspend(detail::StreamCarry& carry) const {
    const bool gap = !in_atom_;
    carry.gap_chars = gap ? gap_chars_ : 0;
    carry.gap_char = gap ? gap_char_ : kNoJoin;
    carry.gap_space = gap && gap_space_;
    carry.gap_sentence = gap && gap_sentence_;
    carry.gap_paragraph = gap && gap_paragraph_;
  }

  std::size_t non_ascii_chars() const { return non_ascii_; }

  // Scans the whole input into `atoms`, calling `flush(atoms)` (which must empty the vector)
  // whenever the atoms so far form complete groups; the caller flushes what is left at the end.
  template <typename Flush>
  void scan(std::vector<Atom>& atoms, Flush&& flush) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(input_.data());
    const auto length = static_cast<std::int32_t>(input_.size());
    std::int32_t offset = 0;
    while (offset < length) {
      const auto start = static_cast<std::size_t>(offset);
      UChar32 c = bytes[offset];
      if (c < 0x80) {
        ++offset;
      } else {
        U8_NEXT(bytes, offset, length, c);
        if (c < 0) ++report_.invalid_utf8_sequences;
        if (c >= 0x80) ++non_ascii_;
      }
      const auto end = static_cast<std::size_t>(offset);
      const detail::LetterInfo info = tables_.lookup(c);
      if (info.key != 0 && (info.key < '0' || info.key > '9')) {
        // A table letter: the tight loop reads the word from this letter on (it reads the
        // letter again, so it is counted there and not here).
        at_word_start(atoms, flush);
        if (!in_atom_ || atoms.back().digits) start_atom(atoms, false, start);
        if (c >= 0x80) --non_ascii_;
        offset = continue_letters(atoms.back(), static_cast<std::int32_t>(start));
        continue;
      }
      const CharClass cls = detail::classify(c, tables_);
      switch (cls) {
        case CharClass::kLetter:
          at_word_start(atoms, flush);
          add_other_letter(atoms, c, start, end);
          break;
        case CharClass::kDigit:
          at_word_start(atoms, flush);
          if (!in_atom_ || !atoms.back().digits) start_atom(atoms, true, start);
          atoms.back().end = end;
          if (c >= 0x80) atoms.back().ascii = false;
          break;
        case CharClass::kMark:
          if (in_atom_) {
            Atom& atom = atoms.back();
            atom.end = end;
            atom.ascii = false;
            atom.letters_fast = atom.letters_fast && atom.letters.add_other(c);
          } else {
            reattach_stray_mark(atoms, c, start, end);
          }
          break;
        case CharClass::kInvisible:
          ++report_.invisible_removed;
          if (in_atom_) {
            atoms.back().end = end;
            // Digit runs are copied verbatim only when pure ASCII; this one needs normalizing.
            atoms.back().ascii = false;
          }
          break;
        default:
          in_atom_ = false;
          note_gap(c, cls);
          break;
      }
    }
  }

 private:
  // The rest of a word whose letters are all in the letter table (nearly every Vietnamese and
  // ASCII word), in a tight loop on the atom; returns the offset of the first character that is
  // not such a letter, which the main loop then reads (and counts, if ill-formed) as usual.
  std::int32_t continue_letters(Atom& atom, std::int32_t offset) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(input_.data());
    const auto length = static_cast<std::int32_t>(input_.size());
    // The atom's fields live in locals for the loop: the letter stores are char stores, which
    // may alias anything, so fields kept in the atom were reloaded after every letter.
    bool all_caps = atom.all_caps, ascii = atom.ascii, fast = atom.letters_fast;
    std::size_t non_ascii = 0;
    std::uint8_t size = atom.letters.size, toned = atom.letters.toned;
    while (offset < length) {
      std::int32_t next = offset;
      UChar32 c = bytes[offset];
      if (c < 0x80) {
        ++next;
      } else {
        U8_NEXT(bytes, next, length, c);
      }
      const detail::LetterInfo info = tables_.lookup(c);
      if (info.key == 0 || (info.key >= '0' && info.key <= '9')) break;
      if (c >= 0x80) {
        ++non_ascii;
        ascii = false;
      }
      offset = next;
      all_caps = all_caps && info.upper;
      if (fast) {
        if (size == detail::kMaxFastLetters) {
          fast = false;  // too long for the fast path (LetterBuffer::add_letter)
        } else {
          atom.letters.keys[size] = info.key;
          atom.letters.tones[size] = info.tone;
          toned += info.tone != 0;
          ++size;
        }
      }
    }
    atom.end = static_cast<std::size_t>(offset);
    atom.all_caps = all_caps;
    atom.ascii = ascii;
    atom.letters_fast = fast;
    atom.letters.size = size;
    atom.letters.toned = toned;
    non_ascii_ += non_ascii;
    return offset;
  }

  // Before a letter or digit: when it starts a new atom after white space, no group spans the
  // gap, so the pending atoms can be grouped and emitted now.
  template <typename Flush>
  void at_word_start(std::vector<Atom>& atoms, Flush& flush) {
    if (!in_atom_ && gap_space_ && atoms.size() >= kAtomBatch) flush(atoms);
  }

  void start_atom(std::vector<Atom>& atoms, bool digit, std::size_t start) {
    const bool touching = in_atom_;
    Atom& atom = atoms.emplace_back();
    atom.start = start;
    atom.digits = digit;
    atom.letters_fast = !digit;
    atom.joiner = touching ? 0 : (gap_chars_ == 1 && !gap_space_ ? gap_char_ : kNoJoin);
    atom.sentence_break = gap_sentence_;
    atom.paragraph_break = gap_paragraph_;
    atom.space_before = gap_space_;
    in_atom_ = true;
    reset_gap();
  }

  // A letter outside the letter table (every table letter takes continue_letters): Latin with
  // other diacritics, Greek, CJK... It keeps the word going but leaves the fast path.
  void add_other_letter(std::vector<Atom>& atoms, UChar32 c, std::size_t start, std::size_t end) {
    if (!in_atom_ || atoms.back().digits) start_atom(atoms, false, start);
    Atom& atom = atoms.back();
    atom.end = end;
    if (c >= 0x80) atom.ascii = false;
    if (atom.all_caps) atom.all_caps = u_isUUppercase(c);
    if (atom.letters_fast) atom.letters_fast = atom.letters.add_other(c);
  }

  // `thi ̣trường`: a combining mark typed after the space belongs to the word before it.
  void reattach_stray_mark(std::vector<Atom>& atoms, UChar32 c, std::size_t start,
                           std::size_t end) {
    if (!atoms.empty() && !atoms.back().digits && gap_chars_ == 1 && gap_char_ == ' ' &&
        atoms.back().end + 1 == start &&
        detail::accepts_stray_mark(
            input_.substr(atoms.back().start, atoms.back().end - atoms.back().start), c)) {
      atoms.back().end = end;
      atoms.back().letters_fast = false;  // normalized from the extended text when emitted
    }
    // Either way the next word starts a new token.
    gap_space_ = true;
    ++gap_chars_;
  }

  void note_gap(UChar32 c, CharClass cls) {
    ++gap_chars_;
    gap_char_ = c;
    if (cls == CharClass::kSpace || cls == CharClass::kLineBreak) gap_space_ = true;
    if (cls == CharClass::kLineBreak) gap_paragraph_ = gap_sentence_ = true;
    if (ends_sentence(c)) gap_sentence_ = true;
  }

  void reset_gap() {
    gap_chars_ = 0;
    gap_char_ = kNoJoin;
    gap_space_ = gap_sentence_ = gap_paragraph_ = false;
  }

  std::string_view input_;
  AnalysisReport& report_;
  const detail::LetterTables& tables_ = detail::letter_tables();
  bool in_atom_ = false;
  std::size_t gap_chars_ = 0;
  UChar32 gap_char_ = kNoJoin;
  bool gap_space_ = false;
  bool gap_sentence_ = false;
  bool gap_paragraph_ = false;
  std::size_t non_ascii_ = 0;
};

// 13.926.122 and 721,89 are one number: merge digit atoms joined by a single '.' or ','.
void merge_numbers(std::vector<Atom>& atoms) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    Atom& atom = atoms[i];
    if (out > 0 && atom.digits && atoms[out - 1].digits &&
        (atom.joiner == '.' || atom.joiner == ',')) {
      // Verbatim copying needs a plain one-byte separator; an invisible character beside it
      // means the number goes through normalization instead.
      const bool plain_gap = atom.start == atoms[out - 1].end + 1;
      atoms[out - 1].ascii = atoms[out - 1].ascii && atom.ascii && plain_gap;
      atoms[out - 1].end = atom.end;
      atoms[out - 1].number = true;
      continue;
    }
    if (out != i) atoms[out] = atom;
    ++out;
  }
  atoms.resize(out);
}

bool is_common_tld(std::string_view text) {
  static constexpr std::array<std::string_view, 16> kTlds = {
      "vn", "com", "net", "org", "edu", "gov", "info", "biz",
      "io", "co",  "uk",  "us",  "jp",  "cn",  "fr",   "de"};
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char ch) { return static_cast<char>(ch | 0x20); });
  return std::find(kTlds.begin(), kTlds.end(), lower) != kTlds.end();
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if ((text[i] | 0x20) != prefix[i]) return false;
  }
  return true;
}

class Grouper {
 public:
  Grouper(std::string_view input, const std::vector<Atom>& atoms) : input_(input), atoms_(atoms) {}

  Group next(std::size_t begin) const {
    Group group{begin, begin + 1, TokenKind::kWord};
    const Atom& first = atoms_[begin];
    if (starts_url(first)) {
      while (continues_url(group.end, begin)) ++group.end;
      group.kind = TokenKind::kUrl;
      return group;
    }
    bool has_at = false, has_domain = false;
    while (group.end < atoms_.size() && group.end - begin < kMaxParts) {
      const Atom& previous = atoms_[group.end - 1];
      const Atom& atom = atoms_[group.end];
      const bool domain =
          atom.joiner == '.' && previous.ascii && atom.ascii && is_common_tld(text(atom));
      if (!joins(previous, atom) && !domain) break;
      has_at |= atom.joiner == '@';
      has_domain |= domain;
      ++group.end;
    }
    if (group.end - begin == 1) {
      group.kind = first.digits ? TokenKind::kNumber : TokenKind::kWord;
    } else if (has_at) {
      group.kind = TokenKind::kEmail;
    } else if (has_domain) {
      group.kind = TokenKind::kUrl;
    } else if (is_date(group)) {
      group.kind = TokenKind::kDate;
    } else {
      group.kind = TokenKind::kCode;
    }
    return group;
  }

  std::string_view text(const Atom& atom) const {
    return input_.substr(atom.start, atom.end - atom.start);
  }

 private:
  static bool joins(const Atom& previous, const Atom& atom) {
    switch (atom.joiner) {
      case 0:       // U23, Covid19, 1.000.000đ
      case '-':     // BR-VT, Covid-19
      case 0x2013:  // en dash used as a hyphen
      case '/':     // A/B, 16/11
      case '_':
      case '&':  // R&D
      case '@':
        return true;
      case '.':  // TP.HCM, U.S. but not `bếp.Lực` (a missing space after a sentence)
        return (previous.all_caps || previous.digits) && (atom.all_caps || atom.digits) &&
               !(previous.digits && atom.digits);
      default:
        return false;
    }
  }

  bool starts_url(const Atom& atom) const {
    const char first = static_cast<char>(input_[atom.start] | 0x20);
    if (first != 'h' && first != 'w') return false;
    const std::string_view rest = input_.substr(atom.start);
    return starts_with_ci(rest, "http://") || starts_with_ci(rest, "https://") ||
           starts_with_ci(rest, "www.");
  }

  // Inside a URL every gap without white space continues it (`://`, `/`, `?a=b&c`).
  bool continues_url(std::size_t index, std::size_t begin) const {
    if (index >= atoms_.size() || index - begin >= kMaxParts) return false;
    const std::string_view gap =
        input_.substr(atoms_[index - 1].end, atoms_[index].start - atoms_[index - 1].end);
    if (atoms_[index].space_before) return false;
    return std::none_of(gap.begin(), gap.end(),
                        [](char ch) { return ch == '"' || ch == '<' || ch == '>'; });
  }

  bool is_date(const Group& group) const {
    const std::size_t parts = group.end - group.begin;
    if (parts < 2 || parts > 3) return false;
    const UChar32 separator = atoms_[group.begin + 1].joiner;
    if (separator != '/' && separator != '-') return false;
    std::array<int, 3> values{};
    for (std::size_t i = 0; i < parts; ++i) {
      const Atom& atom = atoms_[group.begin + i];
      if (!atom.digits || atom.number || (i > 0 && atom.joiner != separator)) return false;
      const std::string_view digits = text(atom);
      if (digits.size() > (i == 2 ? 4u : 2u)) return false;
      for (char ch : digits) values[i] = values[i] * 10 + (ch - '0');
    }
    if (parts == 3 && text(atoms_[group.begin + 2]).size() == 3) return false;
    return values[0] >= 1 && values[0] <= 31 && values[1] >= 1 && values[1] <= 12;
  }

  std::string_view input_;
  const std::vector<Atom>& atoms_;
};

// Analyzes text that is UTF-8 (possibly with ill-formed sequences). With `carry`, the input is
// one piece of a stream: counting and the gap before the first word continue from the previous
// piece, and `carry` is updated for the next one.
void analyze_utf8(std::string_view input, const AnalyzerOptions& options, TokenBatch& out,
                  AnalysisReport& report, std::size_t* non_ascii = nullptr,
                  detail::StreamCarry* carry = nullptr) {
  thread_local std::vector<Atom> atoms;
  atoms.clear();
  detail::Emitter emitter(input, options, out);
  if (carry) {
    emitter.position = carry->position;
    emitter.sentence = carry->sentence;
    emitter.paragraph = carry->paragraph;
    emitter.first = !carry->any_token;
  }
  const auto flush = [&](std::vector<Atom>& batch) {
    merge_numbers(batch);
    const Grouper grouper(input, batch);
    for (std::size_t i = 0; i < batch.size();) {
      const Group group = grouper.next(i);
      emitter.emit(batch, group);
      i = group.end;
    }
    batch.clear();
  };
  AtomScanner scanner(input, report);
  if (carry) scanner.resume(*carry);
  scanner.scan(atoms, flush);
  flush(atoms);
  if (carry) scanner.suspend(*carry);
  if (non_ascii) *non_ascii = scanner.non_ascii_chars();
  if (carry) {
    carry->position = emitter.position;
    carry->sentence = emitter.sentence;
    carry->paragraph = emitter.paragraph;
    carry->any_token = !emitter.first;
  }
}

void analyze_legacy(std::string_view input, Encoding encoding, const AnalyzerOptions& options,
                    TokenBatch& out, AnalysisReport& report, detail::StreamCarry* carry = nullptr) {
  const DecodedText decoded = decode_legacy(input, encoding);
  const std::size_t first = out.size();
  AnalysisReport inner;
  analyze_utf8(decoded.utf8, options, out, inner, nullptr, carry);
  report.invisible_removed += inner.invisible_removed;
  report.invalid_utf8_sequences += decoded.unmappable;
  report.encoding = decoded.encoding;
  auto& records = detail::TokenBatchWriter{out}.records();
  for (std::size_t i = first; i < records.size(); ++i) {
    records[i].start = decoded.source_offset[records[i].start];
    records[i].end = decoded.source_offset[records[i].end];
  }
}

// The classic API's tokens come from a batch per thread, reused from one call to the next.
TokenBatch& scratch_batch() {
  thread_local TokenBatch batch;
  batch.clear();
  return batch;
}

// After a huge text, the scratch batch gives its memory back rather than keep it for the life
// of the thread.
void release_if_huge(TokenBatch& batch) {
  constexpr std::size_t kKeepBytes = 16u << 20;
  if (detail::TokenBatchWriter{batch}.capacity_bytes() > kKeepBytes) batch = TokenBatch();
}

}  // namespace

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord:
      return "word";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kDate:
      return "date";
    case TokenKind::kCode:
      return "code";
    case TokenKind::kEmail:
      return "email";
    case TokenKind::kUrl:
      return "url";
  }
  return "word";
}

Analyzer::Analyzer(AnalyzerOptions options) : options_(options) {}

AnalysisReport Analyzer::analyze(std::string_view input, TokenBatch& out) const {
  AnalysisReport report;
  if (options_.encoding != Encoding::kAuto && options_.encoding != Encoding::kUtf8) {
    analyze_legacy(input, options_.encoding, options_, out, report);
    return report;
  }
  const std::size_t first = out.size();
  detail::TokenBatchWriter writer{out};
  const std::size_t first_byte = writer.arena_size();
  std::size_t non_ascii = 0;
  analyze_utf8(input, options_, out, report, &non_ascii);
  // With kAuto, text that is mostly ill-formed as UTF-8 is a legacy encoding, not damaged UTF-8
  // (the rule is reads_as_utf8's, shared with the readers).
  if (options_.encoding == Encoding::kAuto &&
      !reads_as_utf8({report.invalid_utf8_sequences, non_ascii})) {
    if (const Encoding legacy_encoding = detect_encoding(input);
        legacy_encoding != Encoding::kUtf8) {
      writer.records().resize(first);
      writer.truncate(first_byte);
      AnalysisReport legacy;
      analyze_legacy(input, legacy_encoding, options_, out, legacy);
      return legacy;
    }
  }
  return report;
}

AnalysisReport Analyzer::analyze(std::string_view input, std::vector<Token>& out) const {
  TokenBatch& batch = scratch_batch();
  const AnalysisReport report = analyze(input, batch);
  batch.append_to(out);
  release_if_huge(batch);
  return report;
}

std::vector<Token> Analyzer::analyze(std::string_view input) const {
  std::vector<Token> tokens;
  analyze(input, tokens);
  return tokens;
}

AnalyzerStream::AnalyzerStream(AnalyzerOptions options) : options_(options) {}

AnalysisReport AnalyzerStream::feed(std::string_view piece, TokenBatch& out) {
  if (options_.encoding == Encoding::kAuto) {
    // Decided on the first piece with a byte above 0x7F, and kept: until then the text is
    // ASCII, which reads the same in UTF-8 as in every detected legacy encoding.
    const Utf8Census census = utf8_census(piece);
    if (census.invalid > 0 || census.non_ascii > 0) options_.encoding = detect_encoding(piece);
  }
  const Encoding encoding =
      options_.encoding == Encoding::kAuto ? Encoding::kUtf8 : options_.encoding;
  AnalysisReport report;
  const std::size_t first = out.size();
  if (encoding == Encoding::kUtf8) {
    analyze_utf8(piece, options_, out, report, nullptr, &carry_);
  } else {
    analyze_legacy(piece, encoding, options_, out, report, &carry_);
  }
  auto& records = detail::TokenBatchWriter{out}.records();
  for (std::size_t i = first; i < records.size(); ++i) {
    records[i].start += offset_;
    records[i].end += offset_;
  }
  offset_ += piece.size();
  return report;
}

AnalysisReport AnalyzerStream::feed(std::string_view piece, std::vector<Token>& out) {
  TokenBatch& batch = scratch_batch();
  const AnalysisReport report = feed(piece, batch);
  batch.append_to(out);
  release_if_huge(batch);
  return report;
}

std::size_t AnalyzerStream::safe_length(std::string_view buffer, std::size_t max_piece) {
  if (const std::size_t line_end = buffer.rfind('\n'); line_end != std::string_view::npos) {
    return line_end + 1;
  }
  if (buffer.size() < max_piece || max_piece == 0) return 0;
  const std::string_view head = buffer.substr(0, max_piece);
  if (const std::size_t space = head.find_last_of(" \t\r\f\v"); space != std::string_view::npos) {
    return space + 1;
  }
  // No white space at all: cut before a byte that starts a character, so at least no UTF-8
  // sequence is split (a run this long is no word anyway). That needs the byte after the cut.
  if (buffer.size() == max_piece) return 0;
  const auto continuation = [&](std::size_t i) {
    return (static_cast<unsigned char>(buffer[i]) & 0xC0) == 0x80;
  };
  std::size_t cut = max_piece;
  for (int back = 0; back < 3 && cut > 1 && continuation(cut); ++back) --cut;
  return continuation(cut) ? max_piece : cut;
}

}  // namespace vnsearch
