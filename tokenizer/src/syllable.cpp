#include "syllable.h"

#include <algorithm>
#include <array>

#include "letters.h"

namespace vnsearch::detail {
namespace {

// Onsets longest first, so the first match is the longest. `qu` and `gi` are written onsets:
// their u/i belong to the onset when a vowel follows (quý, giá), which is what decides where
// the tone goes.
constexpr std::array<std::string_view, 27> kOnsets = {
    "ngh",       "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d",
    "D" /* đ */, "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x"};

constexpr std::array<std::string_view, 9> kCodas = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};

// Vowel sequences a rhyme can be built on, as keys (A=ă B=â E=ê O=ô P=ơ U=ư). Semivowel finals
// (ai, ao, ...) are part of the sequence; "oo" is the loanword rhyme of xoong, boong.
constexpr std::array<std::string_view, 49> kNuclei = {
    "a",  "A",  "B",  "e",   "E",   "i",   "o",   "O",   "P",   "u",  "U",  "y",  "ai",
    "ao", "au", "ay", "Bu",  "By",  "eo",  "Eu",  "ia",  "iE",  "iu", "oa", "oA", "oe",
    "oi", "Oi", "Pi", "ua",  "uB",  "uE",  "ui",  "uO",  "uP",  "uy", "Ua", "Ui", "UP",
    "Uu", "yE", "oo", "iEu", "yEu", "oai", "oay", "oao", "oeo", "uOi"};
constexpr std::array<std::string_view, 6> kLongNuclei = {"uya", "uyE", "uyu", "uBy", "UPi", "UPu"};

bool is_nucleus(std::string_view vowels) {
  return std::find(kNuclei.begin(), kNuclei.end(), vowels) != kNuclei.end() ||
         std::find(kLongNuclei.begin(), kLongNuclei.end(), vowels) != kLongNuclei.end();
}

bool is_coda(std::string_view rest) {
  return std::find(kCodas.begin(), kCodas.end(), rest) != kCodas.end();
}

bool is_marked_vowel(char key) {
  return key == kKeyABreve || key == kKeyACircumflex || key == kKeyECircumflex ||
         key == kKeyOCircumflex || key == kKeyOHorn || key == kKeyUHorn;
}

// Tries one onset length; the nucleus is the maximal vowel run after it.
std::optional<SyllableParts> parse_with_onset(std::string_view keys, std::size_t onset_length) {
  std::size_t end = onset_length;
  while (end < keys.size() && is_vowel_key(keys[end])) ++end;
  if (end == onset_length) return std::nullopt;
  if (!is_nucleus(keys.substr(onset_length, end - onset_length))) return std::nullopt;
  if (!is_coda(keys.substr(end))) return std::nullopt;
  return SyllableParts{onset_length, end};
}

}  // namespace

std::optional<SyllableParts> parse_syllable(std::string_view keys) {
  if (keys.empty() || keys.size() > 8) return std::nullopt;
  for (std::string_view onset : kOnsets) {
    if (keys.substr(0, onset.size()) != onset) continue;
    if (auto parts = parse_with_onset(keys, onset.size())) return parts;
    // `gi` and `qu` fall back to `g`/`q`+vowel (gìn, gịt); plain `q` never stands alone.
    if (onset == "gi") return parse_with_onset(keys, 1);
    return std::nullopt;
  }
  return parse_with_onset(keys, 0);
}

std::size_t canonical_tone_index(std::string_view keys, const SyllableParts& parts) {
  const std::size_t begin = parts.nucleus_begin;
  const std::size_t length = parts.nucleus_end - begin;
  if (length == 1) return begin;
  // A vowel with its own mark takes the tone; in ươ the second one (ơ).
  for (std::size_t i = parts.nucleus_end; i-- > begin;) {
    if (is_marked_vowel(keys[i])) return i;
  }
  // A final consonant pulls the tone to the last vowel (hoàn, huỳnh).
  if (parts.nucleus_end < keys.size()) return parts.nucleus_end - 1;
  // Open syllables: first of two vowels (hòa, thủy, mía), middle of three (ngoáy, khuỷu).
  return length == 2 ? begin : begin + 1;
}

}  // namespace vnsearch::detail
