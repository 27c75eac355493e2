#include "letters.h"

#include <array>
#include <memory>
#include <string>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace vnsearch::detail {
namespace {

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

void set_composed(ComposedLetter& slot, const std::string& utf8) {
  slot.size = static_cast<std::uint8_t>(utf8.size());
  for (std::size_t i = 0; i < utf8.size() && i < sizeof slot.bytes; ++i) slot.bytes[i] = utf8[i];
}

void add(LetterTables& tables, UChar32 lower, char key, std::uint8_t tone) {
  tables.info[lower] = {key, tone, false};
  UChar32 upper = u_toupper(lower);
  if (upper != lower && upper < kLetterTableLimit) tables.info[upper] = {key, tone, true};
}

std::unique_ptr<LetterTables> build_tables() {
  auto tables = std::make_unique<LetterTables>();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  for (char c = 'a'; c <= 'z'; ++c) {
    tables->info[static_cast<unsigned char>(c)] = {c, kLevel, false};
    tables->info[static_cast<unsigned char>(c - 'a' + 'A')] = {c, kLevel, true};
  }
  for (char c = '0'; c <= '9'; ++c)
    tables->info[static_cast<unsigned char>(c)] = {c, kLevel, false};
  for (int c = 0; c < 128; ++c) {
    set_composed(tables->composed[c][kLevel], std::string(1, static_cast<char>(c)));
    tables->folded[c] = static_cast<char>(c);
  }
  // Build every toned vowel by composing base + tone mark with ICU, so the table is correct
  // by construction rather than typed in by hand.
  for (const VowelSpec& vowel : kVowels) {
    tables->folded[static_cast<unsigned char>(vowel.key)] = vowel.folded;
    for (int tone = 0; tone < kToneCount; ++tone) {
      icu::UnicodeString text = icu::UnicodeString::fromUTF8(vowel.nfc);
      if (tone != kLevel) text.append(kToneMarks[tone]);
      icu::UnicodeString composed_text = nfc->normalize(text, status);
      add(*tables, composed_text.char32At(0), vowel.key, static_cast<std::uint8_t>(tone));
      std::string utf8;
      composed_text.toUTF8String(utf8);
      set_composed(tables->composed[static_cast<unsigned char>(vowel.key)][tone], utf8);
    }
  }
  add(*tables, 0x0111, kKeyDStroke, kLevel);  // đ
  // U+00D0/U+00F0 (eth) is what Windows-1258 byte 0xD0 becomes when misread as Latin-1;
  // in Vietnamese text it always means Đ.
  add(*tables, 0x00F0, kKeyDStroke, kLevel);
  set_composed(tables->composed[static_cast<unsigned char>(kKeyDStroke)][kLevel], "đ");
  tables->folded[static_cast<unsigned char>(kKeyDStroke)] = 'd';
  for (int key = 0; key < 128; ++key) {
    for (int tone = 0; tone < kToneCount; ++tone) {
      if (tables->composed[key][tone].size == 0) {
        tables->composed[key][tone] = tables->composed[key][kLevel];
      }
    }
    const char k = static_cast<char>(key);
    tables->vowel_kind[key] = is_marked_vowel_key(k) ? 2 : is_vowel_key(k) ? 1 : 0;
  }
  return tables;
}

}  // namespace

const LetterTables& letter_tables() {
  static const std::unique_ptr<LetterTables> tables = build_tables();
  return *tables;
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
