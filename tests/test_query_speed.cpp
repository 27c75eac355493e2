// The query-latency changes of issue 11 §1 that must not change what a search finds: the
// re-ranker's batched position reads (hit_positions.*) against Xapian's per-document reads, and
// ranked_query's weight-only units (UnitMatching) against the plain OR they replace. On small
// glass databases in a temp dir: fast.
#include <xapian.h>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "hit_positions.h"
#include "query_plan.h"
#include "temp_dir.h"
#include "vnsearch/schema.h"

namespace {

using vnsearch::query::HitPositions;
using vnsearch::query::QueryPlan;
using vnsearch::query::QueryUnit;
using vnsearch::query::UnitMatching;

// A document laid out like the indexer's: the title from kTitleStart with its length in
// kSlotTitleLength, the body after a gap; `folded` adds the `F` term of each marked syllable.
Xapian::Document make_document(const std::vector<std::string>& title,
                               const std::vector<std::string>& body,
                               const std::vector<std::string>& folded = {}) {
  Xapian::Document document;
  Xapian::termpos position = vnsearch::schema::kTitleStart;
  for (const std::string& syllable : title) document.add_posting(syllable, position++);
  if (!title.empty()) {
    document.add_value(vnsearch::schema::kSlotTitleLength,
                       Xapian::sortable_serialise(static_cast<double>(title.size())));
  }
  position += 100;
  for (const std::string& syllable : body) document.add_posting(syllable, position++);
  for (const std::string& term : folded) {
    document.add_term(std::string(vnsearch::schema::kFolded) + term);
  }
  return document;
}

std::vector<Xapian::termpos> positions_one_by_one(const Xapian::Database& db, Xapian::docid docid,
                                                  const std::string& term) {
  std::vector<Xapian::termpos> positions;
  for (auto it = db.positionlist_begin(docid, term); it != db.positionlist_end(docid, term); ++it) {
    positions.push_back(*it);
  }
  return positions;
}

std::map<Xapian::docid, double> weights_of(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::map<Xapian::docid, double> weights;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
  return weights;
}

QueryUnit unit(const std::string& exact, const std::string& folded, bool fixed) {
  QueryUnit result;
  result.exact = exact;
  result.folded = folded;
  result.fixed = fixed;
  result.group = 1;
  return result;
}

}  // namespace

TEST_CASE("batched position reads equal Xapian's per-document reads", "[query-speed]") {
  vnsearch::test::TempDir dir("test_query_speed");
  std::vector<Xapian::docid> docids;
  {
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE);
    // Enough documents that the position table spans several blocks.
    for (int i = 0; i < 400; ++i) {
      std::vector<std::string> body;
      for (int j = 0; j < 60; ++j) body.push_back("w" + std::to_string((i * 7 + j * 13) % 97));
      if (i % 5 == 0) body.push_back("hiếm");
      db.add_document(make_document({"tin", "số", std::to_string(i)}, body));
    }
    db.add_document(make_document({}, {"hiếm", "w1"}));  // no title (no title-length value)
    db.commit();
  }
  const Xapian::Database db((dir / "db").string());
  // Unsorted, repeated, and the untitled last document.
  docids = {300, 5, 401, 5, 1, 250, 399, 100};
  // A repeated term, a term no document holds, an absent one in most hits.
  const std::vector<std::string> terms = {"w3", "hiếm", "tin", "w3", "không-có", "số", "w96"};
  const std::vector<HitPositions> hits = vnsearch::query::read_hit_positions(db, docids, terms);
  REQUIRE(hits.size() == docids.size());
  for (std::size_t k = 0; k < docids.size(); ++k) {
    INFO("document " << docids[k]);
    REQUIRE(hits[k].positions.size() == terms.size());
    for (std::size_t t = 0; t < terms.size(); ++t) {
      INFO("term " << terms[t]);
      CHECK(hits[k].positions[t] == positions_one_by_one(db, docids[k], terms[t]));
    }
    CHECK(hits[k].title_length == (docids[k] == 401 ? 0u : 3u));
  }
  // Documents 1 (the first of every fifth) and 401 hold the rare syllable, 5 does not.
  CHECK_FALSE(hits[4].positions[1].empty());
  CHECK_FALSE(hits[2].positions[1].empty());
  CHECK(hits[1].positions[1].empty());
  CHECK(hits[1].positions[4].empty());
  CHECK(hits[1].positions[0] == hits[1].positions[3]);  // the repeated term
  CHECK(vnsearch::query::read_hit_positions(db, {}, terms).empty());
}

TEST_CASE("weight-only units add weight but do not make a document match", "[query-speed]") {
  vnsearch::test::TempDir dir("test_query_speed");
  {
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE);
    db.add_document(make_document({"bão", "lớn"}, {"của", "miền", "trung"}));  // 1: both
    db.add_document(make_document({"tin"}, {"của", "hà", "nội"}));             // 2: common only
    db.add_document(make_document({"bão"}, {"gió"}));                          // 3: rare only
    db.add_document(make_document({"bảo", "vệ"}, {"của"}, {"bao"}));           // 4: other reading
    db.commit();
  }
  const Xapian::Database db((dir / "db").string());
  QueryPlan plan;
  plan.units = {unit("bão", "bao", true), unit("của", "cua", true)};
  const std::vector<std::string> reading = {"bão", "của"};
  const auto all = weights_of(db, vnsearch::query::ranked_query(plan, reading));
  REQUIRE(all.count(2) == 1);  // plain OR: the common syllable alone matches

  const auto split =
      weights_of(db, vnsearch::query::ranked_query(
                         plan, reading, {}, {UnitMatching::kMatches, UnitMatching::kWeightOnly}));
  CHECK(split.count(2) == 0);  // only the weight-only syllable: no match
  REQUIRE(split.count(1) == 1);
  REQUIRE(split.count(3) == 1);
  CHECK(split.at(1) == Approx(all.at(1)));  // the same weight where it matches
  CHECK(split.at(3) == Approx(all.at(3)));

  // Every unit weight-only: nothing would match, so they all match as before.
  const auto none_left = weights_of(
      db, vnsearch::query::ranked_query(plan, reading, {},
                                        {UnitMatching::kWeightOnly, UnitMatching::kWeightOnly}));
  CHECK(none_left == all);
}

TEST_CASE("an unsure syllable's other readings can be made weight-only", "[query-speed]") {
  vnsearch::test::TempDir dir("test_query_speed");
  {
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE);
    db.add_document(make_document({"bão", "lũ"}, {"gió"}, {"bao"}));   // 1: the restored reading
    db.add_document(make_document({"bảo", "vệ"}, {"rừng"}, {"bao"}));  // 2: another reading only
    db.add_document(make_document({"bảo", "lũ"}, {"lũ"}, {"bao"}));    // 3: other reading + lũ
    db.commit();
  }
  const Xapian::Database db((dir / "db").string());
  QueryPlan plan;
  plan.units = {unit("bao", "bao", false), unit("lũ", "lu", true)};
  // Restoration unsure: the reading "bão" with another close behind.
  plan.restoration.choices = {{{"bão", 0.6}, {"bảo", 0.4}}, {{"lũ", 1.0}}};
  const std::vector<std::string> reading = {"bão", "lũ"};
  const auto all = weights_of(db, vnsearch::query::ranked_query(plan, reading));
  REQUIRE(all.count(2) == 1);  // any reading of `bao` matches

  const auto split = weights_of(
      db, vnsearch::query::ranked_query(
              plan, reading, {}, {UnitMatching::kAlternativesWeightOnly, UnitMatching::kMatches}));
  CHECK(split.count(2) == 0);  // only another reading: no match
  REQUIRE(split.count(1) == 1);
  REQUIRE(split.count(3) == 1);  // matched by `lũ`, still weighted by its other reading
  CHECK(split.at(1) == Approx(all.at(1)));
  CHECK(split.at(3) == Approx(all.at(3)));
}
