// Tokenization: token boundaries, kinds, compound tokens with parts, offsets, sentences.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

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

namespace {

// Every field of every token, so two analyses can be compared as a whole.
std::string describe(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    out += std::to_string(t.start) + "-" + std::to_string(t.end) + " p" +
           std::to_string(t.position) + " s" + std::to_string(t.sentence) + " ¶" +
           std::to_string(t.paragraph) + " " + t.exact + "/" + t.folded + " " +
           std::string(vnsearch::token_kind_name(t.kind)) + " " +
           std::to_string(static_cast<int>(t.role)) + "\n";
  }
  return out;
}

// Feeds `input` through an AnalyzerStream the way `vnsearch tokenize` does, in pieces found by
// safe_length() on reads of `read_size` bytes.
std::vector<Token> streamed(std::string_view input, vnsearch::AnalyzerOptions options,
                            std::size_t read_size, std::size_t max_piece) {
  vnsearch::AnalyzerStream stream(options);
  std::vector<Token> tokens;
  std::string buffer;
  std::size_t read = 0;
  while (read < input.size()) {
    buffer.append(input.substr(read, read_size));
    read += std::min(read_size, input.size() - read);
    const bool end = read == input.size();
    std::size_t used = 0;
    while (used < buffer.size()) {
      const std::string_view rest = std::string_view(buffer).substr(used);
      const std::size_t length =
          end ? rest.size() : vnsearch::AnalyzerStream::safe_length(rest, max_piece);
      if (length == 0) break;
      stream.feed(rest.substr(0, length), tokens);
      used += length;
    }
    buffer.erase(0, used);
  }
  CHECK(stream.offset() == input.size());
  return tokens;
}

const std::string kStreamText =
    "Hội nghị tổng kết phong trào thi đua “Vì An ninh Tổ quốc” năm 2020. Sáng ngày 16/11, tại "
    "TP.HCM và BR-VT đã diễn ra hội nghị!\n\n\nLiên hệ ten@bao.vn hoặc https://bao.vn/a-b.html "
    "để biết thêm.  Giá 13.926.122 đồng… Đội U23 thắng 2-1.\r\nDòng cuối không có dấu chấm\n"
    "Một dòng rất dài không có xuống dòng nào cả để buộc phải cắt ở khoảng trắng giữa các từ, "
    "rồi tiếp tục thêm nhiều chữ nữa cho đủ dài. Câu mới bắt đầu ở đây và chạy tiếp thật xa. ";

}  // namespace

// Issue 7, row 16: `vnsearch tokenize` read all of stdin first (100 MB took 5 GB). The stream
// must give exactly what the whole text gives.
TEST_CASE("AnalyzerStream gives the tokens of the whole text", "[analyzer][stream]") {
  std::string text;
  for (int i = 0; i < 20; ++i) text += kStreamText + std::to_string(i) + "\n";
  text += "tận cùng không xuống dòng";
  for (const vnsearch::Encoding encoding : {vnsearch::Encoding::kAuto, vnsearch::Encoding::kUtf8,
                                            vnsearch::Encoding::kTcvn3, vnsearch::Encoding::kVni}) {
    vnsearch::AnalyzerOptions options;
    options.encoding = encoding;
    const bool legacy =
        encoding != vnsearch::Encoding::kAuto && encoding != vnsearch::Encoding::kUtf8;
    const std::string input = legacy ? vnsearch::encode_legacy(text, encoding) : text;
    const std::string whole = describe(Analyzer(options).analyze(input));
    INFO(vnsearch::encoding_name(encoding));
    // Reads smaller than a line, line-sized pieces, and pieces cut at white space mid-line.
    for (const auto& [read_size, max_piece] : std::vector<std::pair<std::size_t, std::size_t>>{
             {7, 1u << 20}, {300, 1u << 20}, {64, 120}, {1000, 90}, {1u << 20, 1u << 20}}) {
      INFO("read " << read_size << ", max piece " << max_piece);
      CHECK(describe(streamed(input, options, read_size, max_piece)) == whole);
    }
  }
  // kAuto on legacy bytes: decided on the first non-ASCII piece, as the whole text decides.
  const std::string tcvn3 = "Tin moi\n" + vnsearch::encode_legacy(text, vnsearch::Encoding::kTcvn3);
  CHECK(describe(streamed(tcvn3, {}, 100, 1u << 20)) == describe(Analyzer().analyze(tcvn3)));
}

TEST_CASE("AnalyzerStream::safe_length cuts after a line, else at white space",
          "[analyzer][stream]") {
  using vnsearch::AnalyzerStream;
  CHECK(AnalyzerStream::safe_length("một\nhai\nba", 100) == 10);
  CHECK(AnalyzerStream::safe_length("không xuống dòng", 100) == 0);  // wait for more
  CHECK(AnalyzerStream::safe_length("không xuống dòng", 10) == 7);   // "không " fits in 10
  // No white space at all: a cut on a character boundary, never inside "ố" (3 bytes).
  const std::string run = "aaaaaaaaố" + std::string(20, 'b');  // ố at bytes 8-10
  for (std::size_t max = 8; max <= 12; ++max) {
    const std::size_t cut = AnalyzerStream::safe_length(run, max);
    INFO(max);
    CHECK(cut > 0);
    CHECK(cut <= max);
    CHECK((cut <= 8 || cut >= 11));
  }
  CHECK(AnalyzerStream::safe_length(std::string(10, 'x'), 10) == 0);  // the next byte decides
}
