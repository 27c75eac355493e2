// Tokenization: token boundaries, kinds, compound tokens with parts, offsets, sentences.
#include <catch2/catch.hpp>

#include "vnsearch/tokenizer.h"

using vnsearch::Analyzer;
using vnsearch::Token;
using vnsearch::TokenKind;
using vnsearch::TokenRole;

namespace {

std::vector<std::string> exacts(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& token : tokens) out.push_back(token.exact);
  return out;
}

std::vector<std::string> folds(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& token : tokens) out.push_back(token.folded);
  return out;
}

std::vector<Token> whole_tokens(const std::vector<Token>& tokens) {
  std::vector<Token> out;
  for (const Token& token : tokens) {
    if (token.role != TokenRole::kPart) out.push_back(token);
  }
  return out;
}

}  // namespace

TEST_CASE("the seed query gives five tokens in both forms", "[analyzer]") {
  const std::string text = "Cụm thi đua số 8";
  const auto tokens = Analyzer().analyze(text);
  REQUIRE(tokens.size() == 5);
  CHECK(exacts(tokens) == std::vector<std::string>{"cụm", "thi", "đua", "số", "8"});
  CHECK(folds(tokens) == std::vector<std::string>{"cum", "thi", "dua", "so", "8"});
  CHECK(tokens[4].kind == TokenKind::kNumber);
  for (std::size_t i = 0; i < tokens.size(); ++i) CHECK(tokens[i].position == i);
  CHECK(text.substr(tokens[0].start, tokens[0].end - tokens[0].start) == "Cụm");
  CHECK(text.substr(tokens[2].start, tokens[2].end - tokens[2].start) == "đua");
}

TEST_CASE("numbers with Vietnamese separators and dates stay whole", "[analyzer]") {
  const auto tokens =
      whole_tokens(Analyzer().analyze("thu 13.926.122 đồng, tăng 721,89 ngày 16/11/2020"));
  REQUIRE(tokens.size() == 7);
  CHECK(tokens[1].exact == "13.926.122");
  CHECK(tokens[1].kind == TokenKind::kNumber);
  CHECK(tokens[4].exact == "721,89");
  CHECK(tokens[6].exact == "16/11/2020");
  CHECK(tokens[6].kind == TokenKind::kDate);
}

TEST_CASE("dates keep their parts at consecutive positions", "[analyzer]") {
  const auto tokens = Analyzer().analyze("16-11-2020 rồi");
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].role == TokenRole::kCompound);
  CHECK(tokens[0].exact == "16/11/2020");
  CHECK(tokens[1].exact == "16");
  CHECK(tokens[1].position == 0);
  CHECK(tokens[3].exact == "2020");
  CHECK(tokens[3].position == 2);
  CHECK(tokens[4].exact == "rồi");
  CHECK(tokens[4].position == 3);
}

TEST_CASE("codes are findable whole and by their parts", "[analyzer]") {
  const auto brvt = Analyzer().analyze("CA tỉnh BR-VT");
  REQUIRE(brvt.size() == 5);
  CHECK(brvt[2].kind == TokenKind::kCode);
  CHECK(brvt[2].exact == "brvt");
  CHECK(brvt[3].exact == "br");
  CHECK(brvt[4].exact == "vt");
  CHECK(brvt[3].position == brvt[2].position);
  CHECK(brvt[4].position == brvt[2].position + 1);

  const auto hcm = Analyzer().analyze("TP.HCM");
  REQUIRE(hcm.size() == 3);
  CHECK(hcm[0].exact == "tphcm");
  CHECK(hcm[2].exact == "hcm");

  const auto covid = Analyzer().analyze("Covid-19 và U23");
  CHECK(exacts(covid) ==
        std::vector<std::string>{"covid19", "covid", "19", "và", "u23", "u", "23"});
}

TEST_CASE("a missing space after a full stop is a sentence boundary, not a code", "[analyzer]") {
  const auto tokens = Analyzer().analyze("nhà tắm và bếp.Lực lượng");
  CHECK(exacts(tokens) == std::vector<std::string>{"nhà", "tắm", "và", "bếp", "lực", "lượng"});
  CHECK(tokens[3].sentence == 0);
  CHECK(tokens[4].sentence == 1);
}

TEST_CASE("e-mail addresses and URLs", "[analyzer]") {
  const auto email = Analyzer().analyze("gửi toasoan@baomoi.vn nhé");
  REQUIRE(email.size() >= 3);
  CHECK(email[1].kind == TokenKind::kEmail);
  CHECK(email[1].exact == "toasoan@baomoi.vn");
  CHECK(email.back().exact == "nhé");

  const auto url = whole_tokens(Analyzer().analyze("xem https://vnexpress.net/a-b-123.html. Sau"));
  REQUIRE(url.size() == 3);
  CHECK(url[1].kind == TokenKind::kUrl);
  CHECK(url[1].exact == "https://vnexpress.net/a-b-123.html");

  const auto domain = whole_tokens(Analyzer().analyze("mua ở thegioididong.vn"));
  REQUIRE(domain.size() == 3);
  CHECK(domain[2].kind == TokenKind::kUrl);
  CHECK(domain[2].exact == "thegioididong.vn");
}

TEST_CASE("sentence and paragraph boundaries", "[analyzer]") {
  const auto tokens = Analyzer().analyze("Một hai. Ba bốn!\nNăm");
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[1].sentence == 0);
  CHECK(tokens[2].sentence == 1);
  CHECK(tokens[3].paragraph == 0);
  CHECK(tokens[4].sentence == 2);
  CHECK(tokens[4].paragraph == 1);
}

TEST_CASE("stray combining mark re-attached in the analyzer", "[analyzer]") {
  const std::string text = "giá thi \xcc\xa3trường";
  const auto tokens = Analyzer().analyze(text);
  CHECK(exacts(tokens) == std::vector<std::string>{"giá", "thị", "trường"});
  CHECK(tokens[1].end == tokens[2].start);
}

TEST_CASE("invisible characters do not split words and offsets cover them", "[analyzer]") {
  const std::string text = "nghi\u00ADên c\u200Bứu";
  vnsearch::AnalysisReport report;
  std::vector<Token> tokens;
  report = Analyzer().analyze(text, tokens);
  CHECK(exacts(tokens) == std::vector<std::string>{"nghiên", "cứu"});
  CHECK(report.invisible_removed == 2);
  CHECK(tokens[1].end == text.size());
}

TEST_CASE("ill-formed UTF-8 is replaced and counted", "[analyzer]") {
  const std::string text = "Việt \xff\xfe Nam \xc3";
  std::vector<Token> tokens;
  const auto report = Analyzer().analyze(text, tokens);
  CHECK(exacts(tokens) == std::vector<std::string>{"việt", "nam"});
  CHECK(report.invalid_utf8_sequences == 3);
  CHECK(report.encoding == vnsearch::Encoding::kUtf8);
}

TEST_CASE("adversarial input stays bounded", "[analyzer]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "a-";
  const auto tokens = Analyzer().analyze(text);
  std::size_t compounds = 0;
  for (const Token& token : tokens) compounds += token.role == TokenRole::kCompound;
  CHECK(compounds >= 1000 / 32);
  CHECK(tokens.back().end <= text.size());
}
