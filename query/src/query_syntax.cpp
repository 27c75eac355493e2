#include "query_syntax.h"

#include <algorithm>
#include <array>

namespace vnsearch::query {
namespace {

constexpr std::array<std::string_view, 7> kFields = {"title",  "source", "category", "tag",
                                                     "author", "date",   "year"};

bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

// Reads a quoted string starting after the opening quote; returns it and moves `at` past the
// closing quote (or to the end, noting the missing quote).
std::string read_quoted(std::string_view text, std::size_t& at, ParsedQuery& parsed) {
  const std::size_t close = text.find('"', at);
  std::string value;
  if (close == std::string_view::npos) {
    value = std::string(text.substr(at));
    at = text.size();
    parsed.notes.push_back("unbalanced quote: the phrase runs to the end of the query");
  } else {
    value = std::string(text.substr(at, close - at));
    at = close + 1;
  }
  return value;
}

std::string read_word(std::string_view text, std::size_t& at) {
  const std::size_t begin = at;
  while (at < text.size() && !is_space(text[at])) ++at;
  return std::string(text.substr(begin, at - begin));
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  });
  return out;
}

// Appends plain words to the last text clause when it can take them (same sign), so that
// "cum thi dua" stays one run for diacritic restoration.
void add_text(ParsedQuery& parsed, std::string word) {
  if (!parsed.clauses.empty()) {
    Clause& last = parsed.clauses.back();
    if (last.kind == Clause::Kind::kText && !last.required && !last.excluded &&
        last.field.empty()) {
      last.text += ' ';
      last.text += word;
      return;
    }
  }
  parsed.clauses.push_back({Clause::Kind::kText, false, false, "", std::move(word)});
}

}  // namespace

ParsedQuery parse_query(std::string_view text) {
  ParsedQuery parsed;
  std::size_t at = 0;
  while (at < text.size()) {
    if (is_space(text[at])) {
      ++at;
      continue;
    }
    Clause clause;
    // A sign only counts when something follows it directly (`- ` is a dash in text).
    if ((text[at] == '+' || text[at] == '-') && at + 1 < text.size() && !is_space(text[at + 1])) {
      clause.required = text[at] == '+';
      clause.excluded = text[at] == '-';
      ++at;
    }
    // field:value
    const std::size_t colon = text.find(':', at);
    if (colon != std::string_view::npos && colon > at && colon + 1 < text.size() &&
        !is_space(text[colon + 1])) {
      const std::string field = lower_ascii(text.substr(at, colon - at));
      if (std::find(kFields.begin(), kFields.end(), field) != kFields.end()) {
        at = colon + 1;
        clause.field = field == "year" ? "date" : field;
        if (text[at] == '"') {
          ++at;
          clause.text = read_quoted(text, at, parsed);
        } else {
          clause.text = read_word(text, at);
        }
        clause.kind = field == "title" ? Clause::Kind::kPhrase : Clause::Kind::kFilter;
        if (!clause.excluded) clause.required = true;
        parsed.clauses.push_back(std::move(clause));
        continue;
      }
    }
    if (text[at] == '"') {
      ++at;
      clause.kind = Clause::Kind::kPhrase;
      clause.text = read_quoted(text, at, parsed);
      if (!clause.excluded) clause.required = true;
      parsed.clauses.push_back(std::move(clause));
      continue;
    }
    std::string word = read_word(text, at);
    if (clause.required || clause.excluded) {
      clause.text = std::move(word);
      parsed.clauses.push_back(std::move(clause));
    } else {
      add_text(parsed, std::move(word));
    }
  }
  return parsed;
}

}  // namespace vnsearch::query
