// The syllable oracle. It is written from the orthography rules (onset x rhyme x tone, spelling
// rules c/k/q, g/gh, ng/ngh, gi, stop codas) and shares no code with the tokenizer, so a bug in
// the tokenizer's own tables cannot hide in both.
#include "syllable_inventory.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

namespace {

using icu::UnicodeString;

std::string to_utf8(const UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

UnicodeString from_utf8(std::string_view s) {
  return UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC unavailable");
  return *n;
}

const icu::Normalizer2& nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFD unavailable");
  return *n;
}

// Combining marks for the tones, indexed by Tone.
constexpr std::array<char16_t, 6> kToneMark = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

bool is_vowel(char16_t c) {
  return std::u16string_view(u"aăâeêioôơuưy").find(c) != std::u16string_view::npos;
}
bool is_marked_vowel(char16_t c) {
  return std::u16string_view(u"ăâêôơư").find(c) != std::u16string_view::npos;
}

// Index (in UTF-16 units, all BMP) of the vowel of `rhyme` that carries the tone, old style:
// a marked vowel wins (ươ -> ơ, so the last one); a closed rhyme puts it on the last vowel of the
// nucleus (hoàn, thuyền); an open 3-vowel nucleus on the middle one (ngoài, khuỷu); an open
// 2-vowel one on the first (hòa, thủy, mùa, kìa).
std::size_t tone_index(std::u16string_view rhyme) {
  std::size_t n = 0;
  while (n < rhyme.size() && is_vowel(rhyme[n])) ++n;
  if (n == 0) throw std::logic_error("rhyme without a vowel");
  for (std::size_t i = n; i-- > 0;)
    if (is_marked_vowel(rhyme[i])) return i;
  if (n < rhyme.size()) return n - 1;
  if (n == 3) return 1;
  return 0;
}

struct Rhyme {
  std::u16string text;
  bool medial;  // starts with the rounding glide o/u (oa, oă, oe, uâ, uê, uơ, uy)
};

// All rhymes as written after a consonant onset (iê form; yê is derived for the empty onset).
std::vector<Rhyme> rhymes() {
  const std::vector<std::u16string> plain = {
      u"a",   u"ac",  u"ach",  u"ai",  u"am",   u"an",  u"ang", u"anh", u"ao",  u"ap",   u"at",
      u"au",  u"ay",  u"ăc",   u"ăm",  u"ăn",   u"ăng", u"ăp",  u"ăt",  u"âc",  u"âm",   u"ân",
      u"âng", u"âp",  u"ât",   u"âu",  u"ây",   u"e",   u"ec",  u"em",  u"en",  u"eng",  u"eo",
      u"ep",  u"et",  u"ê",    u"êch", u"êm",   u"ên",  u"ênh", u"êp",  u"êt",  u"êu",   u"i",
      u"ich", u"im",  u"in",   u"inh", u"ip",   u"it",  u"iu",  u"o",   u"oc",  u"oi",   u"om",
      u"on",  u"ong", u"op",   u"ot",  u"ô",    u"ôc",  u"ôi",  u"ôm",  u"ôn",  u"ông",  u"ôp",
      u"ôt",  u"ơ",   u"ơi",   u"ơm",  u"ơn",   u"ơp",  u"ơt",  u"u",   u"uc",  u"ui",   u"um",
      u"un",  u"ung", u"up",   u"ut",  u"ư",    u"ưc",  u"ưi",  u"ưng", u"ưt",  u"ưu",   u"y",
      u"ia",  u"iêc", u"iêm",  u"iên", u"iêng", u"iêp", u"iêt", u"iêu", u"ua",  u"uôc",  u"uôi",
      u"uôm", u"uôn", u"uông", u"uôt", u"ưa",   u"ươc", u"ươi", u"ươm", u"ươn", u"ương", u"ươp",
      u"ươt", u"ươu"};
  const std::vector<std::u16string> medial = {
      u"oa",   u"oac",  u"oach", u"oai", u"oam", u"oan",  u"oang", u"oanh", u"oao", u"oap",
      u"oat",  u"oay",  u"oăc",  u"oăm", u"oăn", u"oăng", u"oăt",  u"oe",   u"oen", u"oeo",
      u"oet",  u"uân",  u"uâng", u"uât", u"uây", u"uê",   u"uêch", u"uênh", u"uơ",  u"uy",
      u"uych", u"uynh", u"uyt",  u"uya", u"uyu", u"uyên", u"uyêt"};
  std::vector<Rhyme> out;
  for (const auto& r : plain) out.push_back({r, false});
  for (const auto& r : medial) out.push_back({r, true});
  return out;
}

bool front(std::u16string_view rhyme) {
  return rhyme[0] == u'i' || rhyme[0] == u'e' || rhyme[0] == u'ê' || rhyme[0] == u'y';
}

bool ends_with_stop(std::u16string_view rhyme) {
  const char16_t last = rhyme.back();
  return last == u'p' || last == u't' || last == u'c' ||
         (last == u'h' && rhyme.size() >= 2 && rhyme[rhyme.size() - 2] == u'c');
}

// Onset, rhyme as written after it, and where the tone goes in `onset + written`.
struct Spelling {
  std::u16string onset, written;
  std::size_t tone_at;
};

// How `onset` + `rhyme` is written, or nothing when the spelling rules forbid the pair.
std::optional<Spelling> spell(std::u16string_view onset, const Rhyme& rhyme) {
  const std::u16string_view r = rhyme.text;
  const bool is_front = front(r);
  const bool ie = r.starts_with(u"iê");
  // c/k, g/gh, ng/ngh: the second spelling before front vowels, only there.
  if ((onset == u"c" || onset == u"g" || onset == u"ng") && is_front) return std::nullopt;
  if ((onset == u"k" || onset == u"gh" || onset == u"ngh") && !is_front) return std::nullopt;
  // Single y after a consonant only in these Sino-Vietnamese spellings (lý, kỳ, mỹ, sỹ, tý, vỹ,
  // hy).
  if (r == u"y" && !(onset.empty() || onset == u"h" || onset == u"k" || onset == u"l" ||
                     onset == u"m" || onset == u"s" || onset == u"t" || onset == u"v"))
    return std::nullopt;
  if (onset.empty()) {
    if (ie) {
      const std::u16string written = u"y" + std::u16string(r.substr(1));  // yên, yêu
      return Spelling{u"", written, tone_index(written)};
    }
    return Spelling{u"", std::u16string(r), tone_index(r)};
  }
  if (onset == u"qu") {
    // The u belongs to the onset: qu + oa -> qua, qu + uy -> quy, qu + uyên -> quyên.
    if (!rhyme.medial && r != u"ôc") return std::nullopt;
    if (r == u"uych" || r == u"uya" || r == u"uyu") return std::nullopt;
    const std::u16string rest(rhyme.medial ? r.substr(1) : r);
    return Spelling{u"qu", rest, 2 + tone_index(rest)};
  }
  if (onset == u"gi") {
    // gi + i is written gi (gì, gìn, giếng); gi + ia and gi + iu would collide with gi + a, gi + u.
    if (rhyme.medial || r == u"y" || r == u"ia" || r == u"iu") return std::nullopt;
    if (r[0] == u'i') return Spelling{u"g", std::u16string(r), 1 + tone_index(r)};
    return Spelling{u"gi", std::u16string(r), 2 + tone_index(r)};
  }
  if (rhyme.medial) {
    // The rounding glide never follows labials nor c/k/gh/ngh (written qu); g only before o.
    static const std::set<std::u16string_view> kMedialOnsets = {u"ch", u"d", u"đ",  u"h",  u"kh",
                                                                u"l",  u"n", u"ng", u"nh", u"r",
                                                                u"s",  u"t", u"th", u"tr", u"x"};
    const bool g_with_o = onset == u"g" && r[0] == u'o';
    if (!g_with_o && kMedialOnsets.count(onset) == 0) return std::nullopt;
  }
  return Spelling{std::u16string(onset), std::u16string(r), onset.size() + tone_index(r)};
}

std::string render(const Spelling& s, Tone tone) {
  UnicodeString text(s.onset.data(), static_cast<int32_t>(s.onset.size()));
  text.append(UnicodeString(s.written.data(), static_cast<int32_t>(s.written.size())));
  if (tone != Tone::kLevel)
    text.insert(static_cast<int32_t>(s.tone_at + 1), kToneMark[static_cast<int>(tone)]);
  UErrorCode status = U_ZERO_ERROR;
  UnicodeString out = nfc().normalize(text, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC failed");
  return to_utf8(out);
}

std::vector<SyllableParts> build() {
  const std::vector<std::u16string> onsets = {
      u"",  u"b",  u"c",   u"ch", u"d", u"đ",  u"g",  u"gh", u"gi", u"h", u"k",  u"kh", u"l", u"m",
      u"n", u"ng", u"ngh", u"nh", u"p", u"ph", u"qu", u"r",  u"s",  u"t", u"th", u"tr", u"v", u"x"};
  std::vector<SyllableParts> out;
  std::set<std::string> seen;
  for (const auto& onset : onsets) {
    for (const auto& rhyme : rhymes()) {
      const auto spelling = spell(onset, rhyme);
      if (!spelling) continue;
      const bool stop = ends_with_stop(rhyme.text);
      for (int t = 0; t < 6; ++t) {
        const Tone tone = static_cast<Tone>(t);
        if (stop && tone != Tone::kAcute && tone != Tone::kDot) continue;
        std::string text = render(*spelling, tone);
        if (!seen.insert(text).second) continue;  // gi + iêu and gi + êu are the same syllable
        // The onset as the rules name it (gi for gìn even though the i is shared).
        out.push_back({std::move(text), to_utf8(UnicodeString(onset.data(), onset.size())),
                       to_utf8(UnicodeString(spelling->written.data(), spelling->written.size())),
                       tone, stop});
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SyllableParts& a, const SyllableParts& b) { return a.text < b.text; });
  return out;
}

UnicodeString normalize(const icu::Normalizer2& n, std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  UnicodeString out = n.normalize(from_utf8(utf8), status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalization failed");
  return out;
}

}  // namespace

const std::vector<SyllableParts>& vietnamese_syllable_parts() {
  static const std::vector<SyllableParts> parts = build();
  return parts;
}

std::vector<std::string> vietnamese_syllables() {
  std::vector<std::string> out;
  out.reserve(vietnamese_syllable_parts().size());
  for (const auto& p : vietnamese_syllable_parts()) out.push_back(p.text);
  return out;
}

std::string spell_syllable(std::string_view onset, std::string_view rhyme, Tone tone) {
  // Builds the pair without the phonotactic filters, so that callers can make ill-formed ones.
  const UnicodeString r = from_utf8(rhyme);
  const std::u16string r16(reinterpret_cast<const char16_t*>(r.getBuffer()), r.length());
  const UnicodeString o = from_utf8(onset);
  const std::u16string o16(reinterpret_cast<const char16_t*>(o.getBuffer()), o.length());
  // gi + in is written gin: the onset's i is the rhyme's vowel.
  if (o16 == u"gi" && r16[0] == u'i') return render(Spelling{u"g", r16, 1 + tone_index(r16)}, tone);
  // qu + uy is written quy: the onset's u is the rhyme's glide.
  if (o16 == u"qu" && (r16[0] == u'u' || r16[0] == u'o') && r16.size() > 1 && is_vowel(r16[1])) {
    const std::u16string rest = r16.substr(1);
    return render(Spelling{o16, rest, o16.size() + tone_index(rest)}, tone);
  }
  return render(Spelling{o16, r16, o16.size() + tone_index(r16)}, tone);
}

std::string new_style(std::string_view syllable) {
  // In NFD the tone mark directly follows its vowel (vowel marks of o/u/e never occur in oa/oe/uy),
  // so an open oa/oe/uy reads o|u, tone, a|e|y at the very end.
  UnicodeString s = normalize(nfd(), syllable);
  const int32_t n = s.length();
  if (n >= 3) {
    const char16_t a = s.charAt(n - 3), mark = s.charAt(n - 2), b = s.charAt(n - 1);
    const bool tone =
        mark == 0x0300 || mark == 0x0301 || mark == 0x0309 || mark == 0x0303 || mark == 0x0323;
    const auto lower = [](char16_t c) { return static_cast<char16_t>(u_tolower(c)); };
    const bool pair = (lower(a) == u'o' && (lower(b) == u'a' || lower(b) == u'e')) ||
                      (lower(a) == u'u' && lower(b) == u'y');
    // qu + y keeps its tone on y in both styles (quý), and it is already there.
    const bool after_q = n >= 4 && lower(s.charAt(n - 4)) == u'q';
    if (tone && pair && !after_q) {
      s.setCharAt(n - 2, b);
      s.setCharAt(n - 1, mark);
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  return to_utf8(nfc().normalize(s, status));
}

std::string to_nfc(std::string_view utf8) {
  return to_utf8(normalize(nfc(), utf8));
}
std::string to_nfd(std::string_view utf8) {
  return to_utf8(normalize(nfd(), utf8));
}

std::string to_upper(std::string_view utf8) {
  return to_utf8(from_utf8(utf8).toUpper(icu::Locale::getRoot()));
}
std::string to_lower(std::string_view utf8) {
  return to_utf8(from_utf8(utf8).toLower(icu::Locale::getRoot()));
}
std::string to_title(std::string_view utf8) {
  // One syllable, so no word break iterator: upper-case the first code point only.
  UnicodeString s = from_utf8(utf8).toLower(icu::Locale::getRoot());
  if (s.isEmpty()) return {};
  const int32_t first_len = U16_LENGTH(s.char32At(0));
  UnicodeString head = s.tempSubString(0, first_len);
  head.toUpper(icu::Locale::getRoot());
  return to_utf8(head + s.tempSubString(first_len));
}

std::string icu_ascii_fold(std::string_view utf8) {
  // Transliterators are not thread-safe; each thread keeps its own.
  thread_local std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> p(
        icu::Transliterator::createInstance("Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU Latin-ASCII unavailable");
    return p;
  }();
  UnicodeString s = from_utf8(utf8);
  t->transliterate(s);
  return to_utf8(s);
}

bool valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3, cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4, cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > bytes.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(bytes[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong 3/4-byte forms, surrogates and values above U+10FFFF are ill-formed.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool on_utf8_boundary(std::string_view text, std::size_t offset) {
  if (offset == 0 || offset == text.size()) return true;
  if (offset > text.size()) return false;
  return (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}
