#include "letters.h"

#include <array>
#include <string>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace vnsearch::detail {
namespace {

// Precomposed Vietnamese letters all lie below U+1F00 (Latin-1, Latin Extended-A/B and
// Latin Extended Additional), so a flat array indexed by code point is both small and fast.
constexpr UChar32 kTableLimit = 0x1F00;

struct VowelSpec {
  char key;
  const char* nfc;  // the lower-case letter without tone, as UTF-8
  char folded;
};
constexpr std::array<VowelSpec, 12> kVowels = {{
    {'a', "a", 'a'},
    {kKeyABreve, "ă", 'a'},
    {kKeyACircumflex, "â", 'a'},
    {'e', "e", 'e'},
    {kKeyECircumflex, "ê", 'e'},
    {'i', "i", 'i'},
    {'o', "o", 'o'},
    {kKeyOCircumflex, "ô", 'o'},
    {kKeyOHorn, "ơ", 'o'},
    {'u', "u", 'u'},
    {kKeyUHorn, "ư", 'u'},
    {'y', "y", 'y'},
}};
constexpr std::array<UChar, kToneCount> kToneMarks = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

struct Tables {
  std::array<LetterInfo, kTableLimit> info{};
  std::array<std::array<std::string, kToneCount>, 128> composed{};
  std::array<char, 128> folded{};

  Tables() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    for (char c = 'a'; c <= 'z'; ++c) {
      info[static_cast<unsigned char>(c)] = {c, kLevel, false};
      info[static_cast<unsigned char>(c - 'a' + 'A')] = {c, kLevel, true};
      composed[static_cast<unsigned char>(c)][kLevel] = std::string(1, c);
      folded[static_cast<unsigned char>(c)] = c;
    }
    for (char c = '0'; c <= '9'; ++c) {
      info[static_cast<unsigned char>(c)] = {c, kLevel, false};
      composed[static_cast<unsigned char>(c)][kLevel] = std::string(1, c);
      folded[static_cast<unsigned char>(c)] = c;
    }
    // Build every toned vowel by composing base + tone mark with ICU, so the table is correct
    // by construction rather than typed in by hand.
    for (const VowelSpec& vowel : kVowels) {
      folded[static_cast<unsigned char>(vowel.key)] = vowel.folded;
      for (int tone = 0; tone < kToneCount; ++tone) {
        icu::UnicodeString text = icu::UnicodeString::fromUTF8(vowel.nfc);
        if (tone != kLevel) text.append(kToneMarks[tone]);
        icu::UnicodeString composed_text = nfc->normalize(text, status);
        UChar32 lower = composed_text.char32At(0);
        add(lower, vowel.key, static_cast<std::uint8_t>(tone));
        std::string utf8;
        composed_text.toUTF8String(utf8);
        composed[static_cast<unsigned char>(vowel.key)][tone] = utf8;
      }
    }
    add(0x0111, kKeyDStroke, kLevel);  // đ
    // U+00D0/U+00F0 (eth) is what Windows-1258 byte 0xD0 becomes when misread as Latin-1;
    // in Vietnamese text it always means Đ.
    add(0x00F0, kKeyDStroke, kLevel);
    composed[static_cast<unsigned char>(kKeyDStroke)][kLevel] = "đ";
    folded[static_cast<unsigned char>(kKeyDStroke)] = 'd';
  }

  void add(UChar32 lower, char key, std::uint8_t tone) {
    info[lower] = {key, tone, false};
    UChar32 upper = u_toupper(lower);
    if (upper != lower && upper < kTableLimit) info[upper] = {key, tone, true};
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

}  // namespace

LetterInfo letter_info(UChar32 c) {
  if (c < 0 || c >= kTableLimit) return {};
  return tables().info[c];
}

bool is_vowel_key(char key) {
  switch (key) {
    case 'a':
    case kKeyABreve:
    case kKeyACircumflex:
    case 'e':
    case kKeyECircumflex:
    case 'i':
    case 'o':
    case kKeyOCircumflex:
    case kKeyOHorn:
    case 'u':
    case kKeyUHorn:
    case 'y':
      return true;
    default:
      return false;
  }
}

std::string_view compose_letter(char key, std::uint8_t tone) {
  const auto& row = tables().composed[static_cast<unsigned char>(key) & 0x7F];
  if (tone < kToneCount && !row[tone].empty()) return row[tone];
  return row[kLevel];
}

char fold_key(char key) {
  return tables().folded[static_cast<unsigned char>(key) & 0x7F];
}

std::uint8_t combining_tone(UChar32 c) {
  switch (c) {
    case 0x0300:
    case 0x0340:
      return kGrave;
    case 0x0301:
    case 0x0341:
      return kAcute;
    case 0x0309:
      return kHook;
    case 0x0303:
      return kTilde;
    case 0x0323:
      return kDot;
    default:
      return kLevel;
  }
}

char apply_combining_vowel_mark(char base_key, UChar32 mark) {
  switch (mark) {
    case 0x0306:  // breve
      return base_key == 'a' ? kKeyABreve : 0;
    case 0x0302:  // circumflex
      if (base_key == 'a') return kKeyACircumflex;
      if (base_key == 'e') return kKeyECircumflex;
      if (base_key == 'o') return kKeyOCircumflex;
      return 0;
    case 0x031B:  // horn
      if (base_key == 'o') return kKeyOHorn;
      if (base_key == 'u') return kKeyUHorn;
      return 0;
    default:
      return 0;
  }
}

}  // namespace vnsearch::detail
