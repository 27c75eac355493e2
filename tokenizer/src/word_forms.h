// Exact and folded forms of one word: the per-token normalization at the heart of the pipeline.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
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

/// Moves the single tone of a word from letter `toned` to the vowel the syllable table names,
/// when the word is a Vietnamese syllable (out of line: most words never need the probe).
void move_tone_to_slot(LetterBuffer& letters, std::size_t toned);

/// As write_word_forms, into raw buffers: at most `kMaxFastLetters * 3` bytes of exact form to
/// `exact` (which must have room for one byte more: each letter is copied as four bytes) and
/// exactly `letters.size` bytes of folded form to `folded`. Returns the size of the exact form;
/// it equals `letters.size` exactly when the exact form is plain ASCII, and then the folded
/// form is the same bytes. Inline: the analyzer calls it for nearly every token.
inline std::size_t compose_word_forms(LetterBuffer& letters, const LetterTables& tables,
                                      char* exact, char* folded) {
  // The folded form, and in the same branch-free pass what canonical tone placement needs: the
  // toned letter, the number of vowels and which letters are marked vowels (a bit each).
  std::size_t toned = 0, vowels = 0;
  unsigned marked = 0;
  for (std::size_t i = 0; i < letters.size; ++i) {
    const auto key = static_cast<unsigned char>(letters.keys[i]) & 0x7F;
    folded[i] = tables.folded[key];
    const std::uint8_t kind = tables.vowel_kind[key];
    vowels += kind != 0;
    marked |= static_cast<unsigned>(kind == 2) << i;
    toned = letters.tones[i] != kLevel ? i : toned;
  }
  // Only a word with one tone (two: not a syllable, left as is) and more than one vowel may
  // need it moved, unless it already sits on the last marked vowel (người, việt). One branch,
  // rarely taken: testing the conditions one by one mispredicted on every other word.
  const bool probe =
      (letters.toned == 1) & (letters.size <= 8) & (vowels > 1) & ((marked >> toned) != 1);
  if (probe) move_tone_to_slot(letters, toned);
  // Every letter copies its whole four-byte entry (bytes and size, as one word) and advances by
  // its size: no branch on plain ASCII letters, which mispredicted in mixed words.
  std::size_t exact_size = 0;
  for (std::size_t i = 0; i < letters.size; ++i) {
    const auto key = static_cast<unsigned char>(letters.keys[i]) & 0x7F;
    const ComposedLetter& letter = tables.composed[key][letters.tones[i]];
    static_assert(sizeof(ComposedLetter) == 4);
    std::memcpy(exact + exact_size, &letter, sizeof letter);
    exact_size += letter.size;
  }
  return exact_size;
}

/// Writes the exact and folded forms of `word` (one run of letters or digits, possibly with
/// combining marks, invisible characters and — for a re-attached stray mark — a space) into
/// `exact` and `folded`, replacing their contents.
///
/// Vietnamese and ASCII letters take a table-driven fast path; anything else (full-width forms,
/// other scripts, Latin letters outside Vietnamese) goes through ICU's NFKC_Casefold and, for the
/// folded form, the Latin-ASCII transliterator.
void normalize_word(std::string_view word, std::string& exact, std::string& folded);

}  // namespace vnsearch::detail
