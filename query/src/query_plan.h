// From parsed clauses to Xapian queries: the query syllables, their restored readings, and the
// ranked and boolean parts of the Xapian query for one reading.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "query_syntax.h"
#include "restoration.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

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
  std::vector<QueryUnit> units;    ///< the ranked free text
  Restoration restoration;         ///< readings of `units`
  Xapian::Query required;          ///< phrases and +words: all must match (empty: none)
  Xapian::Query excluded;          ///< -words: none may match (empty: none)
  Xapian::Query filter;            ///< field filters (empty: none)
  std::vector<std::string> notes;  ///< repairs made while parsing
  /// Prefix wildcards expanded to fewer words than they match (query language only).
  std::vector<std::string> wildcard_notes;
  /// Words a prefix wildcard expanded to, for highlighting: exact forms, and folded forms where
  /// the wildcard was typed without marks.
  std::vector<std::string> highlight_exact, highlight_folded;
  bool typed_without_marks = true;  ///< no syllable of the query carries a diacritic
  bool language = false;            ///< planned by the query language (AND, OR, NOT, NEAR, `*`...)
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

/// How a unit takes part in ranked_query's matching.
enum class UnitMatching : unsigned char {
  kMatches,  ///< a document holding it matches
  /// It only adds weight to documents another unit matched (OP_AND_MAYBE): the searcher marks
  /// syllables found in most documents, whose long posting lists the matcher would otherwise
  /// walk in full for almost no weight.
  kWeightOnly,
  /// Its restored reading matches; its other readings (the `F` folded term) only add weight.
  kAlternativesWeightOnly,
};

/// The ranked query for one whole reading (one exact form per unit); `matching` (by unit,
/// missing entries are kMatches) says which units make a document match. When no unit is left
/// to match on, every unit matches.
[[nodiscard]] Xapian::Query ranked_query(const QueryPlan& plan,
                                         const std::vector<std::string>& reading,
                                         const WeightOptions& weights = {},
                                         const std::vector<UnitMatching>& matching = {});

// ---- Pieces of the plan, shared with the query language's planner (boolean_plan.cpp).

/// The restoration of `inputs` (one per unit of `plan`) and the question-word marks.
void restore_units(QueryPlan& plan, const std::vector<RestorationInput>& inputs,
                   const SyllableModel& model);
/// Any reading of one folded syllable: `F`+folded or the plain term, as one synonym.
[[nodiscard]] Xapian::Query any_reading(const std::string& folded);
/// The query's tokens that are searched (no compounds: their parts carry positions).
[[nodiscard]] std::vector<Token> word_tokens(std::string_view text);
[[nodiscard]] bool has_marks(const Token& token);
/// One phrase position: the token as typed, or its likeliest readings (up to 8) when bare.
[[nodiscard]] Xapian::Query reading_alternatives(const Token& token, const SyllableModel& model,
                                                 std::string_view prefix);
/// A phrase over reading_alternatives; over the title's `S` terms when `title_only`.
[[nodiscard]] Xapian::Query phrase_query(const std::vector<Token>& tokens,
                                         const SyllableModel& model, bool title_only);
/// A `source:`, `category:`, `tag:`, `author:` or `date:` clause; empty (with a note) when it
/// is ignored.
[[nodiscard]] Xapian::Query filter_clause_query(const Clause& clause,
                                                std::vector<std::string>& notes);
/// A field value matched whatever its case and marks (the `XF` folded field terms).
[[nodiscard]] Xapian::Query field_value_query(std::string_view prefix, std::string_view value);

/// The filter for filters given apart from the query text (an empty query when none). Dates
/// that valid_filter_date rejects are left out: callers check them first.
[[nodiscard]] Xapian::Query filters_query(const SearchFilters& filters);

}  // namespace vnsearch::query
