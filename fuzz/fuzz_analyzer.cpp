// Fuzz target: the text pipeline on arbitrary bytes, in every input encoding (the first byte
// picks one, auto-detection included). Checks what the rest of vnsearch relies on: offsets
// inside the input and ordered, both forms valid UTF-8, parts following their compound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vnsearch/encoding.h"
#include "vnsearch/tokenizer.h"

namespace {

constexpr vnsearch::Encoding kEncodings[] = {
    vnsearch::Encoding::kAuto,  vnsearch::Encoding::kUtf8, vnsearch::Encoding::kWindows1258,
    vnsearch::Encoding::kTcvn3, vnsearch::Encoding::kVni,  vnsearch::Encoding::kViscii,
    vnsearch::Encoding::kViqr};

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const vnsearch::Encoding encoding = kEncodings[data[0] % std::size(kEncodings)];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const vnsearch::Analyzer analyzer({.encoding = encoding, .emit_parts = (data[0] & 0x80) == 0});
  std::vector<vnsearch::Token> tokens;
  analyzer.analyze(input, tokens);
  std::uint32_t last_position = 0;
  for (const vnsearch::Token& token : tokens) {
    require(token.start <= token.end && token.end <= input.size());
    require(vnsearch::is_valid_utf8(token.exact) && vnsearch::is_valid_utf8(token.folded));
    require(!token.exact.empty());
    if (token.role != vnsearch::TokenRole::kPart) {
      require(token.position >= last_position);
      last_position = token.position;
    }
  }
  // The one-word helpers must hold up on the same bytes (they are meant for words: a prefix).
  const std::string_view word = input.substr(0, 64);
  (void)vnsearch::to_folded(vnsearch::to_exact(word));
  (void)vnsearch::is_vietnamese_syllable(word);
  return 0;
}
