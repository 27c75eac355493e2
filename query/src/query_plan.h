// From parsed clauses to Xapian queries: the query syllables, their restored readings, and the
// ranked and boolean parts of the Xapian query for one reading.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "query_syntax.h"
#include "restoration.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

/// One syllable (or number, code...) of the ranked free text.
struct QueryUnit {
  std::string exact;
  std::string folded;
  bool fixed = false;     ///< typed with diacritics, or not a word: matched exactly as typed
  bool question = false;  ///< a question word (gì, nào...): articles rarely contain it
  std::size_t group = 0;  ///< units of one group are adjacent in the query (for proximity)
};

/// Everything derived from the query text once, shared by every reading searched.
struct QueryPlan {
  std::vector<QueryUnit> units;     ///< the ranked free text
  Restoration restoration;          ///< readings of `units`
  Xapian::Query required;           ///< phrases and +words: all must match (empty: none)
  Xapian::Query excluded;           ///< -words: none may match (empty: none)
  Xapian::Query filter;             ///< field filters (empty: none)
  std::vector<std::string> notes;   ///< repairs made while parsing
  bool typed_without_marks = true;  ///< no syllable of the query carries a diacritic
  [[nodiscard]] bool empty() const { return units.empty() && required.empty() && filter.empty(); }
};

/// How strongly the folded (any-reading) match counts beside the restored reading's exact one.
struct WeightOptions {
  double reading = 1.0;
  double folded = 0.35;
  double question_word = 0.1;  ///< multiplier for question words (gì, nào, bao nhiêu...)
  /// Queries of at most this many syllables also score the whole reading as a phrase.
  std::size_t phrase_boost_units = 4;
  double phrase = 2.0;  ///< weight of that phrase
  /// A restored syllable this sure is searched in that reading only.
  double sure_posterior = 0.95;
};

[[nodiscard]] QueryPlan plan_query(const ParsedQuery& parsed, const SyllableModel& model);

/// The ranked query for one whole reading (one exact form per unit).
[[nodiscard]] Xapian::Query ranked_query(const QueryPlan& plan,
                                         const std::vector<std::string>& reading,
                                         const WeightOptions& weights = {});

/// The filter for filters given apart from the query text (an empty query when none). Dates
/// that valid_filter_date rejects are left out: callers check them first.
[[nodiscard]] Xapian::Query filters_query(const SearchFilters& filters);

}  // namespace vnsearch::query
