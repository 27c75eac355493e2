// The arena-backed output (vnsearch/token_batch.h) against the classic std::vector<Token> API
// and against forms computed independently by to_exact / to_folded: the analyzer composes each
// form straight into the arena at an offset, so a wrong offset, a shared folded form that is not
// the same, or a compound joined from the wrong bytes shows up here.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vnsearch/token_batch.h"
#include "vnsearch/tokenizer.h"

using vnsearch::Analyzer;
using vnsearch::AnalyzerOptions;
using vnsearch::AnalyzerStream;
using vnsearch::Encoding;
using vnsearch::Token;
using vnsearch::TokenBatch;
using vnsearch::TokenKind;
using vnsearch::TokenRole;
using vnsearch::TokenView;

namespace {

// Every kind of token and every repair the analyzer makes, then plain Vietnamese.
const std::string kVaried =
    "TP.HCM có 13.926.122 người, 721,89 tỷ; xem https://bao.vn/a-b.html?x=1&y=2 hoặc www.bao.vn, "
    "thegioididong.vn và ten.ho@bao.com.vn. Ngày 16/11/2020 (16-11), Covid-19 ở BR-VT, U23, R&D, "
    "A/B, thủ_tướng, 1.000.000đ, U.S. và bếp.Lực! "
    "thi \xCC\xA3trường Vie\xCC\x82\xCC\xA3t Vi\xC2\xADệt N\xE2\x80\x8B"
    "am \xE2\x80\xAE"
    "bidi, hoà hòa HOÀ thuở QUÝ ĐẮK LẮK. "
    "ＦＵＬＬ ｶﾞ \xEF\xBE\x9E Straße ﬁnance Ñandú Москва 中文 ١٢٣ "
    "nghiêngggggggggggggggggggggggggggg "
    "a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a "
    "bad \xFF\xFE bytes \xC3\x28 and \xE1\xBA cut\n\n"
    "Đoạn hai: 30/02, 2020-11-16, v1.2.3, 3.14.15.92, A\xE2\x80\x93"
    "B, 0,5 e\xCC\x81 \xCC\x80"
    "abc 12\xC2\xAD.345 …\n"
    "Thủ tướng Chính phủ yêu cầu các bộ, ngành nghiên cứu, đề xuất giải pháp.";

// A text long enough to cross the analyzer's internal batches of atoms several times.
std::string long_text() {
  std::string text;
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < round % 7; ++i) text += "chữ ";
    text += kVaried;
    text += '\n';
  }
  return text;
}

bool same(const TokenView& view, const Token& token) {
  return view.start == token.start && view.end == token.end && view.position == token.position &&
         view.sentence == token.sentence && view.paragraph == token.paragraph &&
         view.exact == token.exact && view.folded == token.folded && view.kind == token.kind &&
         view.role == token.role;
}

// The batch and the vector hold the same tokens, field by field.
void require_same(const TokenBatch& batch, const std::vector<Token>& tokens) {
  REQUIRE(batch.size() == tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    INFO("token " << i << " [" << tokens[i].exact << "] at " << tokens[i].start);
    REQUIRE(same(batch[i], tokens[i]));
  }
}

}  // namespace

TEST_CASE("a TokenBatch holds the tokens the vector API gives", "[token_batch]") {
  const std::string text = long_text();
  AnalyzerOptions no_parts;
  no_parts.emit_parts = false;
  AnalyzerOptions utf8;
  utf8.encoding = Encoding::kUtf8;
  for (const AnalyzerOptions& options : {AnalyzerOptions{}, no_parts, utf8}) {
    const Analyzer analyzer(options);
    TokenBatch batch;
    std::vector<Token> tokens;
    const auto from_batch = analyzer.analyze(text, batch);
    const auto from_vector = analyzer.analyze(text, tokens);
    CHECK(from_batch.invalid_utf8_sequences == from_vector.invalid_utf8_sequences);
    CHECK(from_batch.invisible_removed == from_vector.invisible_removed);
    REQUIRE(tokens.size() > 1000);
    require_same(batch, tokens);
  }
}

TEST_CASE("TokenBatch forms match to_exact and to_folded of the source text", "[token_batch]") {
  const std::string text = long_text();
  TokenBatch batch;
  Analyzer().analyze(text, batch);
  std::size_t checked = 0, shared = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const TokenView token = batch[i];
    const std::string_view source =
        std::string_view(text).substr(token.start, token.end - token.start);
    INFO("token " << i << " [" << token.exact << "] from [" << source << "]");
    REQUIRE(!token.exact.empty());
    REQUIRE(!token.folded.empty());
    shared += token.exact.data() == token.folded.data();
    if (token.role == TokenRole::kCompound && token.kind != TokenKind::kUrl &&
        token.kind != TokenKind::kEmail) {
      // A code, number or date is its parts joined ('/' between the parts of a date).
      std::string exact, folded;
      std::size_t p = i + 1;
      for (; p < batch.size() && batch[p].role == TokenRole::kPart; ++p) {
        if (token.kind == TokenKind::kDate && p > i + 1) {
          exact += '/';
          folded += '/';
        }
        exact += batch[p].exact;
        folded += batch[p].folded;
      }
      REQUIRE(p > i + 1);
      CHECK(token.exact == exact);
      CHECK(token.folded == folded);
    } else {
      CHECK(token.exact == vnsearch::to_exact(source));
      CHECK(token.folded == vnsearch::to_folded(source));
    }
    ++checked;
  }
  CHECK(checked > 1000);
  CHECK(shared > 100);  // plain ASCII words share one copy of their bytes
}

TEST_CASE("without parts, a batch holds each compound whole", "[token_batch]") {
  AnalyzerOptions no_parts;
  no_parts.emit_parts = false;
  TokenBatch with, without;
  Analyzer().analyze(kVaried, with);
  Analyzer(no_parts).analyze(kVaried, without);
  std::size_t w = 0, compounds = 0;
  for (std::size_t i = 0; i < with.size(); ++i) {
    const TokenView token = with[i];
    if (token.role == TokenRole::kPart) continue;
    REQUIRE(w < without.size());
    const TokenView whole = without[w++];
    INFO("[" << token.exact << "] against [" << whole.exact << "]");
    CHECK(whole.role == TokenRole::kSimple);
    CHECK(whole.start == token.start);
    CHECK(whole.end == token.end);
    CHECK(whole.exact == token.exact);
    CHECK(whole.folded == token.folded);
    CHECK(whole.kind == token.kind);
    compounds += token.role == TokenRole::kCompound;
  }
  CHECK(w == without.size());
  CHECK(compounds > 15);
}

TEST_CASE("a TokenBatch appends, copies and is reused after clear", "[token_batch]") {
  const Analyzer analyzer;
  const std::string first = "Covid-19 ở TP.HCM ngày 16/11/2020", second = long_text();
  std::vector<Token> expected = analyzer.analyze(first);
  const std::size_t first_count = expected.size();
  analyzer.analyze(second, expected);  // the vector API appends too
  TokenBatch batch;
  analyzer.analyze(first, batch);
  REQUIRE(batch.size() == first_count);
  const TokenView before = batch[0];
  const std::string kept(before.exact);
  analyzer.analyze(second, batch);  // grows the arena: earlier tokens stay readable by index
  require_same(batch, expected);
  CHECK(batch[0].exact == kept);

  const TokenBatch copy = batch;
  require_same(copy, expected);
  std::vector<Token> appended;
  copy.append_to(appended);
  REQUIRE(appended.size() == expected.size());
  for (std::size_t i = 0; i < appended.size(); ++i) REQUIRE(same(copy[i], appended[i]));
  std::size_t iterated = 0;
  for (const TokenView token : copy) CHECK(same(token, expected[iterated++]));
  CHECK(iterated == expected.size());

  batch.clear();
  CHECK(batch.empty());
  analyzer.analyze(first, batch);
  REQUIRE(batch.size() == first_count);
  for (std::size_t i = 0; i < first_count; ++i) CHECK(same(batch[i], expected[i]));
  CHECK(batch[0].to_token().exact == expected[0].exact);

  // A moved-from batch is empty and can be filled again (it once kept its old arena size and
  // wrote through the moved-away arena).
  TokenBatch moved = std::move(batch);
  REQUIRE(moved.size() == first_count);
  CHECK(batch.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  batch.clear();
  analyzer.analyze(second, batch);
  TokenBatch assigned;
  assigned = std::move(moved);
  analyzer.analyze(first, moved);
  REQUIRE(batch.size() == expected.size() - first_count);
  for (std::size_t i = 0; i < batch.size(); ++i) CHECK(same(batch[i], expected[first_count + i]));
  REQUIRE(moved.size() == first_count);
  REQUIRE(assigned.size() == first_count);
  for (std::size_t i = 0; i < first_count; ++i) {
    CHECK(same(moved[i], expected[i]));
    CHECK(same(assigned[i], expected[i]));
  }
}

TEST_CASE("streams and legacy encodings give the same tokens into a batch", "[token_batch]") {
  // Windows-1258 (decomposed tones): `Việt Nam Đà Nẵng`, detected by kAuto.
  const std::string legacy = "Vi\xEA\xF2t Nam \xD0\xE0 N\xE3\xDEng v\xE0 TP.HCM 16/11/2020";
  TokenBatch batch;
  std::vector<Token> tokens;
  const auto report = Analyzer().analyze(legacy, batch);
  Analyzer().analyze(legacy, tokens);
  CHECK(report.encoding == Encoding::kWindows1258);
  require_same(batch, tokens);
  REQUIRE(batch.size() > 4);
  CHECK(batch[0].exact == "việt");
  CHECK(batch[0].end == 5);  // offsets into the legacy bytes

  const std::string text = long_text();
  AnalyzerStream into_batch, into_vector;
  TokenBatch streamed;
  std::vector<Token> streamed_tokens;
  for (std::size_t from = 0; from < text.size();) {
    const std::string_view rest = std::string_view(text).substr(from);
    std::size_t length = AnalyzerStream::safe_length(rest, 512);
    if (length == 0) length = rest.size();
    into_batch.feed(rest.substr(0, length), streamed);
    into_vector.feed(rest.substr(0, length), streamed_tokens);
    from += length;
  }
  require_same(streamed, streamed_tokens);
  REQUIRE(streamed.size() > 1000);
  CHECK(streamed[streamed.size() - 1].end <= text.size());
}
