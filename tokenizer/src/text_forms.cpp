// to_exact / to_folded for arbitrary short texts (queries, titles, test oracles): every word is
// normalized exactly as the analyzer does it; everything between words is kept.
#include <unicode/utf8.h>

#include "char_class.h"
#include "vnsearch/tokenizer.h"
#include "word_forms.h"

namespace vnsearch {
namespace {

enum class Form { kExact, kFolded };

std::string convert(std::string_view text, Form form) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  std::string out;
  std::string exact, folded;
  std::size_t word_start = 0;
  bool in_word = false;
  // The last word written, so that a stray mark after one space can be re-attached to it
  // (`thi ̣trường` reads as `thị trường`), exactly as the analyzer does.
  std::size_t last_word_start = 0, last_word_end = 0, last_word_out = std::string::npos;
  // After a re-attached mark the space went with it; the next word still needs one.
  bool owe_space = false;

  auto write_word = [&](std::size_t start, std::size_t end) {
    detail::normalize_word(text.substr(start, end - start), exact, folded);
    last_word_start = start;
    last_word_end = end;
    last_word_out = out.size();
    out += form == Form::kExact ? exact : folded;
  };

  std::int32_t offset = 0;
  while (offset < length) {
    const std::int32_t start = offset;
    UChar32 c;
    U8_NEXT(bytes, offset, length, c);
    const detail::CharClass cls = detail::classify(c);
    const bool word_char =
        cls == detail::CharClass::kLetter || cls == detail::CharClass::kDigit ||
        (in_word && (cls == detail::CharClass::kMark || cls == detail::CharClass::kInvisible));
    if (word_char) {
      if (!in_word) word_start = static_cast<std::size_t>(start);
      if (!in_word && owe_space) out += ' ';
      owe_space = false;
      in_word = true;
      continue;
    }
    if (in_word) {
      write_word(word_start, static_cast<std::size_t>(start));
      in_word = false;
    }
    if (cls == detail::CharClass::kMark) {
      const bool after_one_space =
          detail::is_vietnamese_combining_mark(c) && last_word_out != std::string::npos &&
          last_word_end + 1 == static_cast<std::size_t>(start) && text[last_word_end] == ' ';
      if (after_one_space) {
        out.resize(last_word_out);
        write_word(last_word_start, static_cast<std::size_t>(offset));
        owe_space = true;
      }
      continue;
    }
    if (cls == detail::CharClass::kInvisible) continue;
    owe_space = false;
    if (c < 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for an ill-formed sequence
    } else {
      out.append(
          text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(offset - start)));
    }
  }
  if (in_word) write_word(word_start, text.size());
  return out;
}

}  // namespace

std::string to_exact(std::string_view utf8) {
  return convert(utf8, Form::kExact);
}
std::string to_folded(std::string_view utf8) {
  return convert(utf8, Form::kFolded);
}

}  // namespace vnsearch
