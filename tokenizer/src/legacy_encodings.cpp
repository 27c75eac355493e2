// Legacy Vietnamese encodings: table-driven decoding and encoding of the single-byte ones, the
// VIQR notation, and detection. Tables are in legacy_tables.cpp.
//
// Decoding turns each source byte (or VIQR unit) into code points tagged with the offset of the
// byte that produced them, then NFC-composes them cluster by cluster, so a letter written as
// several bytes (`e` + mark) becomes one precomposed letter mapped to the offset of its first byte.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "legacy_tables.h"
#include "vnsearch/encoding.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch {
namespace {

using legacy::ByteMapping;
using legacy::ByteTable;

/// A decoded code point and the offset of the first source byte it came from.
struct Unit {
  UChar32 cp;
  std::size_t offset;
};

// Below U+0300 no code point changes under NFC, so lone ones skip ICU entirely.
constexpr UChar32 kFirstNfcUnstable = 0x300;
constexpr UChar32 kReplacement = 0xFFFD;

const icu::Normalizer2* nfc() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

const icu::Normalizer2* nfd() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

// Calls visit(cp, offset) for each code point of `s`; an ill-formed sequence gives cp < 0.
// Stops when visit returns false. U8_NEXT indexes with int32_t, hence the windows.
template <typename Visit>
void visit_utf8(std::string_view s, Visit visit) {
  constexpr std::size_t kWindow = std::size_t{1} << 30;
  std::size_t base = 0;
  while (base < s.size()) {
    const std::size_t remaining = s.size() - base;
    const auto length = static_cast<int32_t>(std::min(remaining, kWindow));
    const auto* p = reinterpret_cast<const uint8_t*>(s.data() + base);
    int32_t i = 0;
    while (i < length) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(p, i, length, c);
      // A sequence cut by the window's end is read again at the start of the next window.
      if (c < 0 && remaining > kWindow && length - start < 4) {
        i = start;
        break;
      }
      if (!visit(c, base + static_cast<std::size_t>(start))) return;
    }
    base += static_cast<std::size_t>(i);
  }
}

void append_utf8(DecodedText& d, UChar32 cp, std::size_t offset) {
  uint8_t buf[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buf, length, cp);
  d.utf8.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(length));
  d.source_offset.insert(d.source_offset.end(), static_cast<std::size_t>(length), offset);
}

// NFC-composes `units` into UTF-8. Normalization never crosses a point where
// hasBoundaryBefore() holds, so each cluster between two such points is normalized on its own;
// a cluster that changes maps all its output to its first unit's offset.
DecodedText finish(const std::vector<Unit>& units, std::size_t input_size, Encoding encoding,
                   std::size_t unmappable) {
  DecodedText d;
  d.encoding = encoding;
  d.unmappable = unmappable;
  d.utf8.reserve(units.size());
  d.source_offset.reserve(units.size() + 1);
  const icu::Normalizer2* n = nfc();
  std::size_t i = 0;
  while (i < units.size()) {
    std::size_t j = i + 1;
    if (n != nullptr) {
      while (j < units.size() && !n->hasBoundaryBefore(units[j].cp)) ++j;
    }
    bool changed = false;
    icu::UnicodeString normalized;
    if (n != nullptr && !(j == i + 1 && units[i].cp < kFirstNfcUnstable)) {
      icu::UnicodeString cluster;
      for (std::size_t k = i; k < j; ++k) cluster.append(units[k].cp);
      UErrorCode status = U_ZERO_ERROR;
      normalized = n->normalize(cluster, status);
      changed = U_SUCCESS(status) && normalized != cluster;
    }
    if (changed) {
      for (int32_t k = 0; k < normalized.length(); k += U16_LENGTH(normalized.char32At(k))) {
        append_utf8(d, normalized.char32At(k), units[i].offset);
      }
    } else {
      for (std::size_t k = i; k < j; ++k) append_utf8(d, units[k].cp, units[k].offset);
    }
    i = j;
  }
  d.source_offset.push_back(input_size);
  return d;
}

DecodedText decode_with_table(std::string_view bytes, const ByteTable& table, Encoding encoding) {
  std::vector<Unit> units;
  units.reserve(bytes.size());
  std::size_t unmappable = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const ByteMapping& m = table[static_cast<unsigned char>(bytes[i])];
    if (m.length == 0) {
      units.push_back({kReplacement, i});
      ++unmappable;
    }
    for (std::size_t k = 0; k < m.length; ++k) units.push_back({static_cast<UChar32>(m.cp[k]), i});
  }
  return finish(units, bytes.size(), encoding, unmappable);
}

DecodedText decode_utf8(std::string_view bytes) {
  std::vector<Unit> units;
  units.reserve(bytes.size());
  std::size_t invalid = 0;
  visit_utf8(bytes, [&](UChar32 c, std::size_t offset) {
    if (c < 0) ++invalid;
    units.push_back({c < 0 ? kReplacement : c, offset});
    return true;
  });
  return finish(units, bytes.size(), Encoding::kUtf8, invalid);
}

// ---- Vietnamese decomposition, shared by the table encoders and VIQR ----

bool is_tone_mark(char32_t c) {
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

// NFD of one code point with tone marks moved last. NFD orders dot below (class 220) before
// circumflex and breve (230), but every legacy encoding writes the vowel mark first
// (Windows-1258 `ặ` = `ă` + dot), so tables and input are compared in this order.
std::u32string vn_decompose(UChar32 cp) {
  std::u32string out;
  icu::UnicodeString d;
  if (nfd() != nullptr && nfd()->getDecomposition(cp, d)) {
    for (int32_t k = 0; k < d.length(); k += U16_LENGTH(d.char32At(k))) {
      out.push_back(static_cast<char32_t>(d.char32At(k)));
    }
  } else {
    out.push_back(static_cast<char32_t>(cp));
  }
  std::stable_partition(out.begin(), out.end(), [](char32_t c) { return !is_tone_mark(c); });
  return out;
}

// ---- table-driven encoding ----

// Byte sequences for decomposed keys. VNI's mark bytes differ after capitals, hence two maps.
struct ReverseTable {
  std::unordered_map<std::u32string, unsigned char> lower;
  std::unordered_map<std::u32string, unsigned char> upper;
  std::size_t longest_key = 1;
};

ReverseTable build_reverse(const ByteTable& table) {
  ReverseTable r;
  for (int b = 0; b < 256; ++b) {
    const ByteMapping& m = table[b];
    if (m.length == 0 || (m.flags & legacy::kDecodeOnly) != 0) continue;
    std::u32string key;
    for (std::size_t k = 0; k < m.length; ++k) key += vn_decompose(static_cast<UChar32>(m.cp[k]));
    std::stable_partition(key.begin(), key.end(), [](char32_t c) { return !is_tone_mark(c); });
    r.longest_key = std::max(r.longest_key, key.size());
    const auto byte = static_cast<unsigned char>(b);
    // emplace keeps the lowest byte when two bytes mean the same thing.
    if ((m.flags & legacy::kUpperMark) == 0) r.lower.emplace(key, byte);
    if ((m.flags & legacy::kLowerMark) == 0) r.upper.emplace(key, byte);
  }
  return r;
}

const ReverseTable& reverse_table(Encoding encoding) {
  static const ReverseTable windows1258 = build_reverse(legacy::windows1258_table());
  static const ReverseTable tcvn3 = build_reverse(legacy::tcvn3_table());
  static const ReverseTable vni = build_reverse(legacy::vni_table());
  static const ReverseTable viscii = build_reverse(legacy::viscii_table());
  switch (encoding) {
    case Encoding::kTcvn3:
      return tcvn3;
    case Encoding::kVni:
      return vni;
    case Encoding::kViscii:
      return viscii;
    default:
      return windows1258;
  }
}

// Appends the bytes of `cp` (longest table keys first) or returns false if it has none.
bool encode_with_table(UChar32 cp, const ReverseTable& r, std::string& out) {
  const std::u32string d = vn_decompose(cp);
  const auto& map = u_isupper(static_cast<UChar32>(d[0])) ? r.upper : r.lower;
  std::string bytes;
  std::size_t pos = 0;
  while (pos < d.size()) {
    std::size_t length = std::min(r.longest_key, d.size() - pos);
    for (; length > 0; --length) {
      const auto it = map.find(d.substr(pos, length));
      if (it != map.end()) {
        bytes.push_back(static_cast<char>(it->second));
        break;
      }
    }
    if (length == 0) return false;
    pos += length;
  }
  out += bytes;
  return true;
}

class TableEncoder {
 public:
  explicit TableEncoder(const ReverseTable& r) : reverse_(r) {}

  // A capital the encoding lacks is written in lower case rather than as '?': TCVN3 (ABC) has
  // no toned capitals (`Ệ`), and a search index case-folds anyway, so `ệ` keeps the word.
  void put(UChar32 cp, std::string& out) const {
    if (encode_with_table(cp, reverse_, out)) return;
    const UChar32 lower = u_tolower(cp);
    if (lower != cp && encode_with_table(lower, reverse_, out)) return;
    out.push_back('?');
  }

 private:
  const ReverseTable& reverse_;
};

// ---- VIQR (RFC 1456) ----
//
// Rules, decoding:
// - A vowel (a e i o u y, either case) may be followed by a vowel mark that fits it (`a(` ă,
//   `a^ e^ o^` â ê ô, `o+ u+` ơ ư) and then by a tone: ' acute, ` grave, ? hook, ~ tilde,
//   . dot below.
// - `'` `` ` `` `~` after a vowel are always tones. `?` and `.` are also sentence punctuation,
//   so after a vowel they are tones only when the text shows the sentence goes on: a letter
//   follows (`Vie^.t`), an escape follows (`me.\.` = `mẹ.`), another , ; : ! ? or a single .
//   follows (`me.,` = `mẹ,`), or spaces and then a lower-case letter or digit (`ca? nha`). Before
//   an upper-case letter (`chao. Ban`), a line break, the end or anything else they are
//   punctuation, except that an ALL-CAPS word keeps its tone before another capital (`ME. CON`).
//   `...` is an ellipsis. So `khoe?` at the end of a text stays `khoe?`, and a syllable ending
//   in hook or dot at the very end of a text (`Con yeu me.`) reads as punctuation: write
//   `me.\.` to mean `mẹ.`.
// - `dd` `DD` `Dd` `dD` at the start of a word are đ/Đ (đ only begins syllables; `add` stays).
// - `\` followed by a mark character, `d`, `D` or `\` stands for that character literally.
// Encoding writes the inverse and escapes every mark character that follows a vowel, every
// `d` after a `d`, and every backslash, so decoding gives the text back except for a syllable
// toned with hook or dot that ends the text or is followed by a capital.

constexpr UChar32 kBreve = 0x0306, kCircumflex = 0x0302, kHorn = 0x031B;

bool is_ascii_letter(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_ascii_upper(unsigned char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_ascii_lower(unsigned char c) {
  return c >= 'a' && c <= 'z';
}
bool is_ascii_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_d(unsigned char c) {
  return c == 'd' || c == 'D';
}

bool is_viqr_vowel(UChar32 c) {
  switch (c | 0x20) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
      return c < 0x80;
    default:
      return false;
  }
}

UChar32 viqr_vowel_mark(unsigned char vowel, unsigned char mark) {
  const int v = vowel | 0x20;
  switch (mark) {
    case '(':
      return v == 'a' ? kBreve : 0;
    case '^':
      return v == 'a' || v == 'e' || v == 'o' ? kCircumflex : 0;
    case '+':
      return v == 'o' || v == 'u' ? kHorn : 0;
    default:
      return 0;
  }
}

// The VIQR character of a combining mark, or 0.
char viqr_char_of_mark(char32_t mark) {
  switch (mark) {
    case kBreve:
      return '(';
    case kCircumflex:
      return '^';
    case kHorn:
      return '+';
    case 0x0301:
      return '\'';
    case 0x0300:
      return '`';
    case 0x0309:
      return '?';
    case 0x0303:
      return '~';
    case 0x0323:
      return '.';
    default:
      return 0;
  }
}

UChar32 viqr_tone(unsigned char c) {
  switch (c) {
    case '\'':
      return 0x0301;
    case '`':
      return 0x0300;
    case '?':
      return 0x0309;
    case '~':
      return 0x0303;
    case '.':
      return 0x0323;
    default:
      return 0;
  }
}

bool is_viqr_mark_char(unsigned char c) {
  return c == '(' || c == '^' || c == '+' || viqr_tone(c) != 0;
}

bool is_viqr_escapable(unsigned char c) {
  return is_viqr_mark_char(c) || is_d(c) || c == '\\';
}

// True when the syllable holding the vowel at `vowel` is ALL CAPS with two letters or more.
bool is_all_caps_syllable(std::string_view s, std::size_t vowel, std::size_t end) {
  std::size_t start = vowel;
  while (start > 0 && (is_ascii_letter(s[start - 1]) || is_viqr_mark_char(s[start - 1]))) --start;
  std::size_t letters = 0;
  for (std::size_t k = start; k < end; ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    if (is_ascii_lower(c)) return false;
    if (is_ascii_upper(c)) ++letters;
  }
  return letters >= 2;
}

// Whether `?` or `.` at `pos`, right after the vowel at `vowel` (and its vowel mark), is a
// tone; see the rules above.
bool viqr_ambiguous_mark_is_tone(std::string_view s, std::size_t pos, std::size_t vowel) {
  if (pos + 1 >= s.size()) return false;
  const auto next = static_cast<unsigned char>(s[pos + 1]);
  if (is_ascii_letter(next) || next == '\\') return true;
  switch (next) {
    case '.':
      return pos + 2 >= s.size() || s[pos + 2] != '.';
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
      return true;
    case ' ':
    case '\t': {
      std::size_t k = pos + 1;
      while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
      if (k == s.size()) return false;
      const auto after = static_cast<unsigned char>(s[k]);
      if (is_ascii_lower(after) || is_ascii_digit(after)) return true;
      return is_ascii_upper(after) && is_all_caps_syllable(s, vowel, pos);
    }
    default:
      return false;
  }
}

DecodedText decode_viqr(std::string_view s) {
  std::vector<Unit> units;
  units.reserve(s.size());
  std::size_t unmappable = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool has_next = i + 1 < s.size();
    const auto next = has_next ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c >= 0x80) {  // VIQR is 7-bit
      units.push_back({kReplacement, i++});
      ++unmappable;
    } else if (c == '\\' && has_next && is_viqr_escapable(next)) {
      units.push_back({next, i});
      i += 2;
    } else if (is_d(c) && has_next && is_d(next) &&
               (i == 0 || !is_ascii_letter(static_cast<unsigned char>(s[i - 1])))) {
      units.push_back({c == 'd' ? 0x0111 : 0x0110, i});
      i += 2;
    } else {
      units.push_back({c, i});
      std::size_t j = i + 1;
      if (is_viqr_vowel(c)) {
        if (j < s.size()) {
          if (const UChar32 mark = viqr_vowel_mark(c, static_cast<unsigned char>(s[j]))) {
            units.push_back({mark, i});
            ++j;
          }
        }
        if (j < s.size()) {
          const auto t = static_cast<unsigned char>(s[j]);
          const UChar32 tone = viqr_tone(t);
          if (tone != 0 && ((t != '.' && t != '?') || viqr_ambiguous_mark_is_tone(s, j, i))) {
            units.push_back({tone, i});
            ++j;
          }
        }
      }
      i = j;
    }
  }
  return finish(units, s.size(), Encoding::kViqr, unmappable);
}

class ViqrEncoder {
 public:
  void put(UChar32 cp, std::string& out) {
    const UChar32 prev = std::exchange(prev_, cp);
    if (cp == 0x0111 || cp == 0x0110) {
      out += cp == 0x0111 ? "dd" : "DD";
      return;
    }
    if (cp < 0x80) {
      const auto c = static_cast<unsigned char>(cp);
      const bool prev_is_vowel = is_viqr_vowel(static_cast<UChar32>(vn_decompose(prev).front()));
      if (c == '\\' || (is_viqr_mark_char(c) && prev_is_vowel) ||
          (is_d(c) && prev < 0x80 && is_d(prev))) {
        out.push_back('\\');
      }
      out.push_back(static_cast<char>(c));
      return;
    }
    const std::u32string d = vn_decompose(cp);
    std::string letter(1, static_cast<char>(d[0]));
    bool ok = d[0] < 0x80 && is_viqr_vowel(static_cast<UChar32>(d[0])) && d.size() <= 3;
    for (std::size_t k = 1; ok && k < d.size(); ++k) {
      const char m = viqr_char_of_mark(d[k]);
      // A vowel mark must fit the vowel and come first; one tone at most, last.
      const bool vowel_mark = !is_tone_mark(d[k]);
      ok = m != 0 &&
           (vowel_mark ? k == 1 && viqr_vowel_mark(static_cast<unsigned char>(letter[0]), m) != 0
                       : k == d.size() - 1);
      letter.push_back(m);
    }
    out += ok ? letter : "?";
  }

 private:
  UChar32 prev_ = 0;
};

// Feeds the NFC form of `utf8` to `encoder` code point by code point, normalizing in
// bounded pieces cut where normalization cannot reach across.
template <typename Encoder>
std::string encode_all(std::string_view utf8, Encoder& encoder) {
  std::string out;
  out.reserve(utf8.size());
  const icu::Normalizer2* n = nfc();
  icu::UnicodeString pending;
  auto flush = [&] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString text = n != nullptr ? n->normalize(pending, status) : pending;
    const icu::UnicodeString& use = U_SUCCESS(status) ? text : pending;
    for (int32_t k = 0; k < use.length(); k += U16_LENGTH(use.char32At(k))) {
      encoder.put(use.char32At(k), out);
    }
    pending.remove();
  };
  constexpr int32_t kPiece = 4096;
  visit_utf8(utf8, [&](UChar32 c, std::size_t) {
    if (c < 0) c = kReplacement;
    if (pending.length() >= kPiece && (n == nullptr || n->hasBoundaryBefore(c))) flush();
    pending.append(c);
    return true;
  });
  flush();
  return out;
}

// ---- detection ----

bool is_letter_or_mark(UChar32 c) {
  return u_isalpha(c) || u_getCombiningClass(c) != 0;
}

// Locale-independent, unlike std::isspace.
bool is_ascii_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Number of whitespace-separated words that are Vietnamese syllables once leading and trailing
// punctuation is stripped.
std::size_t syllable_score(std::string_view text) {
  std::size_t score = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_ascii_space(text[i])) ++i;
    std::size_t end = i;
    while (end < text.size() && !is_ascii_space(text[end])) ++end;
    std::size_t first = std::string_view::npos;
    std::size_t last = 0;
    visit_utf8(text.substr(i, end - i), [&](UChar32 c, std::size_t offset) {
      if (c >= 0 && is_letter_or_mark(c)) {
        if (first == std::string_view::npos) first = offset;
        last = offset + static_cast<std::size_t>(U8_LENGTH(c));
      }
      return true;
    });
    if (first != std::string_view::npos &&
        is_vietnamese_syllable(text.substr(i + first, last - first))) {
      ++score;
    }
    i = end;
  }
  return score;
}

}  // namespace

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kAuto:
      return "auto";
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kWindows1258:
      return "windows-1258";
    case Encoding::kTcvn3:
      return "tcvn3";
    case Encoding::kVni:
      return "vni";
    case Encoding::kViscii:
      return "viscii";
    case Encoding::kViqr:
      return "viqr";
  }
  return "unknown";
}

std::optional<Encoding> parse_encoding_name(std::string_view name) {
  // Case and separators do not matter: "VNI_Windows", "tcvn-3", "Windows 1258".
  std::string key;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == ' ' || c == '.') continue;
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  static constexpr std::pair<std::string_view, Encoding> kNames[] = {
      {"auto", Encoding::kAuto},
      {"utf8", Encoding::kUtf8},
      {"windows1258", Encoding::kWindows1258},
      {"cp1258", Encoding::kWindows1258},
      {"win1258", Encoding::kWindows1258},
      {"tcvn3", Encoding::kTcvn3},
      {"tcvn", Encoding::kTcvn3},
      {"abc", Encoding::kTcvn3},
      {"tcvn5712", Encoding::kTcvn3},
      {"vn3", Encoding::kTcvn3},
      {"vni", Encoding::kVni},
      {"vniwin", Encoding::kVni},
      {"vniwindows", Encoding::kVni},
      {"viscii", Encoding::kViscii},
      {"viscii11", Encoding::kViscii},
      {"viqr", Encoding::kViqr},
  };
  for (const auto& [alias, encoding] : kNames) {
    if (key == alias) return encoding;
  }
  return std::nullopt;
}

DecodedText decode_legacy(std::string_view bytes, Encoding encoding) {
  switch (encoding) {
    case Encoding::kWindows1258:
      return decode_with_table(bytes, legacy::windows1258_table(), encoding);
    case Encoding::kTcvn3:
      return decode_with_table(bytes, legacy::tcvn3_table(), encoding);
    case Encoding::kVni:
      return decode_with_table(bytes, legacy::vni_table(), encoding);
    case Encoding::kViscii:
      return decode_with_table(bytes, legacy::viscii_table(), encoding);
    case Encoding::kViqr:
      return decode_viqr(bytes);
    case Encoding::kUtf8:
      return decode_utf8(bytes);
    case Encoding::kAuto:
      break;
  }
  // Not meant to be called with kAuto; do what the analyzer's kAuto means instead of failing.
  const Encoding detected = detect_encoding(bytes);
  return detected == Encoding::kUtf8 ? decode_utf8(bytes) : decode_legacy(bytes, detected);
}

std::string encode_legacy(std::string_view utf8, Encoding encoding) {
  switch (encoding) {
    case Encoding::kWindows1258:
    case Encoding::kTcvn3:
    case Encoding::kVni:
    case Encoding::kViscii: {
      TableEncoder encoder(reverse_table(encoding));
      return encode_all(utf8, encoder);
    }
    case Encoding::kViqr: {
      ViqrEncoder encoder;
      return encode_all(utf8, encoder);
    }
    case Encoding::kUtf8:
    case Encoding::kAuto:
      break;
  }
  return std::string(utf8);  // already UTF-8
}

namespace {

constexpr Encoding kDetectable[] = {Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni,
                                    Encoding::kViscii};

// The first 64 KiB tell as well as the whole file; cut at whitespace so no letter is split.
std::string_view detection_sample(std::string_view bytes) {
  constexpr std::size_t kSample = 64 * 1024;
  std::string_view sample = bytes.substr(0, kSample);
  if (bytes.size() > kSample) {
    const std::size_t cut = sample.find_last_of(" \t\r\n");
    if (cut != std::string_view::npos && cut > 0) sample = sample.substr(0, cut);
  }
  return sample;
}

// Syllables read from a sample of `bytes` under each of kDetectable, in that order.
std::array<std::size_t, std::size(kDetectable)> legacy_scores(std::string_view bytes) {
  const std::string_view sample = detection_sample(bytes);
  std::array<std::size_t, std::size(kDetectable)> scores{};
  for (std::size_t k = 0; k < scores.size(); ++k) {
    scores[k] = syllable_score(decode_legacy(sample, kDetectable[k]).utf8);
  }
  return scores;
}

// Index of the best score; the first (Windows-1258, the one encoding with a standard converter)
// wins ties.
std::size_t best_of(const std::array<std::size_t, std::size(kDetectable)>& scores) {
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

bool is_detectable(Encoding encoding) {
  return std::find(std::begin(kDetectable), std::end(kDetectable), encoding) !=
         std::end(kDetectable);
}

}  // namespace

Encoding detect_legacy_encoding(std::string_view bytes) {
  return kDetectable[best_of(legacy_scores(bytes))];
}

Utf8Census utf8_census(std::string_view bytes) {
  Utf8Census census;
  visit_utf8(bytes, [&](UChar32 c, std::size_t) {
    if (c < 0) {
      ++census.invalid;
    } else if (c >= 0x80) {
      ++census.non_ascii;
    }
    return true;
  });
  return census;
}

bool reads_as_utf8(const Utf8Census& census) {
  constexpr std::size_t kLegacyRatio = 4;
  return census.invalid <= kLegacyRatio * census.non_ascii;
}

Encoding detect_encoding(std::string_view bytes, Encoding declared) {
  const Utf8Census census = utf8_census(bytes);
  const bool utf8 = reads_as_utf8(census);
  if (is_detectable(declared)) {
    if (utf8 && census.non_ascii > 0) return Encoding::kUtf8;
    const auto scores = legacy_scores(bytes);
    const std::size_t best = best_of(scores);
    const std::size_t own = static_cast<std::size_t>(
        std::find(std::begin(kDetectable), std::end(kDetectable), declared) -
        std::begin(kDetectable));
    return scores[best] >= 2 * scores[own] && scores[best] > scores[own] ? kDetectable[best]
                                                                         : declared;
  }
  if (utf8) return Encoding::kUtf8;
  // Mostly ill-formed, yet a legacy reading must also give more Vietnamese than the damaged
  // UTF-8 does: `Vi\xC3(t Nam` or `{"id": "x"}\xFF` have too little text to call it legacy.
  const auto scores = legacy_scores(bytes);
  const std::size_t best = best_of(scores);
  return scores[best] > syllable_score(detection_sample(bytes)) ? kDetectable[best]
                                                                : Encoding::kUtf8;
}

bool is_valid_utf8(std::string_view bytes) {
  bool valid = true;
  visit_utf8(bytes, [&](UChar32 c, std::size_t) { return valid = c >= 0; });
  return valid;
}

}  // namespace vnsearch
