// Legacy Vietnamese encodings: hand-written byte samples per encoding, agreement with glibc's
// iconv tables, round trips of the whole syllable inventory, source offsets, VIQR punctuation
// rules, detection on real news text, and arbitrary bytes.
#include <iconv.h>
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "shared_data.h"
#include "syllable_inventory.h"
#include "vnsearch/encoding.h"

using vnsearch::decode_legacy;
using vnsearch::DecodedText;
using vnsearch::encode_legacy;
using vnsearch::Encoding;

namespace {

constexpr Encoding kByteEncodings[] = {Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni,
                                       Encoding::kViscii};
constexpr Encoding kAllLegacy[] = {Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni,
                                   Encoding::kViscii, Encoding::kViqr};

std::string decode(std::string_view bytes, Encoding e) {
  return decode_legacy(bytes, e).utf8;
}

// The documented shape of source_offset, checked on any decoding.
void check_offsets_shape(std::string_view input, const DecodedText& d) {
  REQUIRE(d.source_offset.size() == d.utf8.size() + 1);
  CHECK(d.source_offset.back() == input.size());
  for (std::size_t i = 0; i < d.utf8.size(); ++i) {
    REQUIRE(d.source_offset[i] < input.size());
    if (i > 0) REQUIRE(d.source_offset[i - 1] <= d.source_offset[i]);
    // The bytes of one character share one offset.
    if ((static_cast<unsigned char>(d.utf8[i]) & 0xC0) == 0x80) {
      REQUIRE(d.source_offset[i] == d.source_offset[i - 1]);
    }
  }
}

// Every space-separated word of the decoding, cut out of the original bytes through
// source_offset, decodes to the same word: what the analyzer relies on for token offsets.
void check_words_map_back(std::string_view input, const DecodedText& d, Encoding e) {
  std::size_t i = 0;
  while (i < d.utf8.size()) {
    while (i < d.utf8.size() && d.utf8[i] == ' ') ++i;
    std::size_t end = i;
    while (end < d.utf8.size() && d.utf8[end] != ' ') ++end;
    if (end > i) {
      const std::size_t from = d.source_offset[i];
      const std::size_t to = d.source_offset[end];
      const std::string word = d.utf8.substr(i, end - i);
      const std::string_view bytes = input.substr(from, to - from);
      INFO("word " << word);
      // A VIQR word alone can read differently (`Thu?` at the end is punctuation), so VIQR is
      // compared the other way round.
      if (e == Encoding::kViqr) {
        REQUIRE(bytes == encode_legacy(word, e));
      } else {
        REQUIRE(decode(bytes, e) == word);
      }
    }
    i = end;
  }
}

// glibc's converter, as an independent reading of the published tables.
std::optional<std::string> glibc_decode(const char* charset, std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string in(bytes);
  std::string out(bytes.size() * 8 + 16, '\0');
  char* inp = in.data();
  std::size_t inleft = in.size();
  char* outp = out.data();
  std::size_t outleft = out.size();
  const std::size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
  iconv(cd, nullptr, nullptr, &outp, &outleft);  // flush a letter held back for composition
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) return std::nullopt;
  out.resize(out.size() - outleft);
  return to_nfc(out);
}

// TCVN3 (ABC) has no toned capitals; the encoder writes them in lower case.
std::string tcvn3_representable(std::string_view nfc) {
  const std::string upper_kept = "ĂÂÊÔƠƯĐ";
  std::string out;
  std::size_t i = 0;
  while (i < nfc.size()) {
    std::size_t len = 1;
    while (i + len < nfc.size() && (static_cast<unsigned char>(nfc[i + len]) & 0xC0) == 0x80) ++len;
    const std::string ch(nfc.substr(i, len));
    const bool keep = len == 1 || upper_kept.find(ch) != std::string::npos || to_lower(ch) == ch;
    out += keep ? ch : to_lower(ch);
    i += len;
  }
  return out;
}

}  // namespace

TEST_CASE("encoding names and aliases", "[legacy]") {
  using vnsearch::encoding_name;
  using vnsearch::parse_encoding_name;
  for (const Encoding e : {Encoding::kAuto, Encoding::kUtf8, Encoding::kWindows1258,
                           Encoding::kTcvn3, Encoding::kVni, Encoding::kViscii, Encoding::kViqr}) {
    CHECK(parse_encoding_name(encoding_name(e)) == e);
  }
  CHECK(encoding_name(Encoding::kWindows1258) == "windows-1258");
  CHECK(encoding_name(Encoding::kUtf8) == "utf-8");
  CHECK(parse_encoding_name("CP1258") == Encoding::kWindows1258);
  CHECK(parse_encoding_name("UTF8") == Encoding::kUtf8);
  CHECK(parse_encoding_name("abc") == Encoding::kTcvn3);
  CHECK(parse_encoding_name("TCVN") == Encoding::kTcvn3);
  CHECK(parse_encoding_name("vni-win") == Encoding::kVni);
  CHECK(parse_encoding_name("VNI_Windows") == Encoding::kVni);
  CHECK(parse_encoding_name("VISCII") == Encoding::kViscii);
  CHECK_FALSE(parse_encoding_name("latin1").has_value());
  CHECK_FALSE(parse_encoding_name("").has_value());
}

TEST_CASE("is_valid_utf8 follows the UTF-8 definition", "[legacy]") {
  using vnsearch::is_valid_utf8;
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("Việt Nam 😀"));
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("Vi\xE1\xBB"));        // truncated at the end
  CHECK_FALSE(is_valid_utf8("Vi\xEA\xF2t"));       // Windows-1258 bytes
  std::mt19937 rng(1258);
  for (int n = 0; n < 2000; ++n) {
    std::string s(rng() % 8, '\0');
    for (char& c : s) c = static_cast<char>(0x7F + rng() % 0x81);
    INFO(n);
    REQUIRE(is_valid_utf8(s) == valid_utf8(s));
  }
}

TEST_CASE("Windows-1258 samples decode to NFC", "[legacy][windows-1258]") {
  // ê + combining dot; Đ, à; ă + combining tilde; ư ơ + combining grave.
  CHECK(decode("Vi\xEA\xF2t Nam", Encoding::kWindows1258) == "Việt Nam");
  CHECK(decode("\xD0\xE0 N\xE3\xDEng", Encoding::kWindows1258) == "Đà Nẵng");
  CHECK(decode("ng\xFD\xF5\xCCi", Encoding::kWindows1258) == "người");
  CHECK(decode("H\xF4\xF2i \xD0\xF4\xECng", Encoding::kWindows1258) == "Hội Đống");
  CHECK(decode("thu\xD2y \xC3\xDD", Encoding::kWindows1258) == "thủy ĂƯ");
  CHECK(encode_legacy("Việt Nam", Encoding::kWindows1258) == "Vi\xEA\xF2t Nam");
  CHECK(encode_legacy("ặ Ặ ợ", Encoding::kWindows1258) == "\xE3\xF2 \xC3\xF2 \xF5\xF2");
  CHECK(encode_legacy("₫ ₩", Encoding::kWindows1258) == "\xFE ?");
}

TEST_CASE("TCVN3 samples", "[legacy][tcvn3]") {
  CHECK(decode("Vi\xD6t Nam", Encoding::kTcvn3) == "Việt Nam");
  CHECK(decode("\xA7\xB5 N\xBDng", Encoding::kTcvn3) == "Đà Nẵng");
  CHECK(decode("ng\xAD\xEAi", Encoding::kTcvn3) == "người");
  CHECK(decode("Ti\xD5ng Vi\xD6t", Encoding::kTcvn3) == "Tiếng Việt");
  CHECK(decode("H\xB5 N\xE9i", Encoding::kTcvn3) == "Hà Nội");
  // One byte from each row of lower-case letters, and the base capitals.
  CHECK(decode("\xB8\xB9\xBE\xC6\xCA\xCB\xCC\xD1\xD7\xDE\xDF\xE4\xE8\xEE\xEF\xF9\xFA\xFE",
               Encoding::kTcvn3) == "áạắặấậèẹìịòọốợùựỳỵ");
  CHECK(decode("\xA1\xA2\xA3\xA4\xA5\xA6\xA7\xA8\xA9\xAA\xAB\xAC\xAD\xAE", Encoding::kTcvn3) ==
        "ĂÂÊÔƠƯĐăâêôơưđ");
  CHECK(encode_legacy("Đường Hà Nội", Encoding::kTcvn3) == "\xA7\xAD\xEAng H\xB5 N\xE9i");
  // Documented choice: toned capitals do not exist in ABC fonts and are written in lower case.
  CHECK(encode_legacy("VIỆT NAM Ắ", Encoding::kTcvn3) == "VI\xD6T NAM \xBE");
}

TEST_CASE("VNI Windows samples", "[legacy][vni]") {
  CHECK(decode("Vie\xE4t Nam", Encoding::kVni) == "Việt Nam");
  CHECK(decode("\xD1"
               "a\xF8 Na\xFCng",
               Encoding::kVni) == "Đà Nẵng");
  CHECK(decode("ng\xF6\xF4\xF8i", Encoding::kVni) == "người");
  CHECK(decode("CO\xC4NG HO\xD8"
               "A XA\xD5 HO\xC4I CHU\xDB NGH\xD3"
               "A VIE\xC4T NAM",
               Encoding::kVni) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  CHECK(decode("\xD1o\xE4"
               "c la\xE4p - T\xF6\xEF do - Ha\xEFnh phu\xF9"
               "c",
               Encoding::kVni) == "Độc lập - Tự do - Hạnh phúc");
  // Every lower-case mark byte, then every upper-case one.
  CHECK(decode("a\xF8 a\xF9 a\xFB a\xF5 a\xEF a\xE2 a\xE0 a\xE1 a\xE5 a\xE3 a\xE4 "
               "a\xEA a\xE8 a\xE9 a\xFA a\xFC a\xEB",
               Encoding::kVni) == "à á ả ã ạ â ầ ấ ẩ ẫ ậ ă ằ ắ ẳ ẵ ặ");
  CHECK(decode("A\xD8 A\xD9 A\xDB A\xD5 A\xCF A\xC2 A\xC0 A\xC1 A\xC5 A\xC3 A\xC4 "
               "A\xCA A\xC8 A\xC9 A\xDA A\xDC A\xCB",
               Encoding::kVni) == "À Á Ả Ã Ạ Â Ầ Ấ Ẩ Ẫ Ậ Ă Ằ Ắ Ẳ Ẵ Ặ");
  // Single-byte letters.
  CHECK(decode("\xF1\xF4\xF6\xEC\xED\xE6\xF3\xF2\xEE \xD1\xD4\xD6\xCC\xCD\xC6\xD3\xD2\xCE",
               Encoding::kVni) == "đơưìíỉĩịỵ ĐƠƯÌÍỈĨỊỴ");
  CHECK(encode_legacy("Người Việt", Encoding::kVni) == "Ng\xF6\xF4\xF8i Vie\xE4t");
  CHECK(encode_legacy("NGƯỜI VIỆT", Encoding::kVni) == "NG\xD6\xD4\xD8I VIE\xC4T");
  CHECK(encode_legacy("Mỹ kỵ Kỳ", Encoding::kVni) == "My\xF5 k\xEE Ky\xF8");
  // Bytes VNI leaves alone read as Windows-1252; its holes are unmappable.
  CHECK(decode("\x93"
               "a\x94 \xA9",
               Encoding::kVni) == "“a” ©");
  CHECK(decode_legacy("a\x81", Encoding::kVni).unmappable == 1);
}

TEST_CASE("VISCII samples", "[legacy][viscii]") {
  CHECK(decode("Vi\xAEt Nam", Encoding::kViscii) == "Việt Nam");
  CHECK(decode("\xD0\xE0 N\xE7ng", Encoding::kViscii) == "Đà Nẫng");
  CHECK(decode("\xD0\xE0 N\xC7ng", Encoding::kViscii) == "Đà Nẵng");
  CHECK(decode("ng\xDF\xB6i", Encoding::kViscii) == "người");
  CHECK(decode("VI\x8ET", Encoding::kViscii) == "VIỆT");
  CHECK(decode("\x02\x05\x06\x14\x19\x1E", Encoding::kViscii) == "ẲẴẪỶỸỴ");
  CHECK(encode_legacy("ẲẴẪỶỸỴ", Encoding::kViscii) == "\x02\x05\x06\x14\x19\x1E");
}

TEST_CASE("byte tables agree with glibc iconv", "[legacy]") {
  struct Case {
    Encoding encoding;
    const char* glibc;
    int first;
  };
  // TCVN3 is compared on 0x80-0xFF only: its C0 bytes stay controls, while VN1 puts capitals there.
  for (const Case c :
       {Case{Encoding::kViscii, "VISCII", 0}, Case{Encoding::kTcvn3, "TCVN5712-1", 0x80},
        Case{Encoding::kWindows1258, "CP1258", 0}}) {
    if (!glibc_decode(c.glibc, "a")) {
      WARN("glibc iconv has no " << c.glibc << ": skipping");
      continue;
    }
    for (int b = c.first; b < 256; ++b) {
      const std::string byte(1, static_cast<char>(b));
      const auto expected = glibc_decode(c.glibc, byte);
      if (!expected) continue;  // glibc leaves the byte undefined
      INFO(c.glibc << " byte " << b);
      CHECK(decode(byte, c.encoding) == *expected);
    }
  }
}

TEST_CASE("every syllable round-trips through every encoding", "[legacy][roundtrip]") {
  const std::vector<std::string> syllables = vietnamese_syllables();
  REQUIRE(syllables.size() > 5000);
  for (const Encoding e : kByteEncodings) {
    INFO(vnsearch::encoding_name(e));
    for (const std::string& s : syllables) {
      for (const std::string& form : {s, to_upper(s), to_title(s)}) {
        const std::string bytes = encode_legacy(form, e);
        const DecodedText d = decode_legacy(bytes, e);
        INFO(form);
        REQUIRE(d.unmappable == 0);
        REQUIRE(bytes.find('?') == std::string::npos);
        const std::string expected = e == Encoding::kTcvn3 ? tcvn3_representable(form) : form;
        REQUIRE(d.utf8 == expected);
      }
    }
  }
  // VIQR: a hook or dot tone at the very end is ambiguous with punctuation, so each syllable is
  // checked in running text, before a lower-case word and before a full stop.
  for (const std::string& s : syllables) {
    for (const std::string& form : {s, to_upper(s), to_title(s)}) {
      const std::string text = form + " " + s + ".";
      INFO(text << " as " << encode_legacy(text, Encoding::kViqr));
      REQUIRE(decode(encode_legacy(text, Encoding::kViqr), Encoding::kViqr) == text);
    }
  }
}

TEST_CASE("TCVN3 keeps the capitals it has and lowers the others", "[legacy][tcvn3]") {
  CHECK(decode(encode_legacy("ĐƯỜNG ĂN Â", Encoding::kTcvn3), Encoding::kTcvn3) == "ĐƯờNG ĂN Â");
  CHECK(tcvn3_representable("ĐƯỜNG") == "ĐƯờNG");
}

TEST_CASE("source offsets point at the first byte of each letter", "[legacy][offsets]") {
  SECTION("VNI: a letter of two bytes maps to its base letter") {
    const std::string in = "Vie\xE4t Nam";
    const DecodedText d = decode_legacy(in, Encoding::kVni);
    REQUIRE(d.utf8 == "Việt Nam");
    check_offsets_shape(in, d);
    CHECK(d.source_offset == std::vector<std::size_t>{0, 1, 2, 2, 2, 4, 5, 6, 7, 8, 9});
  }
  SECTION("Windows-1258: base + combining tone") {
    const std::string in = "Vi\xEA\xF2t";
    const DecodedText d = decode_legacy(in, Encoding::kWindows1258);
    REQUIRE(d.utf8 == "Việt");
    CHECK(d.source_offset == std::vector<std::size_t>{0, 1, 2, 2, 2, 4, 5});
  }
  SECTION("TCVN3: one byte per letter") {
    const std::string in = "Vi\xD6t";
    const DecodedText d = decode_legacy(in, Encoding::kTcvn3);
    REQUIRE(d.utf8 == "Việt");
    CHECK(d.source_offset == std::vector<std::size_t>{0, 1, 2, 2, 2, 3, 4});
  }
  SECTION("VIQR: marks belong to their vowel") {
    const std::string in = "Vie^.t dda^u";
    const DecodedText d = decode_legacy(in, Encoding::kViqr);
    REQUIRE(d.utf8 == "Việt đâu");
    CHECK(d.source_offset == std::vector<std::size_t>{0, 1, 2, 2, 2, 5, 6, 7, 7, 9, 9, 11, 12});
  }
  SECTION("unmappable bytes become U+FFFD and are counted") {
    const std::string in = "a\x81 Vi\xEA\xF2t\x8A";
    const DecodedText d = decode_legacy(in, Encoding::kWindows1258);
    CHECK(d.utf8 == "a\xEF\xBF\xBD Việt\xEF\xBF\xBD");
    CHECK(d.unmappable == 2);
    check_offsets_shape(in, d);
    CHECK(d.source_offset[1] == 1);  // U+FFFD of byte 1
    CHECK(d.source_offset[d.utf8.size() - 1] == in.size() - 1);
    const DecodedText v = decode_legacy("ca\xC3\xA0 \xFF", Encoding::kViqr);  // VIQR is 7-bit
    CHECK(v.unmappable == 3);
    CHECK(v.utf8 == "ca\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD");
  }
  SECTION("mixed text in every encoding maps words back to their bytes") {
    const std::string text =
        "Thủ tướng: “Đà Nẵng, Huế và TP.HCM” đạt 13.926.122 lượt khách (2024) – ngày 7/2!";
    for (const Encoding e : kAllLegacy) {
      INFO(vnsearch::encoding_name(e));
      const std::string bytes = encode_legacy(text, e);
      const DecodedText d = decode_legacy(bytes, e);
      check_offsets_shape(bytes, d);
      check_words_map_back(bytes, d, e);
    }
  }
}

TEST_CASE("VIQR letters, escapes and punctuation", "[legacy][viqr]") {
  const auto viqr = [](std::string_view s) { return decode(s, Encoding::kViqr); };
  CHECK(viqr("Vie^.t Nam") == "Việt Nam");
  CHECK(viqr("a( a^ e^ o^ o+ u+ dd DD Dd") == "ă â ê ô ơ ư đ Đ Đ");
  CHECK(viqr("ngu+o+`i ddu+o+.c kho?e") == "người được khỏe");
  // Ordinary punctuation is not taken for tones.
  CHECK(viqr("Xin chao. Ban khoe khong?") == "Xin chao. Ban khoe khong?");
  CHECK(viqr("Ban co khoe? Toi khoe.") == "Ban co khoe? Toi khoe.");
  CHECK(viqr("Anh ddi dda^u?") == "Anh đi đâu?");
  CHECK(viqr("chao...") == "chao...");
  CHECK(viqr("Ha` No^.i.\nXin chao") == "Hà Nội.\nXin chao");
  // A hook or dot before a lower-case word, an escape or other punctuation is a tone.
  CHECK(viqr("me. to^i ca? nha`") == "mẹ tôi cả nhà");
  CHECK(viqr("Con ye^u me.\\.") == "Con yêu mẹ.");
  CHECK(viqr("me.. bo^'?, ca?!") == "mẹ. bố?, cả!");
  // ...and ambiguous at the very end or before a capital: punctuation (pinned behaviour).
  CHECK(viqr("Con ye^u me.") == "Con yêu me.");
  CHECK(viqr("me. Lan") == "me. Lan");
  CHECK(viqr("BI. BA('T") == "BỊ BẮT");
  // Marks only count after a vowel they fit; dd only at the start of a word.
  CHECK(viqr("C++ y^ i( address Todd") == "C++ y^ i( address Todd");
  CHECK(viqr("don't") == "don't");
  // Escapes.
  CHECK(viqr("a\\( dda^u\\? d\\d C:\\Windows \\\\") == "a( đâu? dd C:\\Windows \\");
  CHECK(encode_legacy("Bạn khỏe không? Chào. đâu? add (a) dd", Encoding::kViqr) ==
        "Ba.n kho?e kho^ng? Cha`o\\. dda^u\\? ad\\d (a) d\\d");
}

TEST_CASE("decoding arbitrary bytes never fails", "[legacy][fuzz]") {
  std::mt19937 rng(5712);
  for (int n = 0; n < 400; ++n) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    for (const Encoding e :
         {Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni, Encoding::kViscii,
          Encoding::kViqr, Encoding::kUtf8, Encoding::kAuto}) {
      INFO("encoding " << vnsearch::encoding_name(e) << " input #" << n);
      const DecodedText d = decode_legacy(bytes, e);
      REQUIRE(valid_utf8(d.utf8));
      check_offsets_shape(bytes, d);
      if (e != Encoding::kAuto) {
        // Encoding arbitrary (even ill-formed) UTF-8 must not fail either.
        (void)encode_legacy(bytes, e);
        (void)encode_legacy(d.utf8, e);
      }
    }
  }
}

namespace {

const std::vector<std::string> kParagraphs = {
    "Chiều nay, Ủy ban nhân dân thành phố Hà Nội tổ chức họp báo công bố kết quả phát triển kinh "
    "tế xã hội năm qua. Người dân được hỗ trợ nhiều hơn.",
    "Đội tuyển bóng đá Việt Nam thắng hai trận liên tiếp và giữ vững ngôi đầu bảng.",
    "Trường học ở vùng núi phía bắc thiếu giáo viên, học sinh phải đi bộ hàng giờ đến lớp.",
    "Giá xăng dầu tăng nhẹ từ chiều nay theo quyết định của liên bộ Công Thương và Tài chính.",
};

void check_detection(const std::string& text) {
  for (const Encoding e : kByteEncodings) {
    INFO(vnsearch::encoding_name(e) << ": " << text);
    CHECK(vnsearch::detect_legacy_encoding(encode_legacy(text, e)) == e);
  }
}

}  // namespace

TEST_CASE("detection picks the encoding of hand-made paragraphs", "[legacy][detect]") {
  for (const std::string& p : kParagraphs) check_detection(p);
  // Nothing Vietnamese in it: the tie goes to Windows-1258.
  CHECK(vnsearch::detect_legacy_encoding("hello world 123") == Encoding::kWindows1258);
  CHECK(vnsearch::detect_legacy_encoding("") == Encoding::kWindows1258);
  // kAuto keeps valid UTF-8 and detects the rest.
  CHECK(decode_legacy("Việt Nam", Encoding::kAuto).encoding == Encoding::kUtf8);
  const DecodedText d =
      decode_legacy(encode_legacy(kParagraphs[0], Encoding::kVni), Encoding::kAuto);
  CHECK(d.encoding == Encoding::kVni);
  CHECK(d.utf8 == kParagraphs[0]);
}

// Issue 7, row 6: one damaged byte used to send a whole UTF-8 page to Windows-1258.
TEST_CASE("kAuto keeps mostly well-formed UTF-8 and detects legacy text", "[legacy][detect]") {
  using vnsearch::detect_encoding;
  using vnsearch::reads_as_utf8;
  using vnsearch::utf8_census;
  std::string damaged = kParagraphs[0] + " " + kParagraphs[1];
  damaged.insert(damaged.find(' '), "\xFF");
  damaged.insert(damaged.rfind(' '), "\xE1\xBB");
  const vnsearch::Utf8Census census = utf8_census(damaged);
  CHECK(census.invalid == 2);
  CHECK(census.non_ascii > 40);
  CHECK(reads_as_utf8(census));
  CHECK(detect_encoding(damaged) == Encoding::kUtf8);
  const DecodedText d = decode_legacy(damaged, Encoding::kAuto);
  CHECK(d.encoding == Encoding::kUtf8);
  CHECK(d.unmappable == 2);

  for (const Encoding e : kByteEncodings) {
    const std::string bytes = encode_legacy(kParagraphs[2], e);
    INFO(vnsearch::encoding_name(e));
    CHECK_FALSE(reads_as_utf8(utf8_census(bytes)));
    CHECK(detect_encoding(bytes) == e);
  }
  // Too little text to call a stray byte legacy: it stays damaged UTF-8.
  CHECK(detect_encoding("Vi\xC3(t Nam") == Encoding::kUtf8);
  CHECK(detect_encoding(R"({"id": "x"})"
                        "\xFF") == Encoding::kUtf8);
  CHECK(detect_encoding("") == Encoding::kUtf8);
}

TEST_CASE("a declared encoding is followed unless plainly wrong", "[legacy][detect]") {
  using vnsearch::detect_encoding;
  const std::string& text = kParagraphs[3];
  // Declared UTF-8 over legacy bytes, or a legacy encoding over UTF-8 text: plainly wrong.
  CHECK(detect_encoding(encode_legacy(text, Encoding::kTcvn3), Encoding::kUtf8) ==
        Encoding::kTcvn3);
  CHECK(detect_encoding(text, Encoding::kWindows1258) == Encoding::kUtf8);
  // Declared TCVN3 over Windows-1258 bytes: TCVN3 reads far fewer syllables.
  CHECK(detect_encoding(encode_legacy(text, Encoding::kWindows1258), Encoding::kTcvn3) ==
        Encoding::kWindows1258);
  // A short VISCII title that detection alone takes for TCVN3; the declaration settles it.
  const std::string title = encode_legacy("Bạn trai chia tay vì nghe lời mẹ", Encoding::kViscii);
  CHECK(vnsearch::detect_legacy_encoding(title) == Encoding::kTcvn3);
  CHECK(detect_encoding(title, Encoding::kViscii) == Encoding::kViscii);
  // ASCII reads the same in all: the declaration stands.
  CHECK(detect_encoding("hello world", Encoding::kVni) == Encoding::kVni);
}

TEST_CASE("detection picks the encoding of real news paragraphs", "[legacy][detect][shared]") {
  const auto dir = shared_dir();
  if (!dir) {
    WARN("../shared absent: skipping detection on the news corpus");
    return;
  }
  const auto bodies = read_jsonl_field(*dir / "corpus" / "newsmds.jsonl", 12);
  REQUIRE(bodies.size() == 12);
  int checked = 0;
  for (const std::string& body : bodies) {
    // About sixty words from the middle of the article: a paragraph's worth.
    std::size_t start = body.find(' ', body.size() / 3);
    if (start == std::string::npos) continue;
    std::size_t end = start;
    for (int words = 0; words < 60 && end != std::string::npos; ++words)
      end = body.find(' ', end + 1);
    const std::string paragraph =
        body.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    check_detection(paragraph);
    for (const Encoding e : kByteEncodings) {
      const std::string bytes = encode_legacy(paragraph, e);
      const DecodedText d = decode_legacy(bytes, e);
      check_offsets_shape(bytes, d);
      check_words_map_back(bytes, d, e);
    }
    ++checked;
  }
  CHECK(checked >= 10);
}
