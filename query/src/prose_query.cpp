#include "prose_query.h"

#include "ascii_text.h"
#include "query_syntax.h"

namespace vnsearch::query {

namespace {

bool is_word_byte(char ch) {
  const auto byte = static_cast<unsigned char>(ch);
  return byte >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z');
}

// The words of `text` between white space (a word holding a quote or a parenthesis included).
template <typename Visit>
void for_each_word(std::string_view text, Visit&& visit) {
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && is_space(text[at])) ++at;
    const std::size_t start = at;
    while (at < text.size() && !is_space(text[at])) ++at;
    if (at > start) visit(text.substr(start, at - start));
  }
}

// A word only an operator query holds: `source:vnexpress`, `-title:…`, `(a`, `AND`, `NEAR/3`,
// `thi*`. Parentheses alone do not count: leads hold `(TTXVN)` and `(ảnh)`.
bool operator_word(std::string_view word) {
  std::string_view bare = word;
  while (!bare.empty() && (bare.front() == '+' || bare.front() == '-' || bare.front() == '(')) {
    bare.remove_prefix(1);
  }
  const std::size_t colon = bare.find(':');
  if (colon != std::string_view::npos) {
    std::string field(bare.substr(0, colon));  // `Source:` is a field too
    for (char& ch : field) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    if (is_field_name(field)) return true;
  }
  if (bare == "AND" || bare == "OR" || bare == "NOT" || bare == "NEAR" ||
      bare.rfind("NEAR/", 0) == 0) {
    return true;
  }
  return bare.size() > 1 && bare.back() == '*';
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

bool uses_operators(std::string_view text) {
  bool found = false;
  for_each_word(text, [&](std::string_view word) { found = found || operator_word(word); });
  return found;
}

std::string prose_as_text(std::string_view text, std::vector<std::string>& notes) {
  // A journalist's long query with fields, boolean words or wildcards means its quotes and
  // signs too (`-source:…`, `"…" NEAR "…"`): only a query with none of them is prose.
  if (count_words(text) <= kProseWords || uses_operators(text)) return std::string(text);
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
