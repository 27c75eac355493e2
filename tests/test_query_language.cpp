// The query language (docs/query.md): AND, OR, NOT, parentheses, NEAR/n, prefix wildcards,
// field values whatever their case and marks, broken syntax degrading to a plain search with a
// note, and plain queries planned exactly as before. A small fixture index whose articles are
// written for each operator (so every expectation is a known set of ids), plus the bundled
// corpus for "plain queries are unchanged".
#include <xapian.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "boolean_plan.h"
#include "page.h"
#include "query_language.h"
#include "query_plan.h"
#include "query_syntax.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using vnsearch::NoteCode;
using vnsearch::Searcher;
using vnsearch::SearchOptions;
using vnsearch::SearchResult;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;

// Each article exists for one expectation; positions in the comments count syllables.
std::string fixture_articles() {
  std::string out;
  int number = 0;
  const auto add = [&](const std::string& id, const std::string& body, const std::string& source,
                       const std::string& author, const std::string& date) {
    // Titles hold no word of the bodies, so every count below is the bodies' alone.
    out += R"({"id":")" + id + R"(","title":"Tin )" + std::to_string(++number) + R"(","body":")" +
           body + R"(","source":")" + source + R"(","author":")" + author + R"(","date":")" + date +
           "\"}\n";
  };
  add("thidua", "Công an tỉnh tổ chức hội nghị thi đua khen thưởng năm 2023.", "VnExpress",
      "Đội Tuyên truyền", "2023-05-01");
  add("vang", "Giá vàng tăng mạnh trong tuần qua.", "Tuổi Trẻ", "Nguyễn Văn An", "2022-01-10");
  add("xang", "Giá xăng giảm nhẹ từ chiều nay.", "VnExpress", "", "2024-03-01");
  add("duaxe", "Đua xe trái phép bị xử lý nghiêm.", "Thanh Niên", "", "2021-06-01");
  // thi (1) cử năm nay và cuộc đua (7): đua is 6 syllables after thi.
  add("thicu", "Thi cử năm nay và cuộc đua vào lớp mười.", "Dân Trí", "", "2023-07-01");
  add("dua", "Dừa Bến Tre được mùa.", "Nhân Dân", "", "2020-02-02");
  add("english", "Tom and Jerry or not, the show goes on.", "VnExpress", "", "2020-03-03");
  add("nguyen", "Nguyễn Xuân Phúc thăm Nguyễn Thị Kim Ngân.", "Nhân Dân", "", "2019-09-09");
  // Sixty made-up words starting with `thx`, the first ones in more articles (for the cap).
  for (int doc = 0; doc < 6; ++doc) {
    std::string body;
    for (int word = 0; word < 60; ++word) {
      if (word >= 10 * (doc + 1) && doc < 5) break;
      body += "thx" + std::string(1, static_cast<char>('a' + word / 26)) +
              std::string(1, static_cast<char>('a' + word % 26)) + " ";
    }
    add("thx" + std::to_string(doc), body, "Lab", "", "2018-01-01");
  }
  return out;
}

class FixtureIndex {
 public:
  FixtureIndex() : dir_("vnsearch-language") {
    const fs::path input = dir_.path() / "articles.jsonl";
    std::ofstream(input) << fixture_articles();
    vnsearch::IndexOptions options;
    options.analysis_threads = 1;
    const fs::path inputs[] = {input};
    const auto summary = vnsearch::index_paths(dir_.path() / "db", inputs, options, nullptr, {});
    if (summary.documents_in_index == 0) throw std::runtime_error("fixture index is empty");
  }
  fs::path database() const { return dir_.path() / "db"; }
  const fs::path& root() const { return dir_.path(); }

 private:
  vnsearch::test::TempDir dir_;
};

const FixtureIndex& fixture() {
  static const FixtureIndex index;
  return index;
}

Searcher& searcher() {
  static Searcher instance(fixture().database());
  return instance;
}

SearchResult search(const std::string& query) {
  SearchOptions options;
  options.limit = 50;
  return searcher().search(query, options);
}

std::set<std::string> ids(const SearchResult& result) {
  std::set<std::string> out;
  for (const auto& hit : result.hits) out.insert(hit.id);
  return out;
}

std::set<std::string> ids_of(const std::string& query) {
  return ids(search(query));
}

bool has_note(const SearchResult& result, NoteCode code, const std::string& part = "") {
  return std::any_of(result.notes.begin(), result.notes.end(), [&](const vnsearch::SearchNote& n) {
    return n.code == code && n.text.find(part) != std::string::npos;
  });
}

using Ids = std::set<std::string>;

}  // namespace

TEST_CASE("only upper-case operator words, parentheses and * select the language",
          "[language][syntax]") {
  using vnsearch::query::uses_query_language;
  CHECK(uses_query_language("vàng OR xăng"));
  CHECK(uses_query_language("a AND b"));
  CHECK(uses_query_language("NOT a"));
  CHECK(uses_query_language("a NEAR b"));
  CHECK(uses_query_language("a NEAR/3 b"));
  CHECK(uses_query_language("(a)"));
  CHECK(uses_query_language("thi*"));
  CHECK(uses_query_language("*"));
  CHECK_FALSE(uses_query_language("tom and jerry or not"));
  CHECK_FALSE(uses_query_language("Or And Not Near"));
  CHECK_FALSE(uses_query_language("\"a OR b (c)*\" title:x -y +z"));
  CHECK_FALSE(uses_query_language("cum thi dua so 8"));
  CHECK_FALSE(uses_query_language("-OR"));  // a signed word is a word
}

TEST_CASE("precedence: OR loosest, then AND and side by side, then NOT, then NEAR",
          "[language][syntax]") {
  using Kind = vnsearch::query::LanguageNode::Kind;
  const auto query = vnsearch::query::parse_language("a b OR NOT c AND d NEAR e");
  REQUIRE(query.uses_operators);
  REQUIRE(query.notes.empty());
  const auto& root = query.root;
  REQUIRE(root.kind == Kind::kOr);
  REQUIRE(root.children.size() == 2);
  CHECK(root.children[0].kind == Kind::kLeaf);  // the run "a b"
  CHECK(root.children[0].leaf.text == "a b");
  const auto& right = root.children[1];
  REQUIRE(right.kind == Kind::kAnd);
  REQUIRE(right.children.size() == 2);
  CHECK(right.children[0].kind == Kind::kNot);
  CHECK(right.children[1].kind == Kind::kNear);
  CHECK(right.children[1].distances == std::vector<std::size_t>{10});
}

TEST_CASE("OR, AND, NOT and side by side match the expected articles", "[language][search]") {
  CHECK(ids_of("vàng OR xăng") == Ids{"vang", "xang"});
  CHECK(ids_of("giá AND vàng") == Ids{"vang"});
  CHECK(ids_of("giá vàng AND tuần") == Ids{"vang"});
  CHECK(ids_of("giá NOT vàng") == Ids{"xang"});
  CHECK(ids_of("giá AND NOT vàng") == Ids{"xang"});
  CHECK(ids_of("giá -vàng (tăng OR giảm)") == Ids{"xang"});
  // Lower-case and/or/not are words (English in the news), searched like any other.
  const SearchResult english = search("tom and jerry or not");
  CHECK(ids(english).count("english") == 1);
  CHECK(english.notes.empty());
}

TEST_CASE("parentheses nest", "[language][search]") {
  CHECK(ids_of("giá (vàng OR (xăng AND giảm))") == Ids{"vang", "xang"});
  CHECK(ids_of("giá (vàng OR (xăng AND tăng))") == Ids{"vang"});
  CHECK(ids_of("((vàng OR xăng) AND NOT source:vnexpress) OR dừa") == Ids{"vang", "dua"});
  CHECK(ids_of("-(vàng OR xăng) giá") == Ids{});
  CHECK(ids_of("NOT (vàng OR xăng) AND (giá OR xe)") == Ids{"duaxe"});
}

TEST_CASE("NEAR/n: within n syllables, in any order", "[language][search]") {
  // thicu: đua is 6 syllables after thi; thidua: adjacent.
  CHECK(ids_of("thi NEAR/6 đua") == Ids{"thidua", "thicu"});
  CHECK(ids_of("thi NEAR/5 đua") == Ids{"thidua"});
  CHECK(ids_of("đua NEAR/6 thi") == Ids{"thidua", "thicu"});
  CHECK(ids_of("thi NEAR đua") == Ids{"thidua", "thicu"});  // default 10
  CHECK(ids_of("thi NEAR/1 đua") == Ids{"thidua"});
  // Phrase operands: from the end of one to the start of the other.
  CHECK(ids_of("\"thi đua\" NEAR/3 \"năm 2023\"") == Ids{"thidua"});
  CHECK(ids_of("\"thi đua\" NEAR/2 \"năm 2023\"") == Ids{});
  // A run of words is a phrase operand.
  CHECK(ids_of("thi đua NEAR/3 năm 2023") == Ids{"thidua"});
  CHECK(ids_of("thi đua NEAR/2 năm 2023") == Ids{});
}

TEST_CASE("unaccented phrases and NEAR groups are restored like plain words",
          "[language][search][restoration]") {
  CHECK(ids_of("thi NEAR/6 dua") == Ids{"thidua", "thicu"});
  CHECK(ids_of("thi NEAR/5 dua") == Ids{"thidua"});
  CHECK(ids_of("\"thi dua\" OR xang") == Ids{"thidua", "xang"});
  CHECK(ids_of("gia AND vang") == Ids{"vang"});
  const SearchResult near = search("thi NEAR/6 dua");
  REQUIRE_FALSE(near.readings.empty());
  CHECK(near.readings[0] == "thi đua");
  const SearchResult phrase = search("\"gia vang\" OR \"gia xang\"");
  CHECK(ids(phrase) == Ids{"vang", "xang"});
  REQUIRE_FALSE(phrase.readings.empty());
  CHECK(phrase.readings[0] == "giá vàng giá xăng");
}

TEST_CASE("prefix wildcards expand exact and folded forms", "[language][search][wildcard]") {
  CHECK(ids_of("nguyễn*") == Ids{"nguyen"});
  CHECK(ids_of("nguyen*") == Ids{"nguyen"});
  CHECK(ids_of("NGUYỄN*") == Ids{"nguyen"});
  CHECK(ids_of("ngu*") == Ids{"nguyen"});
  CHECK(ids_of("đu*") == Ids{"duaxe", "thidua", "thicu"});
  CHECK(ids_of("du*") == Ids{"duaxe", "thidua", "thicu", "dua"});
  CHECK(ids_of("gi* AND NOT vàng") == Ids{"xang"});
  // In NEAR: Nguyễn (1) Xuân Phúc (3) thăm Nguyễn (5) Thị (6).
  CHECK(ids_of("nguyễn* NEAR/2 phúc") == Ids{"nguyen"});
  CHECK(ids_of("nguyen* NEAR/1 phuc") == Ids{});
  CHECK(ids_of("thi NEAR/1 nguy*") == Ids{"nguyen"});
  CHECK(ids_of("qqqz* NEAR/5 phúc") == Ids{});
  // A match is highlighted in the snippet.
  const SearchResult snippet = search("nguyen*");
  REQUIRE(snippet.hits.size() == 1);
  CHECK_FALSE(snippet.hits[0].snippet.matches.empty());
  CHECK_FALSE(has_note(snippet, NoteCode::kWildcard));
}

TEST_CASE("a wildcard's expansion is capped, and the note says so",
          "[language][search][wildcard]") {
  // 60 words start with thx: the 50 most frequent are searched (thxaa..thxbx are in 1 to 6
  // articles, thxby..thxch only in thx5).
  const SearchResult capped = search("thx*");
  CHECK(has_note(capped, NoteCode::kWildcard, "'thx*' matches 60 words: searched the 50"));
  CHECK(ids(capped).size() == 6);
  const SearchResult rare = search("thxch*");
  CHECK(ids(rare) == Ids{"thx5"});
  CHECK_FALSE(has_note(rare, NoteCode::kWildcard));
  // The whole query is capped too: the fifth wildcard finds the budget spent.
  const SearchResult budget = search("thx* OR thx* OR thx* OR thx* OR thxa*");
  CHECK(has_note(budget, NoteCode::kQueryRepaired, "already search 200 words"));
  const SearchResult none = search("qqqz*");
  CHECK(has_note(none, NoteCode::kWildcard, "matches no indexed word"));
  CHECK(none.hits.empty());
  const SearchResult short_prefix = search("g* OR vàng");
  CHECK(has_note(short_prefix, NoteCode::kQueryRepaired, "at least 2 letters"));
  CHECK(ids(short_prefix) == Ids{"vang"});
}

TEST_CASE("field values match whatever their case and marks", "[language][search][fields]") {
  const Ids vnexpress = {"thidua", "xang", "english"};
  CHECK(ids_of("source:vnexpress") == vnexpress);
  CHECK(ids_of("source:VNEXPRESS") == vnexpress);
  CHECK(ids_of("source:VnExpress") == vnexpress);
  CHECK(ids_of("source:\"tuoi tre\"") == Ids{"vang"});
  CHECK(ids_of("source:\"Tuổi Trẻ\"") == Ids{"vang"});
  CHECK(ids_of("author:\"doi tuyen truyen\"") == Ids{"thidua"});
  CHECK(ids_of("author:\"ĐỘI TUYÊN TRUYỀN\"") == Ids{"thidua"});
  CHECK(ids_of("author:\"Đội Tuyên truyền\"") == Ids{"thidua"});
  CHECK(ids_of("thi dua author:\"doi tuyen truyen\"") == Ids{"thidua"});
  CHECK(ids_of("source:\"tuoi tre\" OR source:\"nhan dan\"") == Ids{"vang", "dua", "nguyen"});
  CHECK(ids_of("(vàng OR xăng OR dừa) date:2022..2024") == Ids{"vang", "xang"});
  // A value of several words typed without quotes, when its first word alone matches nothing.
  const SearchResult unquoted = search("author:doi tuyen truyen");
  CHECK(ids(unquoted) == Ids{"thidua"});
  CHECK(has_note(unquoted, NoteCode::kQueryRepaired, "as author:\"doi tuyen truyen\""));
  CHECK(ids_of("thi dua author:Đội Tuyên truyền") == Ids{"thidua"});
  CHECK(ids_of("(author:doi tuyen truyen OR source:tuoi tre) NOT vàng") == Ids{"thidua"});
  // Not joined when the one-word value matches (`source:lab` does), nor past an operator.
  CHECK(ids_of("source:lab thxaa") == Ids{"thx0", "thx1", "thx2", "thx3", "thx4", "thx5"});
  CHECK(search("author:doi OR tuyen truyen").hits.empty());
  // The API's filters too.
  SearchOptions options;
  options.filters.sources = {"THANH NIEN"};
  CHECK(ids(searcher().search("xe", options)) == Ids{"duaxe"});
}

TEST_CASE("broken syntax degrades to a plain search with a note", "[language][robustness]") {
  struct Broken {
    std::string query;
    std::string plain;  ///< the plain query it must answer like
    std::string note;   ///< part of the note
  };
  const std::vector<Broken> table = {
      {"(giá vàng", "giá vàng", "'(' without ')'"},
      {"giá vàng)", "giá vàng", "unmatched ')'"},
      {"giá vàng ) ) (", "giá vàng", "unmatched ')'"},
      {"vàng OR", "vàng", "'OR' with nothing after it"},
      {"OR vàng", "vàng", "'OR' with nothing before it"},
      {"vàng OR OR xăng", "vàng OR xăng", "'OR' with nothing"},
      {"vàng AND", "vàng", "'AND' with nothing after it"},
      {"AND vàng", "vàng", "'AND' with nothing before it"},
      {"vàng NOT", "vàng", "'NOT' with nothing after it"},
      {"vàng NEAR/abc giá", "vàng giá", "ignored 'NEAR/abc'"},
      {"vàng NEAR/0 giá", "vàng giá", "ignored 'NEAR/0'"},
      {"vàng NEAR", "vàng", "'NEAR' with nothing after it"},
      {"NEAR/3 vàng", "vàng", "'NEAR/3' with nothing before it"},
      {"vàng *", "vàng", "ignored '*'"},
      {"vàng ***", "vàng", "ignored '***'"},
      {"*vàng", "vàng", "a wildcard only ends a word"},
      {"và*ng", "vàng", "a wildcard only ends a word"},
      {"() vàng", "vàng", "empty parentheses"},
      {"((((vàng", "vàng", "'(' without ')'"},
      {"title: OR vàng", "vàng", "ignored 'title:'"},
      {"date:2020abc OR vàng", "vàng", "ignored date filter"},
      {"(vàng OR NOT xăng)", "vàng", "exclusion inside OR"},
      {"NOT NOT vàng", "vàng", "cancel out"},
      {"(vàng OR giá) NEAR xăng", "(vàng OR giá) xăng", "not groups or fields"},
      {"vàng NEAR/9999 giá", "vàng NEAR/50 giá", "searched as NEAR/50"},
      {std::string(40, '(') + "vàng" + std::string(40, ')'), "vàng", "nested deeper than 16"},
  };
  for (const Broken& broken : table) {
    INFO(broken.query);
    SearchResult result;
    REQUIRE_NOTHROW(result = search(broken.query));
    CHECK_FALSE(result.failure);
    CHECK(has_note(result, NoteCode::kQueryRepaired, broken.note));
    CHECK_FALSE(result.hits.empty());
    CHECK(ids(result) == ids_of(broken.plain));
  }
}

TEST_CASE("queries with nothing left to search say so", "[language][robustness]") {
  for (const std::string query : {"NOT", "*", "OR", "AND NOT", "( )", "NEAR/2", "NOT vàng",
                                  "-(vàng)", "NEAR/x ( OR AND ) *"}) {
    INFO(query);
    SearchResult result;
    REQUIRE_NOTHROW(result = search(query));
    CHECK_FALSE(result.failure);
    CHECK(result.hits.empty());
    CHECK(has_note(result, NoteCode::kEmptyQuery));
  }
}

TEST_CASE("random operator soup never throws and always explains an empty result",
          "[language][robustness]") {
  // A fixed seed: the same 400 queries every run, mixing every piece of the syntax.
  const std::vector<std::string> pieces = {"AND",
                                           "OR",
                                           "NOT",
                                           "NEAR",
                                           "NEAR/2",
                                           "NEAR/x",
                                           "(",
                                           ")",
                                           "*",
                                           "vàng",
                                           "gia",
                                           "thi*",
                                           "nguy*",
                                           "\"thi",
                                           "đua\"",
                                           "-xăng",
                                           "+giá",
                                           "-(",
                                           "source:",
                                           "source:vnexpress",
                                           "author:doi",
                                           "tuyen",
                                           "date:2023",
                                           "title:tin",
                                           "q*",
                                           "dua",
                                           "\"gia vang\"",
                                           "and",
                                           "or",
                                           "NEAR/0"};
  std::uint32_t state = 12345;
  for (int round = 0; round < 400; ++round) {
    std::string query;
    const int length = 1 + static_cast<int>(state % 9);
    for (int i = 0; i < length; ++i) {
      state = state * 1664525u + 1013904223u;
      query += (i ? " " : "") + pieces[(state >> 8) % pieces.size()];
    }
    INFO(query);
    SearchResult result;
    REQUIRE_NOTHROW(result = search(query));
    CHECK_FALSE(result.failure);
    if (result.hits.empty()) CHECK_FALSE(result.notes.empty());
  }
}

TEST_CASE("plain queries are planned exactly as before", "[language][plain]") {
  const auto snapshot = searcher().snapshot();
  const Xapian::Database db(fs::canonical(fixture().database()).string());
  for (const std::string query :
       {"cum thi dua so 8", "giá vàng -xăng", "\"thi đua\" title:tin source:vnexpress",
        "tom and jerry or not", "date:2020..2024 +vàng", "thi dua author:\"Đội Tuyên truyền\""}) {
    INFO(query);
    const auto plain =
        vnsearch::query::plan_query(vnsearch::query::parse_query(query), *snapshot->model);
    const auto planned = vnsearch::query::plan_search(query, *snapshot->model, db);
    REQUIRE(plain.restoration.best_paths == planned.restoration.best_paths);
    CHECK(plain.notes == planned.notes);
    for (const auto& path : plain.restoration.best_paths) {
      CHECK(vnsearch::query::ranked_query(plain, path).get_description() ==
            vnsearch::query::ranked_query(planned, path).get_description());
    }
  }
}

TEST_CASE("vnsearch search takes the language and prints its notes", "[language][cli]") {
  const fs::path out = fixture().root() / "out.txt", err = fixture().root() / "err.txt";
  const auto run = [&](const std::string& query) {
    const std::string command = "'" + kBinary.string() + "' search --db '" +
                                fixture().database().string() + "' --format json -- '" + query +
                                "' >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    return std::make_pair(status, text.str());
  };
  const auto [status, json] = run("(vang OR xang) AND NOT source:\"tuoi tre\"");
  CHECK(status == 0);
  CHECK(json.find("\"id\":\"xang\"") != std::string::npos);
  CHECK(json.find("\"id\":\"vang\"") == std::string::npos);
  const auto [broken_status, broken] = run("vang OR");
  CHECK(broken_status == 0);
  CHECK(broken.find("query_repaired") != std::string::npos);
  CHECK(broken.find("\"id\":\"vang\"") != std::string::npos);
}

TEST_CASE("the API's JSON and the search page show what was ignored", "[language][server]") {
  const SearchResult result = search("vàng OR");
  const std::string json = vnsearch::dump_json(vnsearch::result_to_json(result, {}));
  CHECK(json.find("\"query_repaired\"") != std::string::npos);
  CHECK(json.find("with nothing after it") != std::string::npos);
  vnsearch::server::SearchRequest request;
  request.query = "vàng OR";
  vnsearch::server::PageInput input;
  input.messages = &vnsearch::server::vietnamese();
  input.request = &request;
  input.result = &result;
  const std::string page = vnsearch::server::render_page(input);
  CHECK(page.find("<p class=\"notes\">Lưu ý:") != std::string::npos);
  CHECK(page.find("with nothing after it") != std::string::npos);
  // A query with nothing ignored has no notes line.
  const SearchResult clean = search("vang OR xang");
  request.query = "vang OR xang";
  input.result = &clean;
  const std::string clean_page = vnsearch::server::render_page(input);
  CHECK(clean_page.find("class=\"notes\"") == std::string::npos);
  // A query with operators is shown as typed, not as its restored words.
  CHECK(clean.query_language);
  CHECK(clean_page.find("<strong>«vang OR xang»</strong>") != std::string::npos);
}
