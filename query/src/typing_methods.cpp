// Telex and VNI keystrokes left in a query when the input method was off: `vieetj`, `vie65t`.
// Both spell a syllable as base letters, letter modifiers (circumflex, breve, horn, stroke) and
// one tone key; we rebuild the letters, put the tone mark after the last vowel and let
// `to_exact` move it to its canonical place.
#include <optional>
#include <string>
#include <vector>

#include "correction.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::query {
namespace {

struct Letter {
  char base = 0;
  char modifier = 0;  // '^' circumflex, '(' breve, '+' horn, 'd' stroke (đ), 0 none
};

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Tones in key order: sắc, huyền, hỏi, ngã, nặng, as combining marks.
constexpr const char* kToneMarks[] = {"\xCC\x81", "\xCC\x80", "\xCC\x89", "\xCC\x83", "\xCC\xA3"};

std::string render(const Letter& letter) {
  switch (letter.modifier) {
    case '^':
      return letter.base == 'a' ? "\xC3\xA2" : letter.base == 'e' ? "\xC3\xAA" : "\xC3\xB4";
    case '(':
      return "\xC4\x83";
    case '+':
      return letter.base == 'o' ? "\xC6\xA1" : "\xC6\xB0";
    case 'd':
      return "\xC4\x91";
    default:
      return std::string(1, letter.base);
  }
}

// Index of the last unmodified letter in `letters` among `bases`, searching back over the final
// consonants (Telex and VNI both allow a modifier key after the final: `duongw`, `duong7`).
int last_vowel_among(const std::vector<Letter>& letters, std::string_view bases) {
  for (int i = static_cast<int>(letters.size()) - 1; i >= 0; --i) {
    if (!is_vowel(letters[i].base)) continue;
    if (letters[i].modifier == 0 && bases.find(letters[i].base) != std::string_view::npos) {
      return i;
    }
  }
  return -1;
}

// A horn on `o` also goes on a `u` right before it: `uow`, `uo7` → ươ.
void add_horn(std::vector<Letter>& letters, int at) {
  letters[at].modifier = '+';
  if (letters[at].base == 'o' && at > 0 && letters[at - 1].base == 'u' &&
      letters[at - 1].modifier == 0) {
    letters[at - 1].modifier = '+';
  }
}

bool has_vowel(const std::vector<Letter>& letters) {
  for (const Letter& letter : letters) {
    if (is_vowel(letter.base)) return true;
  }
  return false;
}

std::optional<std::string> assemble(const std::vector<Letter>& letters, int tone) {
  if (!has_vowel(letters)) return std::nullopt;
  int last_vowel = -1;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (is_vowel(letters[i].base)) last_vowel = static_cast<int>(i);
  }
  std::string text;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    text += render(letters[i]);
    if (tone > 0 && static_cast<int>(i) == last_vowel) text += kToneMarks[tone - 1];
  }
  return to_exact(text);
}

char lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::optional<std::string> telex_to_syllable(std::string_view word) {
  std::vector<Letter> letters;
  int tone = 0;
  bool keyed = false;
  for (char raw : word) {
    const char c = lower_ascii(raw);
    if (c < 'a' || c > 'z') return std::nullopt;
    const std::size_t tone_key = std::string_view("sfrxj").find(c);
    if (tone_key != std::string_view::npos && has_vowel(letters)) {
      // No Vietnamese final is s, f, r, x or j: after a vowel they can only be tone keys.
      if (tone != 0) return std::nullopt;
      tone = static_cast<int>(tone_key) + 1;
      keyed = true;
    } else if (c == 'd' && letters.size() == 1 && letters[0].base == 'd' &&
               letters[0].modifier == 0) {
      letters[0].modifier = 'd';
      keyed = true;
    } else if ((c == 'a' || c == 'e' || c == 'o') && !letters.empty() && letters.back().base == c &&
               letters.back().modifier == 0) {
      letters.back().modifier = '^';
      keyed = true;
    } else if (c == 'w') {
      const int at = last_vowel_among(letters, "aou");
      if (at >= 0 && letters[at].base == 'a') {
        letters[at].modifier = '(';
      } else if (at >= 0) {
        add_horn(letters, at);
      } else if (!has_vowel(letters)) {
        letters.push_back({'u', '+'});  // a lone w types ư
      } else {
        return std::nullopt;
      }
      keyed = true;
    } else {
      letters.push_back({c, 0});
    }
  }
  if (!keyed) return std::nullopt;
  return assemble(letters, tone);
}

std::optional<std::string> vni_to_syllable(std::string_view word) {
  std::vector<Letter> letters;
  int tone = 0;
  bool keyed = false;
  for (char raw : word) {
    const char c = lower_ascii(raw);
    if (c >= '1' && c <= '5') {
      if (tone != 0 || !has_vowel(letters)) return std::nullopt;
      tone = c - '0';
    } else if (c == '6') {
      const int at = last_vowel_among(letters, "aeo");
      if (at < 0) return std::nullopt;
      letters[at].modifier = '^';
    } else if (c == '7') {
      const int at = last_vowel_among(letters, "ou");
      if (at < 0) return std::nullopt;
      add_horn(letters, at);
    } else if (c == '8') {
      const int at = last_vowel_among(letters, "a");
      if (at < 0) return std::nullopt;
      letters[at].modifier = '(';
    } else if (c == '9') {
      if (letters.empty() || letters[0].base != 'd' || letters[0].modifier != 0) {
        return std::nullopt;
      }
      letters[0].modifier = 'd';
    } else if (c >= 'a' && c <= 'z') {
      letters.push_back({c, 0});
      continue;
    } else {
      return std::nullopt;
    }
    keyed = true;
  }
  if (!keyed || letters.size() < 2) return std::nullopt;
  return assemble(letters, tone);
}

}  // namespace vnsearch::query
