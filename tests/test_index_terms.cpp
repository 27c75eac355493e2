// What schema 7 stopped writing, and that nothing was lost by it: near-duplicate band terms are
// buckets of a few documents (3 hex digits of the band's hash, not 12), and folded `XF` twins of
// field values and entities are stored only where folding changes the value (docs/schema.md).
#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "near_duplicates.h"
#include "story_fixture.h"
#include "temp_dir.h"
#include "vnsearch/entity_terms.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace vnsearch;

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Union-find over document ids, to recompute story keys independently of the indexer.
struct Stories {
  std::map<std::string, std::string> parent;
  std::string find(const std::string& id) {
    std::string root = id;
    while (parent.at(root) != root) root = parent.at(root);
    return root;
  }
  void unite(const std::string& a, const std::string& b) {
    const std::string ra = find(a), rb = find(b);
    // The smaller id is the root: a component's root is then its smallest id, the story key.
    if (ra < rb) parent[rb] = ra;
    if (rb < ra) parent[ra] = rb;
  }
};

std::string id_of(const Xapian::Database& db, Xapian::docid docid) {
  const std::string prefix(schema::kId);
  const Xapian::Document doc = db.get_document(docid);
  auto term = doc.termlist_begin();
  term.skip_to(prefix);
  REQUIRE(term != doc.termlist_end());
  return (*term).substr(prefix.size());
}

}  // namespace

TEST_CASE("band terms are buckets: two digits of band, three hex digits of hash", "[terms]") {
  indexing::SketchBuilder builder;
  for (int i = 0; i < 40; ++i) builder.add("âm" + std::to_string(i));
  const std::optional<indexing::Sketch> sketch = builder.finish();
  REQUIRE(sketch);
  const std::vector<std::string> terms = indexing::band_terms(sketch->signature);
  REQUIRE(terms.size() == indexing::kBands);
  for (std::size_t band = 0; band < terms.size(); ++band) {
    INFO(terms[band]);
    REQUIRE(terms[band].size() == 7);
    CHECK(terms[band].substr(0, 2) == schema::kStoryBand);
    CHECK(std::stoul(terms[band].substr(2, 2)) == band);
    CHECK((is_hex(terms[band][4]) && is_hex(terms[band][5]) && is_hex(terms[band][6])));
  }
  for (const std::uint64_t key : indexing::band_keys(sketch->signature)) {
    CHECK((key & 0xffffffffffffULL) < (1ULL << indexing::kBandHashBits));
  }
  // A candidate counts only when a whole band agrees, not two values in different bands.
  indexing::Signature a{}, b{};
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<std::uint32_t>(i);
    b[i] = static_cast<std::uint32_t>(i + 1000);
  }
  CHECK_FALSE(indexing::share_a_band(a, b));
  b[1] = a[1];
  b[2] = a[2];  // equal values in bands 0 and 1, neither band whole
  CHECK_FALSE(indexing::share_a_band(a, b));
  b[3] = a[3];  // band 1 is now whole
  CHECK(indexing::share_a_band(a, b));
}

TEST_CASE("sketches keep 16 bits a value; a 32-bit sketch of schema 6 reads as its low bits",
          "[terms]") {
  indexing::SketchBuilder builder;
  for (int i = 0; i < 40; ++i) builder.add("âm" + std::to_string(i));
  const std::optional<indexing::Sketch> sketch = builder.finish();
  REQUIRE(sketch);
  for (const std::uint32_t value : sketch->signature) CHECK(value <= 0xffff);
  const std::string encoded = indexing::encode_sketch(*sketch);
  CHECK(encoded.size() == 4 + 2 * indexing::kSignatureSize);
  const std::optional<indexing::Sketch> decoded = indexing::decode_sketch(encoded);
  REQUIRE(decoded);
  CHECK(decoded->shingles == sketch->shingles);
  CHECK(decoded->signature == sketch->signature);
  // Schema 6 stored 32-bit minima: high bits set, the low 16 those of the new sketch.
  std::string old_format(4, '\0');
  old_format[0] = static_cast<char>(sketch->shingles);
  for (const std::uint32_t value : sketch->signature) {
    const std::uint32_t wide = value | 0xabcd0000U;
    for (int byte = 0; byte < 4; ++byte)
      old_format.push_back(static_cast<char>(wide >> (8 * byte)));
  }
  const std::optional<indexing::Sketch> old_decoded = indexing::decode_sketch(old_format);
  REQUIRE(old_decoded);
  CHECK(old_decoded->signature == sketch->signature);
  CHECK(indexing::estimated_jaccard(old_decoded->signature, sketch->signature) == 1.0);
  CHECK_FALSE(indexing::decode_sketch(encoded.substr(1)));
}

TEST_CASE("story keys are the components of bucket neighbours that are copies", "[terms]") {
  // The whole bundled sample (480 articles) plus a syndicated copy and an edited reprint: with
  // 4,096 buckets per band, hundreds of unrelated pairs share a band term, and the similarity
  // check has to turn each of them down.
  test::TempDir dir("vnsearch-index-terms");
  std::vector<json> docs;
  for (const auto& [id, doc] : test::sample_articles()) docs.push_back(doc);
  const json original = test::sample_article("newsmds-002-1");
  docs.push_back(test::syndicated_copy(original, "wire-002", "Báo Tổng Hợp"));
  docs.push_back(test::edited_copy(original, "edit-002", 25));
  const fs::path database = dir / "db";
  test::index_file(database, dir.write("all.jsonl", test::to_jsonl(docs)));

  const Xapian::Database db(database.string());
  REQUIRE(db.get_doccount() == docs.size());
  std::map<Xapian::docid, std::optional<indexing::Sketch>> sketches;
  std::map<Xapian::docid, std::string> ids;
  Stories stories;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    ids[*it] = id_of(db, *it);
    stories.parent[ids[*it]] = ids[*it];
    sketches[*it] = indexing::decode_sketch(db.get_document(*it).get_value(schema::kSlotMinHash));
  }
  // Every pair sharing a band term is a candidate; copies among them join one story.
  std::size_t neighbour_pairs = 0, unrelated_neighbours = 0;
  const std::string band_prefix(schema::kStoryBand);
  for (auto term = db.allterms_begin(band_prefix); term != db.allterms_end(band_prefix); ++term) {
    const std::vector<Xapian::docid> bucket(db.postlist_begin(*term), db.postlist_end(*term));
    for (std::size_t a = 0; a < bucket.size(); ++a) {
      for (std::size_t b = 0; b < a; ++b) {
        ++neighbour_pairs;
        const auto& sa = sketches.at(bucket[a]);
        const auto& sb = sketches.at(bucket[b]);
        REQUIRE((sa && sb));  // only documents with a sketch have band terms
        if (indexing::share_a_band(sa->signature, sb->signature) &&
            indexing::near_duplicates(*sa, *sb)) {
          stories.unite(ids.at(bucket[a]), ids.at(bucket[b]));
        } else {
          ++unrelated_neighbours;
        }
      }
    }
  }
  CHECK(unrelated_neighbours >= 100);  // the buckets are shared, not one document's own
  CHECK(neighbour_pairs > unrelated_neighbours);
  for (const auto& [docid, id] : ids) {
    INFO(id);
    CHECK(db.get_document(docid).get_value(schema::kSlotStoryKey) == stories.find(id));
  }
  // And the copies are found through them.
  for (const char* copy : {"newsmds-002-1", "newsmds-002-2", "wire-002"}) {
    INFO(copy);
    CHECK(stories.find(copy) == "edit-002");
  }
}

TEST_CASE("folded twins only where folding changes the value; filters match either way",
          "[terms]") {
  test::TempDir dir("vnsearch-index-terms");
  json doc = test::sample_article("newsmds-002-1");
  doc["id"] = "twins-1";
  doc["source"] = "VnExpress";
  doc["author"] = "Đội Tuyên truyền";
  doc["category"] = "Thời sự";
  doc["tags"] = {"covid-19", "Hà Nội"};
  doc["body"] = doc["body"].get<std::string>() +
                "\nTổng thống Donald Trump tiếp ông Lê Hồng Hiệp. Ông Donald Trump nói ông Lê "
                "Hồng Hiệp sẽ trở lại.";
  const fs::path database = dir / "db";
  test::index_file(database, dir.write("twins.jsonl", test::to_jsonl({doc})));

  {
    const Xapian::Database db(database.string());
    const auto has = [&](const std::string& term) { return db.term_exists(term); };
    CHECK(has("Hvnexpress"));
    CHECK_FALSE(has("XFHvnexpress"));
    CHECK(has("Kcovid-19"));
    CHECK_FALSE(has("XFKcovid-19"));
    CHECK(has("XFKha noi"));
    CHECK(has("XFAdoi tuyen truyen"));
    CHECK(has("XFXCthoi su"));
    CHECK(has("XPdonald trump"));
    CHECK_FALSE(has("XFXPdonald trump"));
    CHECK(has("XPlê hồng hiệp"));
    CHECK(has("XFXPle hong hiep"));
    // No twin anywhere equals its exact term.
    const std::string twins(schema::kFoldedField);
    for (auto term = db.allterms_begin(twins); term != db.allterms_end(twins); ++term) {
      INFO(*term);
      CHECK_FALSE(db.term_exists((*term).substr(twins.size())));
    }
  }

  Searcher searcher(database);
  const auto matches = [&](const std::string& query) {
    SearchOptions options;
    options.snippets = false;
    const SearchResult result = searcher.search(query, options);
    return result.hits.size() == 1 && result.hits[0].id == "twins-1";
  };
  for (const char* query :
       {"source:vnexpress", "source:VnExpress", "source:vnèxpress", "tag:covid-19",
        "tag:\"ha noi\"", "tag:\"Hà Nội\"", "author:\"doi tuyen truyen\"",
        "author:\"Đội Tuyên Truyền\"", "category:\"thoi su\"", "person:\"donald trump\"",
        "person:\"Donald Trump\"", "person:\"Đonald Trump\"", "person:\"le hong hiep\"",
        "person:\"Lê Hồng Hiệp\""}) {
    INFO(query);
    CHECK(matches(query));
  }
  for (const char* query : {"source:tuoitre", "person:\"le hong hoa\"", "tag:\"ha nam\""}) {
    INFO(query);
    CHECK_FALSE(matches(query));
  }
}
