// One classification of code points shared by the analyzer and the word normalizer, so that
// what counts as "part of a word" is decided in exactly one place.
#pragma once

#include <cstdint>

#include <unicode/uchar.h>

#include "letters.h"

namespace vnsearch::detail {

enum class CharClass : std::uint8_t {
  kLetter,     ///< any letter (L*), including every Vietnamese letter
  kDigit,      ///< decimal digit (Nd)
  kMark,       ///< combining mark (M*): belongs to the letter before it
  kInvisible,  ///< format character (Cf: soft hyphen, ZWSP, ZWJ, BOM, direction marks): dropped
  kSpace,      ///< white space other than line breaks
  kLineBreak,  ///< \n, \r, U+0085, U+2028, U+2029: paragraph boundary
  kOther,      ///< punctuation, symbols, U+FFFD and anything else: separates tokens
};

/// Classifies one code point (negative: an ill-formed UTF-8 sequence). Hot loops pass the letter
/// tables they already hold.
[[nodiscard]] inline CharClass classify(UChar32 c, const LetterTables& tables) {
  if (c < 0x80) {
    if (c < 0) return CharClass::kOther;  // ill-formed UTF-8, read as U+FFFD
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return CharClass::kLetter;
    if (c >= '0' && c <= '9') return CharClass::kDigit;
    if (c == '\n' || c == '\r') return CharClass::kLineBreak;
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return CharClass::kSpace;
    return CharClass::kOther;
  }
  if (tables.lookup(c).key != 0) return CharClass::kLetter;
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return CharClass::kLetter;
    case U_DECIMAL_DIGIT_NUMBER:
      return CharClass::kDigit;
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return CharClass::kMark;
    case U_FORMAT_CHAR:
      return CharClass::kInvisible;
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return CharClass::kLineBreak;
    case U_SPACE_SEPARATOR:
      return CharClass::kSpace;
    default:
      if (c == 0x85) return CharClass::kLineBreak;
      return CharClass::kOther;
  }
}

[[nodiscard]] inline CharClass classify(UChar32 c) {
  return classify(c, letter_tables());
}

}  // namespace vnsearch::detail
