#include "syllable.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

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

bool is_front_vowel(char key) {
  return key == 'i' || key == 'e' || key == kKeyECircumflex;
}

// Vietnamese spelling: k, gh, ngh before front vowels (i e ê, and y for k); c, g, ng elsewhere;
// `qu` never before u, ư or o.
bool onset_fits_nucleus(std::string_view onset, char first_vowel) {
  const bool front = is_front_vowel(first_vowel);
  if (onset == "k") return front || first_vowel == 'y';
  if (onset == "c") return !front && first_vowel != 'y';
  if (onset == "gh" || onset == "ngh") return front;
  if (onset == "g") return first_vowel != 'e' && first_vowel != kKeyECircumflex;
  if (onset == "ng") return !front;
  if (onset == "qu") return first_vowel != 'u' && first_vowel != kKeyUHorn && first_vowel != 'o';
  return true;
}

// Tries one onset length; the nucleus is the maximal vowel run after it.
std::optional<SyllableParts> parse_with_onset(std::string_view keys, std::size_t onset_length) {
  std::size_t end = onset_length;
  while (end < keys.size() && is_vowel_key(keys[end])) ++end;
  if (end == onset_length) return std::nullopt;
  const std::string_view nucleus = keys.substr(onset_length, end - onset_length);
  const std::string_view coda = keys.substr(end);
  if (!is_nucleus(nucleus) || !is_coda(coda)) return std::nullopt;
  if (!onset_fits_nucleus(keys.substr(0, onset_length), nucleus[0])) return std::nullopt;
  if (nucleus == "oo" && coda != "ng" && coda != "c") return std::nullopt;  // xoong, moóc
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
    if (is_marked_vowel_key(keys[i])) return i;
  }
  // A final consonant pulls the tone to the last vowel (hoàn, huỳnh).
  if (parts.nucleus_end < keys.size()) return parts.nucleus_end - 1;
  // Open syllables: first of two vowels (hòa, thủy, mía), middle of three (ngoáy, khuỷu).
  return length == 2 ? begin : begin + 1;
}

namespace {

std::uint64_t pack(std::string_view keys) {
  std::uint64_t packed = 0;
  for (char key : keys) packed = (packed << 8) | static_cast<unsigned char>(key);
  return packed;
}

// Open-addressing table from packed keys (at most 8 bytes in a uint64, never 0) to the tone
// slot. About 14,000 combinations in 32,768 slots keeps probes short.
class SyllableTable {
 public:
  SyllableTable() {
    std::vector<std::string_view> onsets(kOnsets.begin(), kOnsets.end());
    onsets.push_back("");
    std::vector<std::string_view> nuclei(kNuclei.begin(), kNuclei.end());
    nuclei.insert(nuclei.end(), kLongNuclei.begin(), kLongNuclei.end());
    std::string keys;
    for (std::string_view onset : onsets) {
      for (std::string_view nucleus : nuclei) {
        for (std::string_view coda : kCodas) {
          keys.assign(onset).append(nucleus).append(coda);
          // The reference parser decides, so table and parser can never disagree.
          if (const auto parts = parse_syllable(keys)) {
            insert(pack(keys), static_cast<std::int8_t>(canonical_tone_index(keys, *parts)));
          }
        }
      }
    }
  }

  int find(std::string_view keys) const {
    if (keys.empty() || keys.size() > 8) return -1;
    const std::uint64_t packed = pack(keys);
    for (std::size_t slot = hash(packed);; slot = (slot + 1) & kMask) {
      if (keys_[slot] == packed) return slots_[slot];
      if (keys_[slot] == 0) return -1;
    }
  }

 private:
  static constexpr std::size_t kSize = 1 << 15;
  static constexpr std::size_t kMask = kSize - 1;

  static std::size_t hash(std::uint64_t packed) {
    return static_cast<std::size_t>((packed * 0x9E3779B97F4A7C15ULL) >> 49) & kMask;
  }

  void insert(std::uint64_t packed, std::int8_t tone_slot) {
    std::size_t slot = hash(packed);
    while (keys_[slot] != 0 && keys_[slot] != packed) slot = (slot + 1) & kMask;
    keys_[slot] = packed;
    slots_[slot] = tone_slot;
  }

  std::vector<std::uint64_t> keys_ = std::vector<std::uint64_t>(kSize, 0);
  std::vector<std::int8_t> slots_ = std::vector<std::int8_t>(kSize, -1);
};

}  // namespace

int syllable_tone_slot(std::string_view keys) {
  static const SyllableTable table;
  return table.find(keys);
}

}  // namespace vnsearch::detail
