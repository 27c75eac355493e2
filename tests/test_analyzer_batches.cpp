// The analyzer groups and emits its atoms in batches while it scans (analyzer.cpp, kAtomBatch):
// no code, number, date, URL, e-mail address or re-attached stray mark may be cut or changed
// where one batch ends and the next begins.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "vnsearch/tokenizer.h"

using vnsearch::Analyzer;
using vnsearch::Token;

namespace {

// One block of text whose tokens are known when analysed alone; repeated with a varying number
// of plain words in front, its compounds fall on every offset relative to a batch boundary.
const std::string kBlock =
    "TP.HCM có 13.926.122 người, xem https://bao.vn/a-b.html?x=1&y=2 hoặc ten@bao.vn "
    "ngày 16/11/2020, Covid-19 ở BR-VT thi ̣trường U23. ";

struct Shape {
  std::string exact, folded;
  vnsearch::TokenKind kind;
  vnsearch::TokenRole role;
  std::size_t length;
  std::uint32_t position;
  bool operator==(const Shape&) const = default;
};

std::vector<Shape> shapes(const std::vector<Token>& tokens, std::size_t from, std::size_t count) {
  std::vector<Shape> out;
  const std::uint32_t base = tokens[from].position;
  for (std::size_t i = from; i < from + count; ++i) {
    const Token& t = tokens[i];
    out.push_back({t.exact, t.folded, t.kind, t.role, t.end - t.start, t.position - base});
  }
  return out;
}

}  // namespace

TEST_CASE("batch boundaries never split or change a token", "[analyzer]") {
  const Analyzer analyzer;
  const std::vector<Token> alone = analyzer.analyze(kBlock);
  REQUIRE(alone.size() > 20);
  const std::vector<Shape> expected = shapes(alone, 0, alone.size());
  // 1..40 filler words before each block moves the block across batch boundaries of 256 atoms.
  std::string text;
  std::vector<std::size_t> fillers;
  for (std::size_t round = 0; round < 120; ++round) {
    const std::size_t filler = 1 + round % 40;
    for (std::size_t i = 0; i < filler; ++i) text += "chữ ";
    text += kBlock;
    fillers.push_back(filler);
  }
  const std::vector<Token> tokens = analyzer.analyze(text);
  std::size_t next = 0;
  for (std::size_t round = 0; round < fillers.size(); ++round) {
    for (std::size_t i = 0; i < fillers[round]; ++i, ++next) {
      REQUIRE(next < tokens.size());
      REQUIRE(tokens[next].exact == "chữ");
    }
    REQUIRE(next + alone.size() <= tokens.size());
    INFO("round " << round);
    CHECK(shapes(tokens, next, alone.size()) == expected);
    next += alone.size();
  }
  CHECK(next == tokens.size());
}
