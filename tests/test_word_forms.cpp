// Exact and folded forms of single words: tone placement, normalization forms, invisible
// characters, compatibility forms and the syllable recogniser.
#include <catch2/catch.hpp>

#include "vnsearch/tokenizer.h"

using vnsearch::is_vietnamese_syllable;
using vnsearch::to_exact;
using vnsearch::to_folded;

TEST_CASE("old and new tone placement, NFD and case give one exact form", "[word_forms]") {
  const std::string canonical = "hòa";
  CHECK(to_exact("hòa") == canonical);
  CHECK(to_exact("hoà") == canonical);
  CHECK(to_exact("HÒA") == canonical);
  CHECK(to_exact("HOÀ") == canonical);
  CHECK(to_exact("ho\xcc\x80"
                 "a") == canonical);            // NFD, tone on o
  CHECK(to_exact("hoa\xcc\x80") == canonical);  // NFD, tone on a (new style)
  CHECK(to_exact("thuỷ") == "thủy");
  CHECK(to_exact("khoẻ") == "khỏe");
  CHECK(to_exact("qúy") == "quý");
  CHECK(to_exact("QÚY") == "quý");
}

TEST_CASE("closed syllables and marked vowels keep the tone where it belongs", "[word_forms]") {
  CHECK(to_exact("hoàn") == "hoàn");
  CHECK(to_exact("hòan") == "hoàn");  // misplaced on a closed syllable
  CHECK(to_exact("người") == "người");
  CHECK(to_exact("ngừơi") == "người");  // tone on ư instead of ơ
  CHECK(to_exact("thuyết") == "thuyết");
  CHECK(to_exact("thúyết") == "thúyết");  // two tones: not a syllable, left as written
  CHECK(to_exact("giữ") == "giữ");
  CHECK(to_exact("gìn") == "gìn");
  CHECK(to_exact("xoáy") == "xoáy");
  CHECK(to_exact("xoay\xcc\x81") == "xoáy");
  CHECK(to_exact("khuỷu") == "khuỷu");
}

TEST_CASE("folded form drops every mark and maps đ to d", "[word_forms]") {
  CHECK(to_folded("Cụm thi đua số 8") == "cum thi dua so 8");
  CHECK(to_folded("ĐƯỜNG") == "duong");
  CHECK(to_folded("dừa") == "dua");
  CHECK(to_exact("dừa") != to_exact("đua"));
}

TEST_CASE("invisible characters are removed without splitting the word", "[word_forms]") {
  CHECK(to_exact("nghi\u00ADên") == "nghiên");
  CHECK(to_exact("Vi\u200Bệt") == "việt");
  CHECK(to_exact("\uFEFFNam") == "nam");
  CHECK(to_exact("h\u200Eoa\u200F") == "hoa");
}

TEST_CASE("compatibility forms fold as NFKC does", "[word_forms]") {
  CHECK(to_exact("ＶＩＥＴ") == "viet");
  CHECK(to_exact("２０２０") == "2020");
}

TEST_CASE("eth read as đ in Vietnamese words", "[word_forms]") {
  CHECK(to_exact("\u00D0ua") == "đua");
  CHECK(to_folded("\u00D0ẠI") == "dai");
}

TEST_CASE("stray combining mark after a space joins the word before it", "[word_forms]") {
  CHECK(to_exact("thi \xcc\xa3trường") == "thị trường");
  CHECK(to_exact("\xcc\xa3trường") == "trường");  // nothing before: dropped
}

TEST_CASE("foreign letters are folded by ICU Latin-ASCII", "[word_forms]") {
  CHECK(to_exact("Café") == "café");
  CHECK(to_folded("Ñandú") == "nandu");
  CHECK(to_folded("Straße") == "strasse");
}

TEST_CASE("syllable recogniser", "[word_forms]") {
  for (const char* word :
       {"thi", "đua", "người", "nghiêng", "khuỷu", "quý", "gìn", "Hòa", "xoong", "thuở", "HOÀ"}) {
    INFO(word);
    CHECK(is_vietnamese_syllable(word));
  }
  for (const char* word : {"gaza", "xyz", "israel", "hamas", "strong", "b", "", "thúyết", "2020"}) {
    INFO(word);
    CHECK_FALSE(is_vietnamese_syllable(word));
  }
}

TEST_CASE("ill-formed UTF-8 never crashes and becomes U+FFFD", "[word_forms]") {
  CHECK(to_exact("a\xff"
                 "b") == "a\uFFFDb");
  CHECK(to_folded("\xc3") == "\uFFFD");
}
