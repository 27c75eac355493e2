// Offsets are the contract with highlighting and snippets: every token must point at bytes of the
// caller's original text that normalize to the token. Checked on bundled sentences that need no
// data, then on thousands of real articles from ../shared when it is present.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "shared_data.h"
#include "syllable_inventory.h"
#include "vnsearch/tokenizer.h"

namespace {

using vnsearch::Token;
using vnsearch::TokenRole;

// Checks the offset invariants of `tokens` over `text`; returns a description of the first few
// violations (empty when all hold).
std::string offset_violations(std::string_view text, const std::vector<Token>& tokens) {
  std::ostringstream bad;
  int shown = 0;
  const auto fail = [&](const Token& t, const std::string& what) {
    if (shown++ >= 5) return;
    bad << "  token '" << t.exact << "' [" << t.start << "," << t.end << ") pos " << t.position
        << " role " << static_cast<int>(t.role) << ": " << what;
    if (t.start <= t.end && t.end <= text.size())
      bad << " (original '" << text.substr(t.start, t.end - t.start) << "')";
    bad << "\n";
  };
  const Token* compound = nullptr;  // the compound whose parts are being read
  const Token* previous = nullptr;
  for (const auto& t : tokens) {
    if (!(t.start < t.end && t.end <= text.size())) {
      fail(t, "offsets out of bounds or empty");
      previous = &t;
      continue;
    }
    if (!on_utf8_boundary(text, t.start) || !on_utf8_boundary(text, t.end))
      fail(t, "offset inside a UTF-8 sequence");
    if (t.exact.empty()) fail(t, "empty exact form");
    if (previous != nullptr && t.position < previous->position) fail(t, "position decreases");
    if (previous != nullptr && t.sentence < previous->sentence) fail(t, "sentence decreases");
    if (previous != nullptr && t.paragraph < previous->paragraph) fail(t, "paragraph decreases");
    const std::string original(text.substr(t.start, t.end - t.start));
    switch (t.role) {
      case TokenRole::kCompound:
        compound = &t;
        break;
      case TokenRole::kPart:
        if (compound == nullptr) {
          fail(t, "part without a preceding compound");
        } else {
          if (t.start < compound->start || t.end > compound->end)
            fail(t, "part outside its compound");
          if (previous == compound && t.position != compound->position)
            fail(t, "first part does not share the compound's position");
        }
        [[fallthrough]];
      case TokenRole::kSimple:
        if (t.role == TokenRole::kSimple) compound = nullptr;
        if (const auto normalized = vnsearch::to_exact(original); normalized != t.exact)
          fail(t, "original normalizes to '" + normalized + "'");
        break;
    }
    previous = &t;
  }
  return bad.str();
}

// Runs the analyzer over each text and checks the invariants; returns the number of tokens.
std::size_t check_texts(const std::vector<std::string>& texts, const std::string& origin) {
  const vnsearch::Analyzer analyzer;
  std::vector<Token> tokens;
  std::size_t total = 0, failed = 0;
  std::string first_failure;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    tokens.clear();
    analyzer.analyze(texts[i], tokens);
    total += tokens.size();
    if (const auto bad = offset_violations(texts[i], tokens); !bad.empty()) {
      if (failed++ < 3) first_failure += origin + " #" + std::to_string(i) + ":\n" + bad;
    }
  }
  INFO(origin << ": " << failed << " of " << texts.size() << " texts violate offsets\n"
              << first_failure);
  CHECK(failed == 0);
  return total;
}

// Sentences chosen for what moves offsets: NFD input, tone placement, invisible characters, stray
// marks, legacy-looking letters, codes, dates, numbers, URLs and e-mail addresses.
const std::vector<std::string> kBundled = {
    "Hội nghị tổng kết phong trào thi đua ‘Vì An ninh Tổ quốc” năm 2020 của cụm thi đua số 8.",
    "Sáng ngày 16/11, tại hội trường Công an tỉnh BR-VT đã diễn ra hội nghị.",
    "Ho\u0300a bi\u0300nh va\u0300 thu\u0309y lơ\u0323i",  // NFD
    "hoà thuận, thuỷ lợi, khoẻ mạnh, qúy khách",           // new style and misplaced tone
    "nghi\u00ADên cứu, Việt\u200BNam, \u200E\u200Fđiều\u2060hành, \uFEFFđầu",
    "giá thi ̣trường tăng 13.926.122 đồng, lãi suất 721,89%",
    "TP.HCM, Covid-19, U23 Việt Nam, XIII, HĐND, UBND tỉnh",
    "Liên hệ ten@bao.vn hoặc https://bao.vn/a.html và www.bao.vn, thegioididong.vn",
    "ÐÀ NẴNG, Ðồng Nai",  // U+00D0 eth used for Đ
    "Ｆｕｌｌ－ｗｉｄｔｈ ＶＩỆＴ ＮＡＭ １２３",
    "Dòng một.\nDòng hai!\n\nĐoạn mới? Câu kế tiếp… hết",
    "Số 2\u00AD021, mã A2\u200BB, U23\u2060VN, ngày 16/11\u200B/2020, 13.926\uFEFF.122 đồng",
    "\u0301\u0323 dấu đứng đầu, ̉ một mình, a\u0301\u0301 hai dấu",
    "ﬁ ligature, ǅ digraph, İstanbul, ß straße, ΑΒΓ ελληνικά, 中文, عربي, 😀 emoji",
};

}  // namespace

TEST_CASE("offsets of bundled sentences point at their tokens", "[offsets]") {
  CHECK(check_texts(kBundled, "bundled") > 100);
}

TEST_CASE("offsets of real articles point at their tokens", "[offsets][shared]") {
  const auto shared = shared_dir();
  if (!shared) {
    WARN("skipped: ../shared not found");
    return;
  }
  const auto corpus = *shared / "corpus";
  std::size_t tokens = 0;
  tokens += check_texts(read_jsonl_zst_bodies(corpus / "baomoi-2017.jsonl.zst", 2000), "baomoi");
  tokens += check_texts(read_jsonl_field(corpus / "newsmds.jsonl", 600, "body"), "newsmds");
  tokens +=
      check_texts(read_jsonl_field(corpus / "vinewsqa-articles.jsonl", 600, "body"), "vinewsqa");
  tokens +=
      check_texts({read_text_file(corpus / "portal" / "ca-brvt-cum-thi-dua-so-8.txt")}, "portal");
  INFO(tokens << " tokens checked");
  CHECK(tokens > 500000);
}
