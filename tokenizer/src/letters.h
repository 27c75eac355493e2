// The Vietnamese letter table: every precomposed Vietnamese letter (both cases, all tones) and
// ASCII letter/digit mapped to a compact description, so the hot path never calls a generic
// normalizer or transliterator for Vietnamese text.
#pragma once

#include <cstdint>
#include <string_view>

#include <unicode/umachine.h>

namespace vnsearch::detail {

/// Tones in the order Vietnamese grammars list them; kLevel (ngang) has no mark.
enum Tone : std::uint8_t {
  kLevel = 0,
  kGrave = 1,  // huyền U+0300
  kAcute = 2,  // sắc U+0301
  kHook = 3,   // hỏi U+0309
  kTilde = 4,  // ngã U+0303
  kDot = 5,    // nặng U+0323
};
inline constexpr int kToneCount = 6;

/// A letter reduced to its "key" and tone. The key is one byte: ASCII lower-case letters and
/// digits stand for themselves; the Vietnamese letters with vowel marks get digits-free codes
/// below, so that a syllable becomes a short byte string that can be parsed with plain
/// string comparisons.
struct LetterInfo {
  char key = 0;           ///< 0 when the code point is not in the table
  std::uint8_t tone = 0;  ///< Tone
  bool upper = false;     ///< upper-case in the input (the exact form is always lower-case)
};

// Keys of the letters that carry a vowel mark (or the stroke of đ). Chosen outside [a-z0-9].
inline constexpr char kKeyABreve = 'A';       // ă
inline constexpr char kKeyACircumflex = 'B';  // â
inline constexpr char kKeyECircumflex = 'E';  // ê
inline constexpr char kKeyOCircumflex = 'O';  // ô
inline constexpr char kKeyOHorn = 'P';        // ơ
inline constexpr char kKeyUHorn = 'U';        // ư
inline constexpr char kKeyDStroke = 'D';      // đ

/// Looks up a code point; returns a LetterInfo with key 0 when it is not a Vietnamese letter,
/// ASCII letter or ASCII digit.
[[nodiscard]] LetterInfo letter_info(UChar32 c);

/// True for the vowel keys (a ă â e ê i o ô ơ u ư y).
[[nodiscard]] bool is_vowel_key(char key);

/// UTF-8 of the lower-case letter with this key and tone (e.g. 'E', kAcute → "ế").
/// Tone must be kLevel for consonant and digit keys.
[[nodiscard]] std::string_view compose_letter(char key, std::uint8_t tone);

/// The ASCII letter a key folds to (ă â → a, đ → d); digits and ASCII letters map to themselves.
[[nodiscard]] char fold_key(char key);

/// For a combining tone mark (U+0300, U+0301, U+0309, U+0303, U+0323 and the deprecated
/// U+0340/U+0341), its tone; otherwise kLevel.
[[nodiscard]] std::uint8_t combining_tone(UChar32 c);

/// For a combining vowel mark (breve U+0306, circumflex U+0302, horn U+031B) applied to a base
/// key, the resulting key; 0 when the mark does not make a Vietnamese letter from that base.
[[nodiscard]] char apply_combining_vowel_mark(char base_key, UChar32 mark);

}  // namespace vnsearch::detail
