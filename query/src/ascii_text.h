// ASCII helpers shared by the query-language files: operators, field names and the white space
// between words are ASCII, so these never look inside a multi-byte UTF-8 sequence.
#pragma once

#include <string>
#include <string_view>

namespace vnsearch::query {

inline bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

// Lower-cases A-Z only; every other byte, UTF-8 included, is kept.
inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

}  // namespace vnsearch::query
