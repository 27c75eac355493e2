// "Did you mean" (query/src/correction.*): Telex and VNI decoding on their own, then each kind of
// correction and the no-false-suggestion set on an index of the bundled corpus/ sample, and how
// Searcher results, the CLI and JSON carry a correction.
#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "correction.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/result_json.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

namespace fs = std::filesystem;
using vnsearch::Searcher;
using vnsearch::query::CorrectionKind;
using vnsearch::query::telex_to_syllable;
using vnsearch::query::vni_to_syllable;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;

// The bundled corpus, indexed once for this binary.
struct Bundled {
  vnsearch::test::TempDir tmp{"vnsearch-correction"};
  fs::path database = tmp / "db";
  std::vector<std::string> titles;
  std::uint64_t documents = 0;
  vnsearch::SyllableModel model;

  Bundled() {
    vnsearch::IndexOptions options;
    options.analysis_threads = 2;
    const std::vector<fs::path> inputs = {kSourceDir / "corpus"};
    const auto summary = vnsearch::index_paths(
        database, inputs, options,
        [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; }, {});
    if (summary.documents_in_index == 0) throw std::runtime_error("indexing corpus/ failed");
    documents = summary.documents_in_index;
    model.load(fs::canonical(database) / std::string(vnsearch::SyllableModel::kFileName));
    model.index_readings();
    // Every title, read straight from the stored records.
    Xapian::Database db(fs::canonical(database).string());
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const std::string data = db.get_document(*it).get_data();
      const auto parts = vnsearch::schema::split_stored_record(data);
      const auto header = nlohmann::json::parse(parts.header_json, nullptr, false);
      if (header.is_object() && header.contains("title") && header["title"].is_string()) {
        titles.push_back(header["title"].get<std::string>());
      }
    }
  }
};

Bundled& bundled() {
  static Bundled instance;
  return instance;
}

Searcher& searcher() {
  static Searcher instance(bundled().database);
  return instance;
}

}  // namespace

TEST_CASE("Telex keystrokes spell syllables", "[correction][telex]") {
  CHECK(telex_to_syllable("vieetj") == "việt");
  CHECK(telex_to_syllable("thanhf") == "thành");
  CHECK(telex_to_syllable("phoos") == "phố");
  CHECK(telex_to_syllable("dduwowngf") == "đường");
  CHECK(telex_to_syllable("tuwf") == "từ");
  CHECK(telex_to_syllable("hoaf") == "hòa");
  CHECK(telex_to_syllable("Nguyeenx") == "nguyễn");
  // No Telex key, or not one syllable's keys: nothing.
  CHECK_FALSE(telex_to_syllable("nam"));
  CHECK_FALSE(telex_to_syllable("covid"));
  CHECK_FALSE(telex_to_syllable("assf"));
  CHECK_FALSE(telex_to_syllable("u23"));
}

TEST_CASE("VNI keystrokes spell syllables", "[correction][vni]") {
  CHECK(vni_to_syllable("vie65t") == "việt");
  CHECK(vni_to_syllable("viet65") == "việt");
  CHECK(vni_to_syllable("thanh2") == "thành");
  CHECK(vni_to_syllable("duong972") == "đường");
  CHECK(vni_to_syllable("Nguye64n") == "nguyễn");
  CHECK_FALSE(vni_to_syllable("u23"));
  CHECK_FALSE(vni_to_syllable("covid19"));
  CHECK_FALSE(vni_to_syllable("g7"));
  CHECK_FALSE(vni_to_syllable("h5n1"));
}

TEST_CASE("correct queries from the bundled corpus get no suggestion", "[correction][corpus]") {
  const auto& titles = bundled().titles;
  INFO("documents in the index: " << bundled().documents);
  REQUIRE(titles.size() > 400);
  std::size_t checked = 0;
  for (const std::string& title : titles) {
    for (const std::string& query : {title, vnsearch::to_folded(title)}) {
      INFO(query);
      const auto correction = vnsearch::query::correct_query(bundled().model, query);
      CHECK_FALSE(correction.has_value());
      if (correction) INFO("suggested: " << correction->text);
      ++checked;
    }
  }
  // Lower-case and title-case variants of a few, and the README's example queries.
  for (const char* query : {"cum thi dua so 8", "Cụm thi đua số 8", "gia vang", "thi đua",
                            "con tin", "ha noi", "viet nam", "Việt Nam", "thành phố"}) {
    INFO(query);
    CHECK_FALSE(vnsearch::query::correct_query(bundled().model, query).has_value());
    ++checked;
  }
  CHECK(checked > 800);
}

TEST_CASE("each kind of mistake is corrected on the bundled corpus", "[correction][corpus]") {
  struct Case {
    const char* typed;
    const char* expected;
    CorrectionKind kind;
    bool sure;
  };
  const Case cases[] = {
      {"Cụm thi ddua soos 8", "Cụm thi đua số 8", CorrectionKind::kTelex, true},
      {"Cụm thi d9ua so61 8", "Cụm thi đua số 8", CorrectionKind::kVni, true},
      {"Cu.m thi ddua so^' 8", "Cụm thi đua số 8", CorrectionKind::kViqr, true},
      {"vieetj nam", "việt nam", CorrectionKind::kTelex, true},
      {"vie65t nam", "việt nam", CorrectionKind::kVni, true},
      {"Vie^.t Nam", "Việt Nam", CorrectionKind::kViqr, true},
  };
  for (const Case& c : cases) {
    INFO(c.typed);
    const auto correction = vnsearch::query::correct_query(bundled().model, c.typed);
    REQUIRE(correction.has_value());
    CHECK(correction->text == c.expected);
    REQUIRE(!correction->kinds.empty());
    CHECK(correction->kinds[0] == c.kind);
    CHECK(correction->sure == c.sure);
  }
}

TEST_CASE("search applies a sure correction with a way back, and offers it otherwise",
          "[correction][search]") {
  auto has_note = [](const vnsearch::SearchResult& result, vnsearch::NoteCode code) {
    for (const auto& note : result.notes) {
      if (note.code == code) return true;
    }
    return false;
  };
  const vnsearch::SearchResult corrected = searcher().search("vieetj nam");
  REQUIRE(corrected.correction.has_value());
  CHECK(corrected.correction->applied);
  CHECK(corrected.correction->text == "việt nam");
  CHECK(corrected.correction->original == "vieetj nam");
  CHECK(corrected.correction->kinds == std::vector<std::string>{"telex"});
  CHECK(has_note(corrected, vnsearch::NoteCode::kCorrected));
  REQUIRE_FALSE(corrected.readings.empty());
  CHECK(corrected.readings[0] == "việt nam");
  CHECK_FALSE(corrected.hits.empty());

  const nlohmann::json json = vnsearch::result_to_json(corrected, {});
  CHECK(json["correction"]["text"] == "việt nam");
  CHECK(json["correction"]["applied"] == true);
  bool coded = false;
  for (const auto& note : json["notes"]) coded = coded || note["code"] == "corrected";
  CHECK(coded);

  // The way back: searched as typed, the correction only offered.
  vnsearch::SearchOptions exact;
  exact.correct = false;
  const vnsearch::SearchResult typed = searcher().search("vieetj nam", exact);
  REQUIRE(typed.correction.has_value());
  CHECK_FALSE(typed.correction->applied);
  CHECK(has_note(typed, vnsearch::NoteCode::kSuggestion));
  CHECK_FALSE(has_note(typed, vnsearch::NoteCode::kCorrected));
  REQUIRE_FALSE(typed.readings.empty());
  CHECK(typed.readings[0] != "việt nam");

  // A correct query carries no correction at all.
  const vnsearch::SearchResult fine = searcher().search("cum thi dua so 8");
  CHECK_FALSE(fine.correction.has_value());
  CHECK_FALSE(has_note(fine, vnsearch::NoteCode::kSuggestion));
  CHECK(vnsearch::result_to_json(fine, {})["correction"].is_null());
  // Operators mean the query is typed on purpose.
  CHECK_FALSE(searcher().search("\"vieetj nam\"").correction.has_value());
}
