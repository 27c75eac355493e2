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
struct alignas(4) LetterInfo {
  char key = 0;           ///< 0 when the code point is not in the table
  std::uint8_t tone = 0;  ///< Tone
  bool upper = false;     ///< upper-case in the input (the exact form is always lower-case)
  // Four bytes, aligned: copied as one word. Three let the compiler build copies byte by byte
  // on the stack and read them back whole, which stalled the scan (store forwarding fails).
  std::uint8_t unused = 0;
};

// Keys of the letters that carry a vowel mark (or the stroke of đ). Chosen outside [a-z0-9].
inline constexpr char kKeyABreve = 'A';       // ă
inline constexpr char kKeyACircumflex = 'B';  // â
inline constexpr char kKeyECircumflex = 'E';  // ê
inline constexpr char kKeyOCircumflex = 'O';  // ô
inline constexpr char kKeyOHorn = 'P';        // ơ
inline constexpr char kKeyUHorn = 'U';        // ư
inline constexpr char kKeyDStroke = 'D';      // đ

/// UTF-8 bytes of one composed lower-case letter (at most 3 bytes for Vietnamese letters).
/// Copied whole (3 bytes, whatever `size`) by the hot path, which then advances by `size`.
struct ComposedLetter {
  char bytes[3] = {};
  std::uint8_t size = 0;
};

/// Code points below this are covered by the letter table; no Vietnamese letter lies above.
inline constexpr UChar32 kLetterTableLimit = 0x1F00;

/// The letter tables: per code point, per key and tone (composed UTF-8), per key (folded).
struct LetterTables {
  LetterInfo info[kLetterTableLimit];
  /// Per key and tone; a tone the key cannot carry gives the letter without it.
  ComposedLetter composed[128][kToneCount];
  char folded[128];
  /// Per key: 0 consonant, 1 plain vowel, 2 vowel with its own mark (it attracts the tone).
  std::uint8_t vowel_kind[128];

  [[nodiscard]] LetterInfo lookup(UChar32 c) const {
    return c >= 0 && c < kLetterTableLimit ? info[c] : LetterInfo{};
  }
};

/// The process-wide tables, built on first use.
[[nodiscard]] const LetterTables& letter_tables();

/// True for the keys of vowels with their own mark (ă â ê ô ơ ư), which attract the tone.
[[nodiscard]] inline bool is_marked_vowel_key(char key) {
  return key == kKeyABreve || key == kKeyACircumflex || key == kKeyECircumflex ||
         key == kKeyOCircumflex || key == kKeyOHorn || key == kKeyUHorn;
}

/// True for the vowel keys (a ă â e ê i o ô ơ u ư y).
[[nodiscard]] inline bool is_vowel_key(char key) {
  return key == 'a' || key == 'e' || key == 'i' || key == 'o' || key == 'u' || key == 'y' ||
         is_marked_vowel_key(key);
}

/// For a combining tone mark (U+0300, U+0301, U+0309, U+0303, U+0323 and the deprecated
/// U+0340/U+0341), its tone; otherwise kLevel.
[[nodiscard]] std::uint8_t combining_tone(UChar32 c);

/// True for the combining marks Vietnamese uses: the five tone marks and the breve, circumflex
/// and horn. Only these are re-attached when typed stray after a space.
[[nodiscard]] inline bool is_vietnamese_combining_mark(UChar32 c) {
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323 || c == 0x0340 ||
         c == 0x0341 || c == 0x0302 || c == 0x0306 || c == 0x031B;
}

/// For a combining vowel mark (breve U+0306, circumflex U+0302, horn U+031B) applied to a base
/// key, the resulting key; 0 when the mark does not make a Vietnamese letter from that base.
[[nodiscard]] char apply_combining_vowel_mark(char base_key, UChar32 mark);

}  // namespace vnsearch::detail
