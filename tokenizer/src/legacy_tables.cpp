// Byte tables of TCVN3, VNI Windows and VISCII, written out from the published standards, and
// of Windows-1258 taken from ICU's converter.
#include "legacy_tables.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/utf16.h>

#include <memory>

namespace vnsearch::legacy {
namespace {

ByteMapping one(char32_t cp, std::uint8_t flags = 0) {
  ByteMapping m;
  m.cp[0] = cp;
  m.length = 1;
  m.flags = flags;
  return m;
}

ByteMapping two(char32_t a, char32_t b, std::uint8_t flags) {
  ByteMapping m = one(a, flags);
  m.cp[1] = b;
  m.length = 2;
  return m;
}

ByteTable ascii_table() {
  ByteTable t;
  for (int b = 0; b < 0x80; ++b) t[b] = one(static_cast<char32_t>(b));
  return t;
}

// Asks ICU what each byte of a single-byte codepage means. Bytes ICU reports as unassigned, and
// the holes of Microsoft's 0x80-0x9F row that ICU fills with C1 controls (0x81 -> U+0081),
// stay unmapped: no text means a C1 control there, so they count as unmappable.
ByteTable icu_table(const char* name) {
  ByteTable t;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(name, &status), ucnv_close);
  if (U_FAILURE(status)) return ascii_table();
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  for (int b = 0; b < 256; ++b) {
    ucnv_reset(conv.get());
    const char byte = static_cast<char>(b);
    const char* source = &byte;
    UChar out[4];
    UChar* target = out;
    status = U_ZERO_ERROR;
    ucnv_toUnicode(conv.get(), &target, out + 4, &source, source + 1, nullptr, true, &status);
    const int32_t units = static_cast<int32_t>(target - out);
    if (U_FAILURE(status) || units == 0) continue;
    int32_t i = 0;
    UChar32 cp;
    U16_NEXT(out, i, units, cp);
    if (cp >= 0x80 && cp <= 0x9F) continue;
    t[b] = one(static_cast<char32_t>(cp));
  }
  return t;
}

// TCVN 5712:1993, bytes 0x80-0xFF as the full VN1 set defines them. TCVN3 ("ABC", VN3) fonts
// carry only the lower-case letters and the seven upper-case base letters of 0xA1-0xA7; the
// other upper-case letters below are decoded (an archive using them means exactly that) but
// never written, see build_tcvn3(). 0xB0-0xB4 are the combining tone marks of the standard.
// clang-format off
constexpr char16_t kTcvnHigh[128] = {
    u'À', u'Ả', u'Ã', u'Á', u'Ạ', u'Ặ', u'Ậ', u'È',  // 80
    u'Ẻ', u'Ẽ', u'É', u'Ẹ', u'Ệ', u'Ì', u'Ỉ', u'Ĩ',  // 88
    u'Í', u'Ị', u'Ò', u'Ỏ', u'Õ', u'Ó', u'Ọ', u'Ộ',  // 90
    u'Ờ', u'Ở', u'Ỡ', u'Ớ', u'Ợ', u'Ù', u'Ủ', u'Ũ',  // 98
    u'\u00A0', u'Ă', u'Â', u'Ê', u'Ô', u'Ơ', u'Ư', u'Đ',  // A0
    u'ă', u'â', u'ê', u'ô', u'ơ', u'ư', u'đ', u'Ằ',  // A8
    u'\u0300', u'\u0309', u'\u0303', u'\u0301', u'\u0323', u'à', u'ả', u'ã',  // B0
    u'á', u'ạ', u'Ẳ', u'ằ', u'ẳ', u'ẵ', u'ắ', u'Ẵ',  // B8
    u'Ắ', u'Ầ', u'Ẩ', u'Ẫ', u'Ấ', u'Ề', u'ặ', u'ầ',  // C0
    u'ẩ', u'ẫ', u'ấ', u'ậ', u'è', u'Ể', u'ẻ', u'ẽ',  // C8
    u'é', u'ẹ', u'ề', u'ể', u'ễ', u'ế', u'ệ', u'ì',  // D0
    u'ỉ', u'Ễ', u'Ế', u'Ồ', u'ĩ', u'í', u'ị', u'ò',  // D8
    u'Ổ', u'ỏ', u'õ', u'ó', u'ọ', u'ồ', u'ổ', u'ỗ',  // E0
    u'ố', u'ộ', u'ờ', u'ở', u'ỡ', u'ớ', u'ợ', u'ù',  // E8
    u'Ỗ', u'ủ', u'ũ', u'ú', u'ụ', u'ừ', u'ử', u'ữ',  // F0
    u'ứ', u'ự', u'ỳ', u'ỷ', u'ỹ', u'ý', u'ỵ', u'Ố',  // F8
};
// clang-format on

// VISCII 1.1 (RFC 1456), bytes 0x80-0xFF; six more letters sit in C0 (kVisciiLow).
constexpr char16_t kVisciiHigh[128] = {
    u'Ạ', u'Ắ', u'Ằ', u'Ặ', u'Ấ', u'Ầ', u'Ẩ', u'Ậ',  // 80
    u'Ẽ', u'Ẹ', u'Ế', u'Ề', u'Ể', u'Ễ', u'Ệ', u'Ố',  // 88
    u'Ồ', u'Ổ', u'Ỗ', u'Ộ', u'Ợ', u'Ớ', u'Ờ', u'Ở',  // 90
    u'Ị', u'Ỏ', u'Ọ', u'Ỉ', u'Ủ', u'Ũ', u'Ụ', u'Ỳ',  // 98
    u'Õ', u'ắ', u'ằ', u'ặ', u'ấ', u'ầ', u'ẩ', u'ậ',  // A0
    u'ẽ', u'ẹ', u'ế', u'ề', u'ể', u'ễ', u'ệ', u'ố',  // A8
    u'ồ', u'ổ', u'ỗ', u'Ỡ', u'Ơ', u'ộ', u'ờ', u'ở',  // B0
    u'ị', u'Ự', u'Ứ', u'Ừ', u'Ử', u'ơ', u'ớ', u'Ư',  // B8
    u'À', u'Á', u'Â', u'Ã', u'Ả', u'Ă', u'ẳ', u'ẵ',  // C0
    u'È', u'É', u'Ê', u'Ẻ', u'Ì', u'Í', u'Ĩ', u'ỳ',  // C8
    u'Đ', u'ứ', u'Ò', u'Ó', u'Ô', u'ạ', u'ỷ', u'ừ',  // D0
    u'ử', u'Ù', u'Ú', u'ỹ', u'ỵ', u'Ý', u'ỡ', u'ư',  // D8
    u'à', u'á', u'â', u'ã', u'ả', u'ă', u'ữ', u'ẫ',  // E0
    u'è', u'é', u'ê', u'ẻ', u'ì', u'í', u'ĩ', u'ỉ',  // E8
    u'đ', u'ự', u'ò', u'ó', u'ô', u'õ', u'ỏ', u'ọ',  // F0
    u'ụ', u'ù', u'ú', u'ũ', u'ủ', u'ý', u'ợ', u'Ữ',  // F8
};

struct LowLetter {
  unsigned char byte;
  char16_t letter;
};
// VISCII gives up six C0 controls that text files never use, to fit all 134 letters.
constexpr LowLetter kVisciiLow[] = {{0x02, u'Ẳ'}, {0x05, u'Ẵ'}, {0x06, u'Ẫ'},
                                    {0x14, u'Ỷ'}, {0x19, u'Ỹ'}, {0x1E, u'Ỵ'}};

// VNI Windows, lower-case half: a mark byte follows the base letter (`e` 0xE4 = `ệ`), except for
// đ ơ ư and the toned i and ỵ, which are single bytes. The upper-case half is the same list
// 0x20 lower (Latin-1's upper-case row), marks included: `E` 0xC4 = `Ệ`.
struct VniEntry {
  unsigned char byte;
  char32_t first;
  char32_t second;  // 0 when the byte decodes to one code point
  bool is_mark;
};
constexpr VniEntry kVniLower[] = {
    // tones alone
    {0xF9, 0x0301, 0, true},  // acute
    {0xF8, 0x0300, 0, true},  // grave
    {0xFB, 0x0309, 0, true},  // hook above
    {0xF5, 0x0303, 0, true},  // tilde
    {0xEF, 0x0323, 0, true},  // dot below
    // circumflex (â ê ô), alone and with each tone
    {0xE2, 0x0302, 0, true},
    {0xE1, 0x0302, 0x0301, true},
    {0xE0, 0x0302, 0x0300, true},
    {0xE5, 0x0302, 0x0309, true},
    {0xE3, 0x0302, 0x0303, true},
    {0xE4, 0x0302, 0x0323, true},
    // breve (ă), alone and with each tone
    {0xEA, 0x0306, 0, true},
    {0xE9, 0x0306, 0x0301, true},
    {0xE8, 0x0306, 0x0300, true},
    {0xFA, 0x0306, 0x0309, true},
    {0xFC, 0x0306, 0x0303, true},
    {0xEB, 0x0306, 0x0323, true},
    // single-byte letters
    {0xF1, U'đ', 0, false},
    {0xF4, U'ơ', 0, false},
    {0xF6, U'ư', 0, false},
    {0xEC, U'ì', 0, false},
    {0xED, U'í', 0, false},
    {0xE6, U'ỉ', 0, false},
    {0xF3, U'ĩ', 0, false},
    {0xF2, U'ị', 0, false},
    {0xEE, U'ỵ', 0, false},
};
constexpr unsigned char kVniCaseDistance = 0x20;

ByteTable build_tcvn3() {
  ByteTable t = ascii_table();
  for (int b = 0x80; b < 0x100; ++b) {
    const char32_t cp = kTcvnHigh[b - 0x80];
    const bool base_capital = b >= 0xA1 && b <= 0xA7;
    const bool combining = b >= 0xB0 && b <= 0xB4;
    // Writing only what ABC fonts display: no toned capitals, no loose combining marks.
    const bool decode_only = combining || (u_isupper(static_cast<UChar32>(cp)) && !base_capital);
    t[b] = one(cp, decode_only ? kDecodeOnly : 0);
  }
  return t;
}

ByteTable build_viscii() {
  ByteTable t = ascii_table();
  for (int b = 0x80; b < 0x100; ++b) t[b] = one(kVisciiHigh[b - 0x80]);
  for (const LowLetter& l : kVisciiLow) t[l.byte] = one(l.letter);
  return t;
}

ByteTable build_vni() {
  // VNI fonts are Windows-1252 fonts with some glyphs redrawn: bytes VNI does not use show the
  // Windows-1252 character.
  ByteTable t = icu_table("windows-1252");
  for (const VniEntry& e : kVniLower) {
    const unsigned char upper_byte = e.byte - kVniCaseDistance;
    if (e.is_mark) {
      t[e.byte] = e.second ? two(e.first, e.second, kLowerMark) : one(e.first, kLowerMark);
      t[upper_byte] = e.second ? two(e.first, e.second, kUpperMark) : one(e.first, kUpperMark);
    } else {
      t[e.byte] = one(e.first);
      t[upper_byte] = one(static_cast<char32_t>(u_toupper(static_cast<UChar32>(e.first))));
    }
  }
  return t;
}

}  // namespace

const ByteTable& windows1258_table() {
  static const ByteTable table = icu_table("windows-1258");
  return table;
}

const ByteTable& tcvn3_table() {
  static const ByteTable table = build_tcvn3();
  return table;
}

const ByteTable& vni_table() {
  static const ByteTable table = build_vni();
  return table;
}

const ByteTable& viscii_table() {
  static const ByteTable table = build_viscii();
  return table;
}

}  // namespace vnsearch::legacy
