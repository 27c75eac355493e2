// The query language beyond plain words (docs/query.md): `AND`, `OR`, `NOT` (upper-case words
// only: lower-case `and`, `or`, `not` are English words in Vietnamese news), parentheses,
// `NEAR` and `NEAR/n`, prefix wildcards `thi*`, mixed with the plain syntax of query_syntax.h
// (`+`/`-`, phrases, field filters, dates). Loosest to tightest:
//   OR  <  AND (also two operands side by side)  <  NOT, `-`, `+`  <  NEAR  <  ( ), words, phrases
// A run of plain words side by side is one operand: every word of it must occur (in any
// reading); as a NEAR operand it is a phrase.
//
// A query without any of these operators never comes here: it is parsed and planned exactly as
// before (query_syntax.h, query_plan.h). Broken syntax never fails: each operator that cannot be
// used is dropped with a note, and a query left with no operator at all degrades to the plain
// syntax (`plain_text`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "query_syntax.h"

namespace vnsearch::query {

/// Limits that keep any query small (Xapian's matcher cost grows with the query tree).
struct LanguageLimits {
  static constexpr std::size_t kDefaultNear = 10;  ///< `NEAR` without `/n`
  static constexpr std::size_t kMaxNear = 50;      ///< larger `NEAR/n` are cut to this
  static constexpr std::size_t kMaxDepth = 16;     ///< deeper parentheses are ignored
};

/// One node of a parsed query-language query.
struct LanguageNode {
  enum class Kind {
    kLeaf,  ///< `leaf`: words (all required), a phrase, `title:`, a filter, or a wildcard
    kAnd,
    kOr,
    kNot,   ///< one child: what it would match is excluded
    kNear,  ///< children within `distances[i]` syllables of the next one, any order
  };
  Kind kind = Kind::kLeaf;
  Clause leaf;            ///< kLeaf: kText (a run of words), kPhrase, kFilter
  bool wildcard = false;  ///< kLeaf: `leaf.text` is a word before `*`
  std::vector<LanguageNode> children;
  std::vector<std::size_t> distances;  ///< kNear: children.size() - 1 of them
};

struct LanguageQuery {
  /// False when the query, once broken operators were dropped, has none left: search
  /// `plain_text` with the plain syntax then.
  bool uses_operators = false;
  LanguageNode root;
  bool empty = true;               ///< nothing was left to search (with uses_operators)
  std::string plain_text;          ///< the query without the dropped syntax, in the plain syntax
  std::vector<std::string> notes;  ///< what was ignored or repaired, for people
};

/// True when `text` has any query-language operator outside quotes: an upper-case `AND`, `OR`,
/// `NOT`, `NEAR`, `NEAR/...` word, a parenthesis, or a `*`. Queries without one take the plain
/// path unchanged.
[[nodiscard]] bool uses_query_language(std::string_view text);

/// Parses a query-language query (UTF-8 is repaired first, with a note). Never throws.
[[nodiscard]] LanguageQuery parse_language(std::string_view text);

}  // namespace vnsearch::query
