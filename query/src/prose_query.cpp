#include "prose_query.h"

#include "ascii_text.h"

namespace vnsearch::query {

namespace {

bool is_word_byte(char ch) {
  const auto byte = static_cast<unsigned char>(ch);
  return byte >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z');
}

}  // namespace

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;  // inside a run between spaces that already counted
  for (char ch : text) {
    if (is_space(ch)) {
      in_word = false;
    } else if (!in_word && is_word_byte(ch)) {
      in_word = true;
      ++words;
    }
  }
  return words;
}

std::string prose_as_text(std::string_view text, std::vector<std::string>& notes) {
  if (count_words(text) <= kProseWords) return std::string(text);
  std::string out(text);
  bool changed = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool word_start = i == 0 || is_space(out[i - 1]);
    if (out[i] == '"' || (word_start && (out[i] == '+' || out[i] == '-'))) {
      out[i] = ' ';
      changed = true;
    }
  }
  if (changed) {
    notes.push_back("a query of more than " + std::to_string(kProseWords) +
                    " words is read as text: its quotes and signs are not operators");
  }
  return out;
}

}  // namespace vnsearch::query
