// The query language: plain words, with or without diacritics, plus operators for journalists.
//   word          optional word, ranked (all plain words are OR-ed and ranked by relevance)
//   "a phrase"    required phrase (adjacent syllables, in order)
//   +word         required word          -word / -"phrase"   excluded
//   title:word  title:"a phrase"         the title must contain it
//   source:X  category:X  tag:X  author:X   filters (quote values with spaces)
//   date:2020  date:2020-11  date:2020-11-16  date:2020-01..2020-06   publication date filter
// Anything that does not parse as an operator is read as plain text; an unbalanced quote runs to
// the end of the query; a field with no value (`title:`) is ignored with a note. Parsing never
// fails.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vnsearch::query {

/// One piece of a parsed query.
struct Clause {
  enum class Kind {
    kText,    ///< free words, ranked
    kPhrase,  ///< quoted: adjacent syllables
    kFilter,  ///< field:value
  };
  Kind kind = Kind::kText;
  bool required = false;  ///< `+`, or a phrase
  bool excluded = false;  ///< `-`
  std::string field;      ///< for filters and `title:`: the lower-case field name
  std::string text;       ///< the words, phrase or filter value
};

struct ParsedQuery {
  std::vector<Clause> clauses;
  std::vector<std::string> notes;  ///< what was repaired (for example an unbalanced quote)
};

/// Splits query text into clauses. Never throws. The text is UTF-8: ill-formed bytes become
/// U+FFFD (with a note), so clause texts are always valid UTF-8.
[[nodiscard]] ParsedQuery parse_query(std::string_view text);

/// `text` with each ill-formed UTF-8 byte replaced by U+FFFD, and a note when there was one.
[[nodiscard]] std::string repair_query_utf8(std::string_view text, std::vector<std::string>& notes);

/// True for the field names of `field:value` (lower case): title, source, category, tag,
/// author, date, year.
[[nodiscard]] bool is_field_name(std::string_view name);

}  // namespace vnsearch::query
