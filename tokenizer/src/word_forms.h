// Exact and folded forms of one word: the per-token normalization at the heart of the pipeline.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "letters.h"

namespace vnsearch::detail {

/// Words with more letters than this take the generic path (no Vietnamese syllable comes close;
/// the limit keeps the buffer small enough to live inside each scanned atom).
inline constexpr std::size_t kMaxFastLetters = 20;

/// The letters of one word as keys and tones, filled one code point at a time by the analyzer's
/// scan (so the hot path decodes each character once) or by `normalize_word`.
struct LetterBuffer {
  std::array<char, kMaxFastLetters> keys;
  std::array<std::uint8_t, kMaxFastLetters> tones;
  std::uint8_t size = 0;
  std::uint8_t toned = 0;  ///< how many letters carry a tone

  /// Adds a letter found in the letter table. Returns false when the word is too long.
  bool add_letter(LetterInfo info) {
    if (size == kMaxFastLetters) return false;
    keys[size] = info.key;
    tones[size] = info.tone;
    toned += info.tone != 0;
    ++size;
    return true;
  }

  /// Adds a code point that is not in the letter table: combining tone and vowel marks modify
  /// the previous letter (NFD input), invisible characters are skipped. Returns false when the
  /// word needs the generic path.
  bool add_other(UChar32 c);

  bool add(UChar32 c, LetterInfo info) { return info.key != 0 ? add_letter(info) : add_other(c); }
};

/// True when a Vietnamese combining mark typed stray after `word` and a space (`thi ̣`) can sit
/// on the word's last letter: only then is it re-attached rather than dropped.
[[nodiscard]] bool accepts_stray_mark(std::string_view word, UChar32 mark);

/// Places the tone canonically and writes the exact and folded forms (replacing their contents).
void write_word_forms(LetterBuffer& letters, std::string& exact, std::string& folded);

/// As write_word_forms, into raw buffers: at most `kMaxFastLetters * 3` bytes of exact form to
/// `exact` and exactly `letters.size` bytes of folded form to `folded`. Returns the size of the
/// exact form; it equals `letters.size` exactly when the exact form is plain ASCII, and then the
/// folded form is the same bytes.
std::size_t compose_word_forms(LetterBuffer& letters, const LetterTables& tables, char* exact,
                               char* folded);

/// Writes the exact and folded forms of `word` (one run of letters or digits, possibly with
/// combining marks, invisible characters and — for a re-attached stray mark — a space) into
/// `exact` and `folded`, replacing their contents.
///
/// Vietnamese and ASCII letters take a table-driven fast path; anything else (full-width forms,
/// other scripts, Latin letters outside Vietnamese) goes through ICU's NFKC_Casefold and, for the
/// folded form, the Latin-ASCII transliterator.
void normalize_word(std::string_view word, std::string& exact, std::string& folded);

}  // namespace vnsearch::detail
