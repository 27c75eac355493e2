// Deterministic fuzzing of the public API: random bytes and random mixes of the characters that
// make Vietnamese text hard (combining marks, invisible characters, full-width forms). The
// analyzer must never crash, and its offsets and forms must stay well-formed whatever comes in.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "syllable_inventory.h"
#include "vnsearch/tokenizer.h"

namespace {

using vnsearch::Token;

std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Pieces a random Vietnamese-like text is made of, by family.
struct Alphabet {
  std::vector<std::string> letters, marks, invisible, digits, punctuation, fullwidth;

  Alphabet() {
    for (const char* s :
         {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "đ", "Đ", "b", "c", "d",
          "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x", "A", "Ư", "Ơ", "Ê",
          "Q", "G", "N", "H", "ạ", "ế", "ờ", "ử", "ỹ", "Ỵ", "à", "ó", "Ð", "f", "j", "w", "z"})
      letters.emplace_back(s);
    for (char32_t m = 0x0300; m <= 0x0323; ++m) marks.push_back(utf8(m));
    for (char32_t c : {0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF})
      invisible.push_back(utf8(c));
    for (char c = '0'; c <= '9'; ++c) digits.emplace_back(1, c);
    for (const char* s :
         {" ", " ", " ", "\n", "\t",       ".",    ",",   "-",    "/",      "_",     "@", ":",
          "%", "(", ")", "\"", "'",        "…",    "“",   "”",    "‘",      "’",     "–", "—",
          "!", "?", "#", "&",  "https://", "www.", ".vn", "\r\n", "\u00A0", "\u3000"})
      punctuation.emplace_back(s);
    for (char32_t c = 0xFF01; c <= 0xFF5E; c += 3) fullwidth.push_back(utf8(c));
  }
};

const Alphabet& alphabet() {
  static const Alphabet a;
  return a;
}

// A random text of `pieces` pieces; `with_fullwidth` adds full-width forms (whose folding to ASCII
// the header does not promise).
std::string random_mix(std::mt19937& rng, std::size_t pieces, bool with_fullwidth) {
  const Alphabet& a = alphabet();
  std::vector<const std::vector<std::string>*> families = {
      &a.letters,   &a.letters, &a.letters,     &a.marks,
      &a.invisible, &a.digits,  &a.punctuation, &a.punctuation};
  if (with_fullwidth) families.push_back(&a.fullwidth);
  std::string out;
  for (std::size_t i = 0; i < pieces; ++i) {
    const auto& family = *families[rng() % families.size()];
    out += family[rng() % family.size()];
  }
  return out;
}

std::string random_bytes(std::mt19937& rng, std::size_t size) {
  std::string out(size, '\0');
  for (auto& c : out) {
    // Bias towards the lead and continuation bytes that make interesting ill-formed UTF-8.
    const unsigned r = rng() % 4;
    c = static_cast<char>(r == 0 ? 0x80 + rng() % 0x40 : r == 1 ? 0xC0 + rng() % 0x40 : rng());
  }
  return out;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool has_space(std::string_view s) {
  for (const char* space : {" ", "\n", "\t", "\r", "\u00A0", "\u3000"})
    if (s.find(space) != std::string_view::npos) return true;
  return false;
}

// Any code point of the Combining Diacritical Marks block U+0300..U+036F (UTF-8 CC 80..CD AF).
bool has_combining_mark(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
    if ((a == 0xCC && b >= 0x80 && b <= 0xBF) || (a == 0xCD && b >= 0x80 && b <= 0xAF)) return true;
  }
  return false;
}

bool has_invisible(std::string_view s) {
  for (const auto& inv : alphabet().invisible)
    if (s.find(inv) != std::string_view::npos) return true;
  return false;
}

// Describes the first violation of the invariants that hold for any input, or "".
std::string violation(std::string_view input, const std::vector<Token>& tokens,
                      bool input_is_utf8) {
  for (const auto& t : tokens) {
    std::ostringstream where;
    where << "token '" << t.exact << "' [" << t.start << "," << t.end << "): ";
    if (!(t.start < t.end && t.end <= input.size())) return where.str() + "offsets out of bounds";
    if (input_is_utf8 && (!on_utf8_boundary(input, t.start) || !on_utf8_boundary(input, t.end)))
      return where.str() + "offset inside a UTF-8 sequence";
    if (!valid_utf8(t.exact) || !valid_utf8(t.folded)) return where.str() + "invalid UTF-8 form";
    if (t.exact.empty() || t.folded.empty()) return where.str() + "empty form";
    if (has_invisible(t.exact) || has_invisible(t.folded))
      return where.str() + "invisible character kept";
  }
  return {};
}

std::string hex(std::string_view s) {
  std::ostringstream out;
  for (unsigned char c : s) out << std::hex << static_cast<int>(c) << ' ';
  return out.str();
}

constexpr std::size_t kCases = 1500;

}  // namespace

TEST_CASE("random bytes never break the analyzer", "[fuzz]") {
  std::mt19937 rng(20240611);
  const vnsearch::Analyzer analyzer;
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < kCases; ++i) {
    const std::string input = random_bytes(rng, rng() % 200);
    tokens.clear();
    analyzer.analyze(input, tokens);
    const auto bad = violation(input, tokens, valid_utf8(input));
    INFO("case " << i << " bytes: " << hex(input));
    REQUIRE(bad == "");
    // The word-level functions must also return valid UTF-8 on anything.
    REQUIRE(valid_utf8(vnsearch::to_exact(input)));
    REQUIRE(valid_utf8(vnsearch::to_folded(input)));
    (void)vnsearch::is_vietnamese_syllable(input);
  }
}

TEST_CASE("random bytes decoded as each legacy encoding keep offsets in bounds", "[fuzz]") {
  std::mt19937 rng(1258);
  for (auto enc :
       {vnsearch::Encoding::kWindows1258, vnsearch::Encoding::kTcvn3, vnsearch::Encoding::kVni,
        vnsearch::Encoding::kViscii, vnsearch::Encoding::kViqr}) {
    vnsearch::AnalyzerOptions options;
    options.encoding = enc;
    const vnsearch::Analyzer analyzer(options);
    for (std::size_t i = 0; i < kCases / 10; ++i) {
      const std::string input = random_bytes(rng, rng() % 120);
      const auto tokens = analyzer.analyze(input);
      INFO("encoding " << static_cast<int>(enc) << " bytes: " << hex(input));
      REQUIRE(violation(input, tokens, false) == "");
    }
  }
}

TEST_CASE("random Vietnamese-like text keeps offsets and forms well-formed", "[fuzz]") {
  std::mt19937 rng(84);
  const vnsearch::Analyzer analyzer;
  std::vector<Token> tokens;
  const auto began = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < kCases; ++i) {
    const bool fullwidth = i % 3 == 0;
    const std::string input = random_mix(rng, 1 + rng() % 80, fullwidth);
    tokens.clear();
    analyzer.analyze(input, tokens);
    INFO("case " << i << " input '" << input << "' bytes: " << hex(input));
    REQUIRE(violation(input, tokens, true) == "");
    for (const auto& t : tokens) {
      INFO("token '" << t.exact << "' folded '" << t.folded << "'");
      // Forms are fixed points: analysing the exact form again changes nothing.
      REQUIRE(vnsearch::to_exact(t.exact) == t.exact);
      REQUIRE(vnsearch::to_folded(t.exact) == t.folded);
      // A token never spans white space (a stray mark after a space is not a reason to).
      CHECK_FALSE(has_space(t.exact));
      // "every mark removed": no combining mark survives folding.
      CHECK_FALSE(has_combining_mark(t.folded));
      // Without full-width forms, a word, number, date or code is made of Vietnamese letters,
      // marks, digits and ASCII joiners, so its folded form is ASCII. (URLs may keep “ or –.)
      if (!fullwidth && t.kind != vnsearch::TokenKind::kUrl) {
        CHECK(is_ascii(t.folded));
      }
    }
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  // Guards against accidental quadratic behaviour on mark runs (generous for sanitizer builds).
  CHECK(seconds < 10.0);
}

TEST_CASE("to_exact and to_folded are idempotent on random text", "[fuzz]") {
  std::mt19937 rng(7);
  for (std::size_t i = 0; i < kCases; ++i) {
    const std::string input = random_mix(rng, 1 + rng() % 40, i % 2 == 0);
    const std::string exact = vnsearch::to_exact(input);
    INFO("input '" << input << "' bytes: " << hex(input) << " exact '" << exact << "'");
    REQUIRE(valid_utf8(exact));
    CHECK(vnsearch::to_exact(exact) == exact);
    CHECK(vnsearch::to_folded(input) == vnsearch::to_folded(exact));
    CHECK_FALSE(has_invisible(exact));
  }
}

TEST_CASE("long runs of combining marks and invisibles stay fast", "[fuzz]") {
  const vnsearch::Analyzer analyzer;
  std::string marks = "a";
  for (int i = 0; i < 20000; ++i) marks += (i % 2 == 0) ? "\u0301" : "\u200B";
  const auto began = std::chrono::steady_clock::now();
  const auto tokens = analyzer.analyze(marks);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  CHECK(violation(marks, tokens, true) == "");
  CHECK(seconds < 2.0);
}
