#include "query_lexer.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "ascii_text.h"
#include "query_language.h"
#include "query_syntax.h"

namespace vnsearch::query {
namespace {

bool ends_word(char ch) {
  return is_space(ch) || ch == '(' || ch == ')';
}

std::string read_quoted(std::string_view text, std::size_t& at, const LexNotes& notes) {
  const std::size_t close = text.find('"', at);
  std::string value;
  if (close == std::string_view::npos) {
    value = std::string(text.substr(at));
    at = text.size();
    notes.add("unbalanced quote: the phrase runs to the end of the query");
  } else {
    value = std::string(text.substr(at, close - at));
    at = close + 1;
  }
  return value;
}

// `NEAR/n`: the distance, or nothing (with a note) when n is not a usable number.
std::optional<std::size_t> near_distance(std::string_view word, const LexNotes& notes) {
  const std::string_view digits = word.substr(5);
  const bool numeric =
      !digits.empty() && digits.size() <= 9 &&
      std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  const std::size_t value = numeric ? std::stoul(std::string(digits)) : 0;
  if (value == 0) {
    notes.add("ignored '" + std::string(word) +
              "': the distance must be a whole number from 1 to " +
              std::to_string(LanguageLimits::kMaxNear));
    return std::nullopt;
  }
  if (value > LanguageLimits::kMaxNear) {
    notes.add("'" + std::string(word) + "' searched as NEAR/" +
              std::to_string(LanguageLimits::kMaxNear) + ", the largest distance");
    return LanguageLimits::kMaxNear;
  }
  return value;
}

// One word outside quotes and fields: an operator, a wildcard or a plain word.
void lex_word(std::string word, char sign, std::vector<Lexeme>& out, const LexNotes& notes) {
  using Kind = Lexeme::Kind;
  if (sign == 0) {
    if (word == "AND") return out.push_back({Kind::kAnd, 0, word, "", 0});
    if (word == "OR") return out.push_back({Kind::kOr, 0, word, "", 0});
    if (word == "NOT") return out.push_back({Kind::kNot, 0, word, "", 0});
    if (word == "NEAR") {
      return out.push_back({Kind::kNear, 0, word, "", LanguageLimits::kDefaultNear});
    }
    if (word.rfind("NEAR/", 0) == 0) {
      if (const auto distance = near_distance(word, notes)) {
        return out.push_back({Kind::kNear, 0, word, "", *distance});
      }
      return out.push_back({Kind::kIgnored, 0, word, "", 0});
    }
  }
  if (word.find('*') == std::string::npos) return out.push_back({Kind::kWord, sign, word, "", 0});
  std::string stem = word.substr(0, word.find_last_not_of('*') + 1);
  if (word.find_last_not_of('*') != std::string::npos && stem.find('*') == std::string::npos) {
    return out.push_back({Kind::kWildcard, sign, std::move(stem), "", 0});
  }
  std::string cleaned;
  std::copy_if(word.begin(), word.end(), std::back_inserter(cleaned),
               [](char ch) { return ch != '*'; });
  out.push_back({Kind::kIgnored, 0, word, "", 0});
  if (cleaned.empty()) {
    notes.add("ignored '" + word + "': a wildcard needs the start of a word before '*'");
    return;
  }
  notes.add("ignored the '*' in '" + word + "': a wildcard only ends a word (searched '" + cleaned +
            "')");
  out.push_back({Kind::kWord, sign, std::move(cleaned), "", 0});
}

}  // namespace

std::vector<Lexeme> lex_query(std::string_view text, const LexNotes& notes) {
  using Kind = Lexeme::Kind;
  std::vector<Lexeme> out;
  std::size_t at = 0;
  while (at < text.size()) {
    if (is_space(text[at])) {
      ++at;
      continue;
    }
    char sign = 0;
    // A sign counts only when something follows it directly (`- ` is a dash in text).
    if ((text[at] == '+' || text[at] == '-') && at + 1 < text.size() && !is_space(text[at + 1]) &&
        text[at + 1] != ')') {
      sign = text[at++];
    }
    if (text[at] == '(' || text[at] == ')') {
      out.push_back({text[at] == '(' ? Kind::kOpen : Kind::kClose, sign, "", "", 0});
      ++at;
      continue;
    }
    if (text[at] == '"') {
      ++at;
      out.push_back({Kind::kPhrase, sign, read_quoted(text, at, notes), "", 0});
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && !ends_word(text[end])) ++end;
    const std::size_t colon = text.substr(0, end).find(':', at);
    if (colon != std::string_view::npos && colon > at &&
        is_field_name(lower_ascii(text.substr(at, colon - at)))) {
      const std::string field = lower_ascii(text.substr(at, colon - at));
      at = colon + 1;
      std::string value;
      if (at < text.size() && text[at] == '"') {
        ++at;
        value = read_quoted(text, at, notes);
      } else {
        const std::size_t begin = at;
        while (at < text.size() && !ends_word(text[at])) ++at;
        value = std::string(text.substr(begin, at - begin));
      }
      if (value.find_first_not_of(" \t\n\r") == std::string::npos) {
        notes.add("ignored '" + field + ":': no value after it");
        out.push_back({Kind::kIgnored, 0, field + ":", "", 0});
        continue;
      }
      out.push_back({Kind::kField, sign, std::move(value), field == "year" ? "date" : field, 0});
      continue;
    }
    lex_word(std::string(text.substr(at, end - at)), sign, out, notes);
    at = end;
  }
  return out;
}

// Unmatched `)` and parentheses nested past kMaxDepth are dropped; a `(` never closed is closed
// at the end of the query. Either way with a note.
void balance_parentheses(std::vector<Lexeme>& lexemes, const LexNotes& notes) {
  using Kind = Lexeme::Kind;
  std::vector<Lexeme> out;
  std::size_t depth = 0, too_deep = 0, unmatched_close = 0, dropped_deep = 0;
  for (Lexeme& lexeme : lexemes) {
    if (lexeme.kind == Kind::kOpen) {
      if (depth >= LanguageLimits::kMaxDepth) {
        ++too_deep;
        ++dropped_deep;
        continue;
      }
      ++depth;
    } else if (lexeme.kind == Kind::kClose) {
      if (too_deep > 0) {
        --too_deep;
        continue;
      }
      if (depth == 0) {
        ++unmatched_close;
        continue;
      }
      --depth;
    }
    out.push_back(std::move(lexeme));
  }
  if (unmatched_close > 0) {
    notes.add("ignored " + std::to_string(unmatched_close) + " unmatched ')'");
  }
  if (depth > 0) {
    notes.add("unbalanced parentheses: " + std::to_string(depth) +
              " '(' without ')' closed at the end of the query");
  }
  if (dropped_deep > 0) {
    notes.add("ignored parentheses nested deeper than " +
              std::to_string(LanguageLimits::kMaxDepth) + " levels");
  }
  lexemes = std::move(out);
}

// The query without the dropped syntax, in the plain syntax (for a query left with no operator).
std::string plain_text_of(const std::vector<Lexeme>& lexemes) {
  std::string out;
  for (const Lexeme& lexeme : lexemes) {
    std::string piece;
    if (lexeme.sign != 0) piece += lexeme.sign;
    switch (lexeme.kind) {
      case Lexeme::Kind::kWord:
        piece += lexeme.text;
        break;
      case Lexeme::Kind::kPhrase:
        piece += '"' + lexeme.text + '"';
        break;
      case Lexeme::Kind::kField:
        piece += lexeme.field + ":\"" + lexeme.text + '"';
        break;
      default:
        continue;
    }
    out += (out.empty() ? "" : " ") + piece;
  }
  return out;
}

}  // namespace vnsearch::query
