#include "query_plan.h"

#include <array>
#include <ctime>
#include <optional>
#include <vector>

#include "entity_filters.h"
#include "vnsearch/schema.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::query {
namespace {

// Question syllables: people ask "bao nhiêu", "như thế nào", "gì"; articles state answers and
// rarely contain them. With them the function words that fill questions ("là", "bị", "những")
// and match nearly every article. Kept as evidence, at a low weight (never dropped).
constexpr std::array<std::string_view, 16> kQuestionWords = {
    "gì",  "nào", "bao", "nhiêu", "sao", "đâu", "ai", "không",
    "mấy", "thế", "hả",  "chăng", "vậy", "bị",  "là", "những"};

// In a query with marks somewhere, a bare syllable is meant as typed this many times more often
// than the statistics alone suggest (people who type marks type them where they belong).
constexpr double kAsTypedPriorInMixedQuery = 20.0;
constexpr std::size_t kShortQueryUnits = 4;

bool is_question_word(std::string_view exact) {
  for (std::string_view word : kQuestionWords) {
    if (word == exact) return true;
  }
  return false;
}

std::int64_t days_from_civil(int year, int month, int day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int year_of_era = year - static_cast<int>(era * 400);
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// A period of whole days: [first_day, end_day) in days since 1970-01-01.
struct Period {
  std::int64_t first_day = 0;
  std::int64_t end_day = 0;
};

// Reads `count` digits (exactly `count`, or 1..`count` when `exact` is false) at `at`.
bool read_number(std::string_view text, std::size_t& at, std::size_t count, bool exact,
                 int& value) {
  std::size_t digits = 0;
  value = 0;
  while (at < text.size() && digits < count && text[at] >= '0' && text[at] <= '9') {
    value = value * 10 + (text[at++] - '0');
    ++digits;
  }
  return exact ? digits == count : digits > 0;
}

// "2020", "2020-11", "2020-11-16" (month and day may have one digit), strictly: anything else,
// or a day the calendar lacks, is an error in `error`.
std::optional<Period> parse_period(std::string_view text, std::string& error) {
  std::size_t at = 0;
  int year = 0, month = 0, day = 0;
  bool ok = read_number(text, at, 4, true, year) && year >= 1;
  bool has_month = false, has_day = false;
  if (ok && at < text.size()) {
    ok = text[at++] == '-' && read_number(text, at, 2, false, month);
    has_month = ok;
  }
  if (ok && at < text.size()) {
    ok = text[at++] == '-' && read_number(text, at, 2, false, day);
    has_day = ok;
  }
  if (!ok || at != text.size()) {
    error = "'" + std::string(text) + "' is not a date";
    return std::nullopt;
  }
  if (has_month && (month < 1 || month > 12)) {
    error = "'" + std::string(text) + "' has no month " + std::to_string(month);
    return std::nullopt;
  }
  if (has_day && (day < 1 || day > days_in_month(year, month))) {
    error = "'" + std::string(text) + "' does not exist (" + std::to_string(year) + "-" +
            (month < 10 ? "0" : "") + std::to_string(month) + " has " +
            std::to_string(days_in_month(year, month)) + " days)";
    return std::nullopt;
  }
  Period period;
  if (has_day) {
    period.first_day = days_from_civil(year, month, day);
    period.end_day = period.first_day + 1;
  } else if (has_month) {
    period.first_day = days_from_civil(year, month, 1);
    period.end_day = period.first_day + days_in_month(year, month);
  } else {
    period.first_day = days_from_civil(year, 1, 1);
    period.end_day = days_from_civil(year + 1, 1, 1);
  }
  return period;
}

// The period's first and last second, Vietnam time (UTC+7), as timestamps.
constexpr std::int64_t kVietnamOffsetSeconds = 7 * 3600;
double first_second(const Period& period) {
  return static_cast<double>(period.first_day * 86400 - kVietnamOffsetSeconds);
}
double last_second(const Period& period) {
  return static_cast<double>(period.end_day * 86400 - kVietnamOffsetSeconds - 1);
}

// The first and last second of a YYYY, YYYY-MM or YYYY-MM-DD day, month or year; false when
// `text` is not one (the API's date_from / date_to).
bool date_bounds(std::string_view text, double& first, double& last) {
  std::string error;
  const std::optional<Period> period = parse_period(text, error);
  if (!period) return false;
  first = first_second(*period);
  last = last_second(*period);
  return true;
}

void combine(Xapian::Query& into, Xapian::Query::op op, const Xapian::Query& query) {
  if (query.empty()) return;
  into = into.empty() ? query : Xapian::Query(op, into, query);
}

}  // namespace

Xapian::Query field_value_query(std::string_view prefix, std::string_view value) {
  // The exact term alone is what databases indexed before the folded field terms existed hold.
  // Since schema 7 a value that folding leaves unchanged has no `XF` twin: its exact term is the
  // exact term of the folded value, so `source:vnẽxpress` still finds `Hvnexpress`.
  const std::vector<Xapian::Query> terms = {
      Xapian::Query(schema::boolean_term(prefix, value)),
      Xapian::Query(schema::folded_field_term(prefix, value)),
      Xapian::Query(schema::boolean_term(prefix, to_folded(value)))};
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Xapian::Query filter_clause_query(const Clause& clause, std::vector<std::string>& notes) {
  if (clause.field == "date") {
    const std::size_t dots = clause.text.find("..");
    std::string error;
    std::optional<Period> from, to;
    if (dots == std::string::npos) {
      from = to = parse_period(clause.text, error);
    } else {
      from = parse_period(std::string_view(clause.text).substr(0, dots), error);
      if (from) to = parse_period(std::string_view(clause.text).substr(dots + 2), error);
    }
    if (!from || !to) {
      notes.push_back("ignored date filter 'date:" + clause.text + "': " + error +
                      "; expected YYYY, YYYY-MM, YYYY-MM-DD or FROM..TO");
      return {};
    }
    if (from->first_day > to->first_day) {
      // Typed the wrong way round: what was meant is plain.
      notes.push_back("date range '" + clause.text + "' is reversed: searched " +
                      clause.text.substr(dots + 2) + ".." + clause.text.substr(0, dots));
      std::swap(from, to);
    }
    // From the first second of the first day to the last of the last, Vietnam time (UTC+7).
    const double first = first_second(*from);
    const double last = std::max(last_second(*from), last_second(*to));
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotTimestamp,
                         Xapian::sortable_serialise(first), Xapian::sortable_serialise(last));
  }
  if (const auto type = entity_field(clause.field)) return entity_value_query(*type, clause.text);
  std::string_view prefix;
  if (clause.field == "source") prefix = schema::kSource;
  if (clause.field == "category") prefix = schema::kCategory;
  if (clause.field == "tag") prefix = schema::kTag;
  if (clause.field == "author") prefix = schema::kAuthor;
  return field_value_query(prefix, clause.text);
}

// Any-reading match of one folded syllable: docs with an accented reading carry `F`+folded,
// docs with the plain reading carry the plain term itself.
Xapian::Query any_reading(const std::string& folded) {
  const std::array<Xapian::Query, 2> terms = {Xapian::Query(std::string(schema::kFolded) + folded),
                                              Xapian::Query(folded)};
  return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

std::vector<Token> word_tokens(std::string_view text) {
  std::vector<Token> tokens;
  for (Token& token : Analyzer().analyze(text)) {
    if (token.exact.empty() || token.exact.size() > schema::kMaxTermBytes) continue;
    // Compounds (codes, dates) are matched through their parts, which carry positions.
    if (token.role == TokenRole::kCompound) continue;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

bool has_marks(const Token& token) {
  return token.exact != token.folded;
}

Xapian::Query reading_alternatives(const Token& token, const SyllableModel& model,
                                   std::string_view prefix) {
  std::vector<Xapian::Query> alternatives;
  if (has_marks(token) || token.kind != TokenKind::kWord) {
    alternatives.emplace_back(std::string(prefix) + token.exact);
  } else {
    for (const SyllableReading& reading : model.readings(token.folded)) {
      if (alternatives.size() == 8) break;
      alternatives.emplace_back(std::string(prefix) + reading.exact);
    }
    if (alternatives.empty()) alternatives.emplace_back(std::string(prefix) + token.exact);
  }
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

// Phrase over the likely readings of each syllable (ORs inside a phrase are allowed). Title
// phrases use the positional `S` terms, which only the title carries.
Xapian::Query phrase_query(const std::vector<Token>& tokens, const SyllableModel& model,
                           bool title_only) {
  const std::string prefix = title_only ? std::string(schema::kTitle) : std::string();
  std::vector<Xapian::Query> positions;
  for (const Token& token : tokens) positions.push_back(reading_alternatives(token, model, prefix));
  if (positions.empty()) return {};
  if (positions.size() == 1) return positions[0];
  return Xapian::Query(Xapian::Query::OP_PHRASE, positions.begin(), positions.end(),
                       positions.size());
}

QueryPlan plan_query(const ParsedQuery& parsed, const SyllableModel& model) {
  QueryPlan plan;
  plan.notes = parsed.notes;
  std::vector<RestorationInput> inputs;
  std::size_t group = 0;
  for (const Clause& clause : parsed.clauses) {
    if (clause.kind == Clause::Kind::kFilter) {
      const Xapian::Query filter = filter_clause_query(clause, plan.notes);
      combine(clause.excluded ? plan.excluded : plan.filter,
              clause.excluded ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, filter);
      continue;
    }
    const std::vector<Token> tokens = word_tokens(clause.text);
    for (const Token& token : tokens) plan.typed_without_marks &= !has_marks(token);
    if (clause.excluded) {
      // -word excludes every reading of a bare word; -"a phrase" excludes the phrase only.
      const bool single_bare_word =
          tokens.size() == 1 && !has_marks(tokens[0]) && clause.kind != Clause::Kind::kPhrase;
      combine(plan.excluded, Xapian::Query::OP_OR,
              single_bare_word ? any_reading(tokens[0].folded)
                               : phrase_query(tokens, model, clause.field == "title"));
      continue;
    }
    if (clause.kind == Clause::Kind::kPhrase || clause.required) {
      combine(plan.required, Xapian::Query::OP_AND,
              phrase_query(tokens, model, clause.field == "title"));
    }
    // Required words and phrases also rank, like any other word.
    ++group;
    for (const Token& token : tokens) {
      QueryUnit unit{token.exact, token.folded, has_marks(token) || token.kind != TokenKind::kWord,
                     false, group};
      inputs.push_back({unit.exact, unit.folded, unit.fixed});
      plan.units.push_back(std::move(unit));
    }
  }
  restore_units(plan, inputs, model);
  return plan;
}

void restore_units(QueryPlan& plan, const std::vector<RestorationInput>& inputs,
                   const SyllableModel& model) {
  RestorationOptions restoration;
  if (!plan.typed_without_marks) restoration.as_typed_prior = kAsTypedPriorInMixedQuery;
  // Short queries get more candidate readings: the searcher checks which occur as phrases.
  if (inputs.size() <= kShortQueryUnits) restoration.max_paths = 8;
  plan.restoration = restore(model, inputs, restoration);
  // Question words are judged on the reading the query most likely means.
  if (!plan.restoration.best_paths.empty()) {
    for (std::size_t i = 0; i < plan.units.size(); ++i) {
      plan.units[i].question = is_question_word(plan.restoration.best_paths[0][i]);
    }
  }
}

Xapian::Query ranked_query(const QueryPlan& plan, const std::vector<std::string>& reading,
                           const WeightOptions& weights,
                           const std::vector<UnitMatching>& matching) {
  std::vector<Xapian::Query> parts, extra_parts;
  for (std::size_t i = 0; i < plan.units.size(); ++i) {
    const QueryUnit& unit = plan.units[i];
    const UnitMatching how = i < matching.size() ? matching[i] : UnitMatching::kMatches;
    const double scale = unit.question ? weights.question_word : 1.0;
    const auto add = [&](Xapian::Query query, bool weight_only) {
      if (scale != 1.0) query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, scale);
      (weight_only ? extra_parts : parts).push_back(std::move(query));
    };
    const auto& choices = plan.restoration.choices;
    const bool sure = i < choices.size() && !choices[i].empty() &&
                      choices[i][0].exact == reading[i] &&
                      choices[i][0].posterior >= weights.sure_posterior;
    if (unit.fixed) {
      add(Xapian::Query(unit.exact), how == UnitMatching::kWeightOnly);
    } else if (sure) {
      // Restoration has no real doubt: other readings would only add noise (and time).
      add(Xapian::Query(reading[i]), how == UnitMatching::kWeightOnly);
    } else {
      // The restored reading counts fully; any other reading of the same letters a little.
      Xapian::Query restored(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(reading[i]),
                             weights.reading);
      Xapian::Query others(Xapian::Query::OP_SCALE_WEIGHT, any_reading(unit.folded),
                           weights.folded);
      if (how == UnitMatching::kAlternativesWeightOnly) {
        add(std::move(restored), false);
        add(std::move(others), true);
      } else {
        add(Xapian::Query(Xapian::Query::OP_OR, restored, others),
            how == UnitMatching::kWeightOnly);
      }
    }
  }
  // Nothing left to match on: the weight-only units match after all.
  if (parts.empty()) parts.swap(extra_parts);
  // A short query is often a name or a multi-syllable word: documents holding it as a phrase
  // get its weight again, across the whole collection (long queries get adjacency evidence
  // from re-ranking instead, where a phrase per pair would cost too much).
  const bool one_group = !plan.units.empty() && plan.units.front().group == plan.units.back().group;
  if (one_group && plan.units.size() >= 2 && plan.units.size() <= weights.phrase_boost_units) {
    Xapian::Query phrase(Xapian::Query::OP_PHRASE, reading.begin(), reading.end(), reading.size());
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, phrase, weights.phrase);
  }
  Xapian::Query query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  if (!extra_parts.empty()) {
    query =
        Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                      Xapian::Query(Xapian::Query::OP_OR, extra_parts.begin(), extra_parts.end()));
  }
  if (!plan.required.empty()) {
    query = parts.empty() ? plan.required
                          : Xapian::Query(Xapian::Query::OP_AND_MAYBE, plan.required, query);
  }
  if (!plan.filter.empty()) {
    query =
        query.empty() ? plan.filter : Xapian::Query(Xapian::Query::OP_FILTER, query, plan.filter);
  }
  if (!plan.excluded.empty() && !query.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, plan.excluded);
  }
  return query;
}

}  // namespace vnsearch::query

namespace vnsearch::query {

namespace {

// One field's values, any of which may match.
Xapian::Query any_value(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const std::string& value : values) terms.push_back(field_value_query(prefix, value));
  return terms.empty() ? Xapian::Query()
                       : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// One entity type's values, any of which may match.
Xapian::Query any_entity(schema::EntityType type, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const std::string& value : values) terms.push_back(entity_value_query(type, value));
  return terms.empty() ? Xapian::Query()
                       : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

Xapian::Query filters_query(const SearchFilters& filters) {
  Xapian::Query all;
  double first = 0, last = 0, ignored = 0;
  if (!filters.date_from.empty() && valid_filter_date(filters.date_from)) {
    date_bounds(filters.date_from, first, ignored);
    combine(all, Xapian::Query::OP_AND,
            Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotTimestamp,
                          Xapian::sortable_serialise(first)));
  }
  if (!filters.date_to.empty() && valid_filter_date(filters.date_to)) {
    date_bounds(filters.date_to, ignored, last);
    combine(all, Xapian::Query::OP_AND,
            Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotTimestamp,
                          Xapian::sortable_serialise(last)));
  }
  combine(all, Xapian::Query::OP_AND, any_value(schema::kSource, filters.sources));
  combine(all, Xapian::Query::OP_AND, any_value(schema::kCategory, filters.categories));
  combine(all, Xapian::Query::OP_AND, any_value(schema::kYear, filters.years));
  combine(all, Xapian::Query::OP_AND, any_entity(schema::EntityType::kPerson, filters.persons));
  combine(all, Xapian::Query::OP_AND, any_entity(schema::EntityType::kPlace, filters.places));
  combine(all, Xapian::Query::OP_AND,
          any_entity(schema::EntityType::kOrganisation, filters.organisations));
  return all;
}

}  // namespace vnsearch::query

namespace vnsearch {

bool valid_filter_date(std::string_view text) {
  // Exactly YYYY, YYYY-MM or YYYY-MM-DD: sscanf alone would accept "2020x".
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
  }
  double first = 0, last = 0;
  return query::date_bounds(text, first, last);
}

}  // namespace vnsearch
