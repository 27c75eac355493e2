// Test oracle: the Vietnamese syllable inventory, generated from onsets x rhymes x tones with the
// spelling and phonotactic rules, independently of the tokenizer under test. Also the ICU-based
// helpers that produce the other spellings of a syllable (NFD, new tone placement, upper/Title).
#pragma once

#include <string>
#include <string_view>
#include <vector>

/// The six tones, in the order of the combining marks used to write them.
enum class Tone { kLevel, kGrave, kAcute, kHook, kTilde, kDot };

/// One generated syllable with the parts it was built from (rhyme and onset without tone).
struct SyllableParts {
  std::string text;   ///< NFC, lower-case, old-style tone placement (hòa, thủy, khỏe, quý)
  std::string onset;  ///< "" or b c ch ... qu ... x
  std::string rhyme;  ///< the rhyme without tone as written after the onset (oa, yên, ương), except
                      ///< that gi + i keeps its i (onset gi, rhyme in, text gin)
  Tone tone = Tone::kLevel;
  bool stop_coda = false;  ///< ends in p t c ch, so only acute and dot tones are allowed
};

/// Every syllable of the inventory with its parts, sorted by text, no duplicates.
const std::vector<SyllableParts>& vietnamese_syllable_parts();

/// Texts of `vietnamese_syllable_parts()`: NFC, lower-case, old-style tone placement.
std::vector<std::string> vietnamese_syllables();

/// Writes `onset` + `rhyme` with `tone` on the vowel the old style puts it (NFC, lower-case).
/// Also used to build ill-formed syllables (a stop coda with a grave tone) for negative tests.
std::string spell_syllable(std::string_view onset, std::string_view rhyme, Tone tone);

/// New-style spelling of an old-style syllable: the tone of an open oa/oe/uy moves to the second
/// vowel (hòa -> hoà, thủy -> thuỷ, khỏe -> khoẻ). Other syllables are returned unchanged (NFC).
std::string new_style(std::string_view syllable);

/// ICU normalization and case helpers (root locale, so never Turkish dotless i).
std::string to_nfc(std::string_view utf8);
std::string to_nfd(std::string_view utf8);
std::string to_upper(std::string_view utf8);
std::string to_title(std::string_view utf8);  ///< first letter upper, rest lower
std::string to_lower(std::string_view utf8);

/// ICU's `Latin-ASCII; Lower` transliteration: the reference for `to_folded`.
std::string icu_ascii_fold(std::string_view utf8);

/// Strict UTF-8 validity check written here, so tests do not trust the code under test for it.
bool valid_utf8(std::string_view bytes);

/// True when `offset` is 0, the size, or a byte that starts a UTF-8 sequence.
bool on_utf8_boundary(std::string_view text, std::size_t offset);
