// The words of a query-language query (query_language.h): operators, parentheses, words,
// phrases, fields and wildcards, with what the lexer had to drop noted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vnsearch::query {

/// One word or mark of a query.
struct Lexeme {
  enum class Kind {
    kWord,
    kPhrase,
    kField,
    kWildcard,
    kAnd,
    kOr,
    kNot,
    kNear,
    kOpen,
    kClose,
    kIgnored,  ///< syntax dropped by the lexer (a note says what): still marks the language
  };
  Kind kind = Kind::kWord;
  char sign = 0;             ///< '+', '-' or 0
  std::string text;          ///< the word, phrase, field value or wildcard stem
  std::string field;         ///< kField: lower case, `year` read as `date`
  std::size_t distance = 0;  ///< kNear
};

/// Collects notes when parsing for real; discards them when only detecting operators.
struct LexNotes {
  std::vector<std::string>* out = nullptr;
  void add(std::string note) const {
    if (out != nullptr) out->push_back(std::move(note));
  }
};

/// Splits UTF-8 query text into lexemes. Never throws.
[[nodiscard]] std::vector<Lexeme> lex_query(std::string_view text, const LexNotes& notes);

/// Unmatched `)` and parentheses nested past LanguageLimits::kMaxDepth are dropped; a `(` never
/// closed is closed at the end of the query. Either way with a note.
void balance_parentheses(std::vector<Lexeme>& lexemes, const LexNotes& notes);

/// The query without the dropped syntax, in the plain syntax (for a query left with no
/// operator).
[[nodiscard]] std::string plain_text_of(const std::vector<Lexeme>& lexemes);

}  // namespace vnsearch::query
