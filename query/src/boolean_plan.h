// Plans a query of the query language (query_language.h) into the QueryPlan the plain syntax
// gets, so ranking, restoration, readings, re-ranking, snippets and facets work the same way:
//  - the boolean structure (AND, OR, NOT, NEAR, wildcards, phrases, filters) becomes
//    `required`, weightless: it decides what matches;
//  - every word of a positive operand (not under NOT) becomes a ranked unit, and the units are
//    restored together like plain words, so an unaccented phrase or NEAR group is ranked by its
//    likely reading while it matches any reading;
//  - wildcard expansions also rank (as one synonym each).
// A query without query-language operators is planned by plan_query, exactly as before.
#pragma once

#include <cstddef>
#include <string_view>

#include <xapian.h>

#include "query_plan.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

/// How far prefix wildcards expand: the most frequent words first, and never more than these,
/// so that `a*` cannot make a query of thousands of terms (docs/query.md "Limits").
struct WildcardLimits {
  static constexpr std::size_t kPerWildcard = 50;  ///< words one `x*` searches
  static constexpr std::size_t kPerQuery = 200;    ///< words all the wildcards of a query search
  static constexpr std::size_t kScan = 20000;      ///< index words read to find them
  static constexpr std::size_t kMinPrefix = 2;     ///< letters needed before `*`
};

/// The plan for any query text: plan_query(parse_query(text)) when it uses no query-language
/// operator (or all of them were dropped as broken), the query language's plan otherwise.
/// `db` is read for wildcard expansion only. Never throws for query text.
[[nodiscard]] QueryPlan plan_search(std::string_view text, const SyllableModel& model,
                                    const Xapian::Database& db);

}  // namespace vnsearch::query
