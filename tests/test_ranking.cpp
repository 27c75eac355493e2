// The re-ranker's evidence (query/src/proximity.*) and its tuning hook (ranking.*): the title's
// own length normalisation, on a small in-memory index laid
// out like the indexer's (title from schema::kTitleStart, its length in kSlotTitleLength).
#include <xapian.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "proximity.h"
#include "query_plan.h"
#include "ranking.h"
#include "vnsearch/schema.h"

namespace {

using vnsearch::query::ProximityEvidence;
using vnsearch::query::QueryPlan;
using vnsearch::query::QueryUnit;

// A document whose title and body are lists of syllables, positioned as the indexer does:
// the title from kTitleStart, the body after a gap.
Xapian::docid add(Xapian::WritableDatabase& db, const std::vector<std::string>& title,
                  const std::vector<std::string>& body) {
  Xapian::Document document;
  Xapian::termpos position = vnsearch::schema::kTitleStart;
  for (const std::string& syllable : title) document.add_posting(syllable, position++);
  document.add_value(vnsearch::schema::kSlotTitleLength,
                     Xapian::sortable_serialise(static_cast<double>(title.size())));
  position += 100;
  for (const std::string& syllable : body) document.add_posting(syllable, position++);
  return db.add_document(document);
}

QueryPlan plan_of(const std::vector<std::string>& syllables) {
  QueryPlan plan;
  for (const std::string& syllable : syllables) {
    QueryUnit unit;
    unit.exact = unit.folded = syllable;
    unit.fixed = true;
    plan.units.push_back(unit);
  }
  return plan;
}

ProximityEvidence evidence_for(const Xapian::Database& db, Xapian::docid docid,
                               const std::vector<std::string>& query,
                               const std::vector<double>& unit_idf) {
  const std::vector<double> pair_idf(query.size(), 1.0);
  return vnsearch::query::proximity_evidence(db, docid, plan_of(query), query, pair_idf, unit_idf,
                                             20);
}

}  // namespace

TEST_CASE("title precision is the share of the title the query holds", "[ranking]") {
  using vnsearch::query::title_precision;
  const Xapian::termpos start = vnsearch::schema::kTitleStart;
  // A four-position title; the query holds positions 1 and 3 of it (and body positions after).
  const std::vector<std::vector<Xapian::termpos>> positions = {{start, start + 40}, {start + 2}};
  CHECK(title_precision(positions, start + 4, 4) == Approx(0.5));
  // The same syllable twice in the query counts its title position once.
  CHECK(title_precision({{start}, {start}}, start + 4, 4) == Approx(0.25));
  CHECK(title_precision(positions, start, 0) == 0.0);  // no title
  CHECK(title_precision({}, start + 4, 4) == 0.0);
}

TEST_CASE("a headline typed in full ranks its own short title above a longer one", "[ranking]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const Xapian::docid exact = add(db, {"bão", "số", "ba"}, {"gió", "mạnh"});
  const Xapian::docid longer = add(db, {"bão", "số", "ba", "đổ", "bộ", "miền", "trung"}, {"mưa"});
  const std::vector<std::string> query = {"bão", "số", "ba"};
  const ProximityEvidence a = evidence_for(db, exact, query, {1, 1, 1});
  const ProximityEvidence b = evidence_for(db, longer, query, {1, 1, 1});
  CHECK(a.title_coverage == Approx(1.0));
  CHECK(b.title_coverage == Approx(1.0));  // coverage alone cannot tell them apart
  CHECK(a.title_precision == Approx(1.0));
  CHECK(b.title_precision == Approx(3.0 / 7.0));
}

TEST_CASE("VNSEARCH_RANKING sets the title match weight by name", "[ranking]") {
  ::setenv("VNSEARCH_RANKING", "title_match=2.5,bogus=3", 1);
  const vnsearch::query::RankingParameters ranking = vnsearch::query::ranking_from_environment();
  ::unsetenv("VNSEARCH_RANKING");
  CHECK(ranking.title_match_bonus == 2.5);
  CHECK(vnsearch::query::RankingParameters{}.title_match_bonus == 4.0);  // the tuned default
  CHECK(ranking.title_coverage_bonus == vnsearch::query::RankingParameters{}.title_coverage_bonus);
}
