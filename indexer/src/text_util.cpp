#include "text_util.h"

#include <cstdint>

#include <unicode/utf8.h>

namespace vnsearch::detail {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}  // namespace

std::size_t repair_utf8(std::string& text, std::size_t* first_bad) {
  // U8_NEXT is fully inline for every input, so size_t indexes are safe for huge lines.
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t length = text.size();
  std::size_t i = 0;
  std::size_t clean_end = 0;  // end of the well-formed prefix
  while (i < length) {
    clean_end = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) break;
    clean_end = i;
  }
  if (clean_end == length) return 0;  // the common case: nothing copied

  if (first_bad) *first_bad = clean_end;
  std::string out(text, 0, clean_end);
  out.reserve(length + 16);
  std::size_t replaced = 0;
  i = clean_end;
  while (i < length) {
    const std::size_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);  // on error, i skips the maximal ill-formed subpart
    if (c < 0) {
      ++replaced;
      out += kReplacement;
    } else {
      out.append(text, start, i - start);
    }
  }
  text = std::move(out);
  return replaced;
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t cut = max_bytes;
  // Back off over continuation bytes (10xxxxxx) so the cut lands before a lead byte.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool nbsp = c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || nbsp) {
      if (nbsp) ++i;
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace vnsearch::detail
