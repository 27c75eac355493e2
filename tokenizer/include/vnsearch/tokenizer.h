// Public interface of the Vietnamese text pipeline: raw bytes in, tokens out.
//
// Every token carries two forms. `exact` keeps diacritics (NFC, one canonical tone placement,
// case-folded); `folded` drops every mark and maps đ to d, as people type without diacritics.
// Offsets always point into the caller's original bytes, before any repair or normalization.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/encoding.h"

namespace vnsearch {

/// What a token is, so the indexer and query parser can treat numbers and codes differently.
enum class TokenKind : std::uint8_t {
  kWord,    ///< a syllable or other run of letters (`thi`, `đua`, `Gaza`)
  kNumber,  ///< digits, possibly with Vietnamese separators (`13.926.122`, `721,89`, `8`)
  kDate,    ///< day/month[/year] (`16/11/2020`, `16-11`)
  kCode,    ///< letters and digits joined by `-` `.` `/` `_` (`BR-VT`, `TP.HCM`, `Covid-19`, `U23`)
  kEmail,   ///< `ten@bao.vn`
  kUrl,     ///< `https://bao.vn/a.html`, `www.bao.vn`, `thegioididong.vn`
};

/// How a token relates to its neighbours at the same place in the text.
enum class TokenRole : std::uint8_t {
  kSimple,    ///< an ordinary token with no parts
  kCompound,  ///< the whole of a code/date/email/url; its parts follow it immediately
  kPart,      ///< one part of the preceding compound, at its own position
};

/// Returns a stable lower-case name ("word", "number", ...) for output formats.
[[nodiscard]] std::string_view token_kind_name(TokenKind kind);

/// One token of the analysed text.
struct Token {
  std::size_t start = 0;        ///< byte offset of the first byte in the original input
  std::size_t end = 0;          ///< byte offset one past the last byte in the original input
  std::uint32_t position = 0;   ///< word position; a compound shares the position of its first part
  std::uint32_t sentence = 0;   ///< index of the sentence the token is in (0-based)
  std::uint32_t paragraph = 0;  ///< index of the paragraph (line-separated block) it is in
  std::string exact;            ///< canonical form with diacritics, case-folded
  std::string folded;           ///< exact form with every mark removed and đ→d (pure ASCII for
                                ///< Vietnamese text)
  TokenKind kind = TokenKind::kWord;
  TokenRole role = TokenRole::kSimple;
};

class TokenBatch;  // vnsearch/token_batch.h: tokens whose forms are views into one arena

/// Counters describing what the pipeline had to repair in one input.
struct AnalysisReport {
  std::size_t invalid_utf8_sequences = 0;  ///< ill-formed sequences replaced by U+FFFD
  std::size_t invisible_removed = 0;       ///< soft hyphens, zero-width and direction marks dropped
  Encoding encoding = Encoding::kUtf8;     ///< encoding the input was decoded from
};

/// Options for `Analyzer`; defaults suit indexing news text.
struct AnalyzerOptions {
  /// Encoding of the input bytes. `kAuto` reads well-formed or mostly well-formed UTF-8 as
  /// UTF-8 and otherwise detects a legacy Vietnamese encoding (detect_encoding in encoding.h).
  Encoding encoding = Encoding::kAuto;
  /// Emit the parts of codes, dates, e-mail addresses and URLs after the whole token.
  bool emit_parts = true;
};

/// Turns raw text into tokens. Thread-safe: one instance may be shared by many threads.
class Analyzer final {
 public:
  explicit Analyzer(AnalyzerOptions options = {});

  /// Appends the tokens of `input` to `out` (which is not cleared) and returns what was repaired.
  AnalysisReport analyze(std::string_view input, std::vector<Token>& out) const;

  /// Convenience wrapper returning a fresh vector.
  [[nodiscard]] std::vector<Token> analyze(std::string_view input) const;

  /// The same tokens appended to `out` (which is not cleared) as views into its arena, without
  /// a std::string per token: the fast path for loops over much text (vnsearch/token_batch.h).
  AnalysisReport analyze(std::string_view input, TokenBatch& out) const;

 private:
  AnalyzerOptions options_;
};

namespace detail {
/// What one piece of a stream hands to the next (internal to AnalyzerStream): the counters and
/// the gap between the last word seen and the next one.
struct StreamCarry {
  std::uint32_t position = 0;
  std::uint32_t sentence = 0;
  std::uint32_t paragraph = 0;
  bool any_token = false;
  std::size_t gap_chars = 0;
  std::int32_t gap_char = -1;
  bool gap_space = false;
  bool gap_sentence = false;
  bool gap_paragraph = false;
};
}  // namespace detail

/// Analyzes a text that arrives in pieces, giving the tokens the whole text would give: offsets
/// count from the start of the whole text, and positions, sentences and paragraphs run on
/// across pieces. Memory stays bounded by the piece size, whatever the length of the text.
///
/// Pieces should end just after a line break, or else after white space (safe_length() finds
/// such a cut). A piece that ends inside a word ends that word. With `Encoding::kAuto`, the
/// encoding is decided by the first piece holding a byte above 0x7F (as Analyzer decides it for
/// a whole text) and kept for the rest.
class AnalyzerStream final {
 public:
  explicit AnalyzerStream(AnalyzerOptions options = {});

  /// Appends the tokens of the next piece to `out` and returns what was repaired in it.
  AnalysisReport feed(std::string_view piece, std::vector<Token>& out);

  /// The same, into a TokenBatch (vnsearch/token_batch.h).
  AnalysisReport feed(std::string_view piece, TokenBatch& out);

  /// Bytes fed so far.
  [[nodiscard]] std::size_t offset() const { return offset_; }

  /// How much of the start of `buffer` to feed now: up to and including its last line break;
  /// without one, once `buffer` holds `max_piece` bytes, up to the last white space among them,
  /// or else a character boundary near `max_piece`. 0 means: read more first. At the end of
  /// the input, feed whatever is left.
  [[nodiscard]] static std::size_t safe_length(std::string_view buffer, std::size_t max_piece);

 private:
  AnalyzerOptions options_;
  detail::StreamCarry carry_;
  std::size_t offset_ = 0;
};

/// Canonical exact form of one word or short text (NFC, canonical tone placement, case-folded,
/// invisible characters removed). Punctuation and spaces are kept as they are.
[[nodiscard]] std::string to_exact(std::string_view utf8);

/// Folded form: `to_exact` then every mark removed and đ→d.
[[nodiscard]] std::string to_folded(std::string_view utf8);

/// True when `word` (any case, any normalization form) is a well-formed Vietnamese syllable:
/// onset, vowel nucleus and final consonant from the Vietnamese inventory, at most one tone.
[[nodiscard]] bool is_vietnamese_syllable(std::string_view word);

}  // namespace vnsearch
