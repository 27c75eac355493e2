// Completions as people type (schema/include/vnsearch/completion_table.h): matching, marks,
// ranking and the cap on a hand-made table; then on an index of the bundled corpus, the table
// kept in step by `index` and `delete` (equal to a recount), and `vnsearch suggest --complete`.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "temp_dir.h"
#include "vnsearch/completion_table.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/tokenizer.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using vnsearch::Completion;
using vnsearch::CompletionItem;
using vnsearch::CompletionKind;
using vnsearch::CompletionTable;
using namespace std::chrono_literals;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;
constexpr std::int32_t kDay2020 = 18262;  // 2020-01-01

CompletionItem item(CompletionKind kind, const std::string& display) {
  CompletionItem out;
  out.kind = kind;
  out.display = display;
  out.exact = vnsearch::to_exact(display);
  out.folded = vnsearch::to_folded(display);
  return out;
}

void add(CompletionTable& table, CompletionKind kind, const std::string& display, int times,
         std::int32_t day = kDay2020) {
  for (int i = 0; i < times; ++i) table.add(item(kind, display), day);
}

// Saves `counts` and loads it back for answering, as the server does.
CompletionTable answering(const CompletionTable& counts, const vnsearch::test::TempDir& tmp) {
  const fs::path path = tmp / "table.bin";
  counts.save(path, 7);
  CompletionTable table;
  REQUIRE(table.load(path) == 7);
  return table;
}

std::vector<std::string> texts(const std::vector<Completion>& completions) {
  std::vector<std::string> out;
  for (const Completion& completion : completions) out.push_back(completion.text);
  return out;
}

struct Run {
  int exit_code = -1;
  std::string out, err;
};

// The real CLI with a timeout; killed by PID when it hangs (child_process.h).
Run run_cli(const std::vector<std::string>& args, const vnsearch::test::TempDir& tmp) {
  const vnsearch::test::ChildResult child =
      vnsearch::test::run_child(kBinary.string(), args, tmp.path(), false, {}, 120s);
  if (child.timed_out) FAIL("vnsearch did not finish within 120 s");
  return {child.exit_code(), child.out, child.err};
}

vnsearch::IndexSummary index_into(const fs::path& database, const std::vector<fs::path>& inputs) {
  vnsearch::IndexOptions options;
  options.analysis_threads = 2;
  return vnsearch::index_paths(
      database, inputs, options,
      [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; }, {});
}

// The bundled corpus, indexed once for this binary.
struct Bundled {
  vnsearch::test::TempDir tmp{"vnsearch-completion"};
  fs::path database = tmp / "db";
  CompletionTable table;
  Bundled() {
    if (index_into(database, {kSourceDir / "corpus"}).documents_in_index == 0) {
      throw std::runtime_error("indexing corpus/ failed");
    }
    table.load(fs::canonical(database) / std::string(CompletionTable::kFileName));
  }
};

// One JSONL line of an article with a fixed body and date.
std::string article_line(const std::string& id, const std::string& title,
                         const std::string& description) {
  return json{{"id", id},
              {"title", title},
              {"description", description},
              {"body", "Nội dung bài viết."},
              {"date", "2021-05-06T08:00:00+07:00"}}
             .dump() +
         "\n";
}

const Bundled& bundled() {
  static const Bundled instance;
  return instance;
}

// True when a word of `text` (folded) starts `folded_words`.
bool has_words(const std::string& text, const std::string& folded_words) {
  return (" " + vnsearch::to_folded(text)).find(" " + folded_words) != std::string::npos;
}

}  // namespace

TEST_CASE("completions match the folded prefix, honour typed marks, rank and cap", "[completion]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-unit");
  CompletionTable counts;
  add(counts, CompletionKind::kName, "Hà Nội", 6);
  add(counts, CompletionKind::kPhrase, "hạ nồi", 3);
  add(counts, CompletionKind::kPhrase, "hai bà trưng", 2);
  add(counts, CompletionKind::kTitle, "Hà Nội mưa lớn cả ngày", 1);
  add(counts, CompletionKind::kPhrase, "hà nội mưa", 1);  // seen once: dropped for answering
  add(counts, CompletionKind::kPhrase, "hà nội sẽ", 5);   // cut at a function word
  add(counts, CompletionKind::kPhrase, "và các", 9);      // starts with a conjunction
  const CompletionTable table = answering(counts, tmp);

  SECTION("unaccented: every reading, the most useful first") {
    const auto got = texts(table.complete("ha no"));
    REQUIRE(got.size() == 3);
    CHECK(got[0] == "Hà Nội");                  // a name seen 6 times
    CHECK(got[1] == "Hà Nội mưa lớn cả ngày");  // a title: one counts as 4 phrases
    CHECK(got[2] == "hạ nồi");                  // a phrase seen 3 times
  }
  SECTION("the last syllable is a prefix; a trailing space finishes it") {
    CHECK(texts(table.complete("ha")).size() == 4);
    CHECK(texts(table.complete("ha ")) ==
          std::vector<std::string>{"Hà Nội", "Hà Nội mưa lớn cả ngày", "hạ nồi"});
    CHECK(texts(table.complete("hai")) == std::vector<std::string>{"hai bà trưng"});
  }
  SECTION("typed marks must agree, case does not matter") {
    CHECK(texts(table.complete("hạ n")) == std::vector<std::string>{"hạ nồi"});
    CHECK(texts(table.complete("HÀ NỘ")) ==
          std::vector<std::string>{"Hà Nội", "Hà Nội mưa lớn cả ngày"});
    CHECK(table.complete("hà nồ").empty());
  }
  SECTION("phrases seen once or cut at a function word are not offered, titles are") {
    CHECK(texts(table.complete("ha noi mua")) ==
          std::vector<std::string>{"Hà Nội mưa lớn cả ngày"});
    CHECK(table.complete("ha noi s").empty());
    CHECK(table.complete("va c").empty());
  }
  SECTION("nothing to complete is an empty list, not an error") {
    CHECK(table.complete("").empty());
    CHECK(table.complete("   ").empty());
    CHECK(table.complete("!!! ... ???").empty());
    CHECK(table.complete("\xff\xfe\x80").empty());
    CHECK(table.complete(std::string("ha\0no", 5)).size() <= 10);
    CHECK(table.complete(std::string(100000, 'h')).empty());
    CHECK(table.complete("xyz").empty());
    CHECK(CompletionTable().complete("ha").empty());
  }
}

TEST_CASE("a phrase that mostly goes on with one same syllable is not offered", "[completion]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-cut");
  CompletionTable counts;
  add(counts, CompletionKind::kPhrase, "hồ chí", 5);  // 4 of 5 go on as `hồ chí minh`
  add(counts, CompletionKind::kPhrase, "hồ chí minh", 4);
  add(counts, CompletionKind::kPhrase, "hà nội yêu", 3);  // its `nội yêu` goes on as `cầu`
  add(counts, CompletionKind::kPhrase, "nội yêu", 3);
  add(counts, CompletionKind::kPhrase, "nội yêu cầu", 2);
  add(counts, CompletionKind::kPhrase, "hà nội mưa", 4);  // goes on in many ways
  add(counts, CompletionKind::kPhrase, "nội mưa", 6);
  add(counts, CompletionKind::kPhrase, "nội mưa lớn", 3);
  add(counts, CompletionKind::kPhrase, "nội mưa to", 2);
  const CompletionTable table = answering(counts, tmp);
  CHECK(texts(table.complete("ho chi")) == std::vector<std::string>{"hồ chí minh"});
  CHECK(texts(table.complete("ha noi y")).empty());
  CHECK(texts(table.complete("ha noi m")) == std::vector<std::string>{"hà nội mưa"});
  CHECK(texts(table.complete("noi yeu")) == std::vector<std::string>{"nội yêu cầu"});
}

TEST_CASE("completions prefer frequent and recent entries and stop at ten", "[completion]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-rank");
  CompletionTable counts;
  for (int i = 0; i < 15; ++i) {
    add(counts, CompletionKind::kPhrase, "thi đấu " + std::to_string(i + 1), 2 + i);
  }
  add(counts, CompletionKind::kPhrase, "thi cũ", 100, kDay2020 - 3 * 365);
  add(counts, CompletionKind::kPhrase, "thi mới", 40, kDay2020);
  const CompletionTable table = answering(counts, tmp);
  const auto got = table.complete("thi");
  REQUIRE(got.size() == CompletionTable::kMaxCompletions);
  CHECK(got[0].text == "thi mới");
  CHECK(got[1].text == "thi cũ");  // more frequent, but three years older
  CHECK(got[2].text == "thi đấu 15");
  for (std::size_t i = 1; i < got.size(); ++i) CHECK(got[i - 1].score >= got[i].score);
  CHECK(table.complete("thi", {.limit = 3}).size() == 3);
  CHECK(table.complete("thi", {.limit = 50}).size() == 10);
  CHECK(table.complete("thi", {.limit = 0}).empty());
}

TEST_CASE("the completion file: counts taken back exactly, damage refused", "[completion]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-file");
  CompletionTable counts, reference;
  add(counts, CompletionKind::kName, "Hà Nội", 2);
  add(reference, CompletionKind::kName, "Hà Nội", 2);
  add(counts, CompletionKind::kTitle, "Một tiêu đề", 1, kDay2020 + 3);
  counts.remove(item(CompletionKind::kTitle, "Một tiêu đề"), kDay2020 + 3);
  counts.remove(item(CompletionKind::kPhrase, "không có"), kDay2020);  // never counted
  CHECK(counts.same_counts(reference));

  const fs::path path = tmp / "table.bin";
  counts.save(path, 42);
  CHECK(CompletionTable::read_tag(path) == 42);
  CompletionTable again;
  CHECK(again.load(path, /*for_answering=*/false) == 42);
  CHECK(again.same_counts(reference));

  const std::string bytes = vnsearch::test::read_whole_file(path);
  tmp.write("truncated.bin", bytes.substr(0, bytes.size() - 5));
  tmp.write("trailing.bin", bytes + "x");
  tmp.write("other.bin", "not a table at all, just text");
  for (const char* name : {"truncated.bin", "trailing.bin", "other.bin", "missing.bin"}) {
    INFO(name);
    CompletionTable table;
    CHECK_THROWS_AS(table.load(tmp / name), std::runtime_error);
  }

  // A table of the previous version (names by other rules) still answers, but is stale for the
  // indexer, which recounts it rather than update it by difference.
  REQUIRE(bytes.substr(0, 8) == "VNCOMP02");
  const fs::path older = tmp.write("older.bin", "VNCOMP01" + bytes.substr(8));
  CompletionTable answering_older;
  CHECK(answering_older.load(older) == 42);
  CHECK(texts(answering_older.complete("ha noi")) == std::vector<std::string>{"Hà Nội"});
  CHECK_THROWS_WITH(CompletionTable::read_tag(older), Catch::Contains("older vnsearch"));
  CompletionTable updating_older;
  CHECK_THROWS_WITH(updating_older.load(older, /*for_answering=*/false),
                    Catch::Contains("older vnsearch"));
}

TEST_CASE("completions of the bundled corpus, typed with and without marks", "[completion]") {
  const CompletionTable& table = bundled().table;
  const auto cum = texts(table.complete("cum th"));
  INFO(json(cum).dump());
  REQUIRE_FALSE(cum.empty());
  // The portal page's title has it in the middle: "Hội nghị … của cụm thi đua số 8, Bộ Công an".
  CHECK(vnsearch::to_exact(cum[0]).find("cụm thi đua số 8") != std::string::npos);
  CHECK(texts(table.complete("cụm th")) == cum);

  const auto ha = texts(table.complete("ha no"));
  INFO(json(ha).dump());
  REQUIRE_FALSE(ha.empty());
  CHECK(ha[0] == "Hà Nội");
  for (const std::string& text : ha) CHECK(has_words(text, "ha no"));

  const auto names = texts(table.complete("nguyen"));
  INFO(json(names).dump());
  CHECK(names.size() >= 5);
  CHECK(names.size() <= 10);
  for (const std::string& text : names) CHECK(has_words(text, "nguyen"));
  // Names before titles that merely contain the word.
  CHECK(names[0].rfind("Nguyễn ", 0) == 0);

  for (const char* typed : {"t", "th", "ng", "ho chi", "viet nam", "cong an"}) {
    INFO(typed);
    const auto got = table.complete(typed);
    CHECK_FALSE(got.empty());
    CHECK(got.size() <= 10);
  }
}

TEST_CASE("index and delete keep the completion table in step with the documents",
          "[completion][index]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-step");
  const fs::path database = tmp / "db";
  const auto article = [](const std::string& id, const std::string& title) {
    return article_line(id, title, "Ông Quách Thượng Ngàn nói với báo chí.");
  };
  index_into(database, {tmp.write("a.jsonl", article("a", "Zíp zắp bay cao") +
                                                 article("b", "Hà Nội đón mưa"))});
  const fs::path file = fs::canonical(database) / std::string(CompletionTable::kFileName);
  const auto complete = [&](const std::string& text) {
    CompletionTable table;
    table.load(fs::canonical(database) / std::string(CompletionTable::kFileName));
    return texts(table.complete(text));
  };
  REQUIRE(fs::exists(file));
  CHECK(complete("zip zap") == std::vector<std::string>{"Zíp zắp bay cao"});
  CHECK(complete("quach thuong") == std::vector<std::string>{"Quách Thượng Ngàn"});

  // Replaced by id: the old title goes, the new one comes.
  index_into(database, {tmp.write("b.jsonl", article("a", "Zíp zắp hạ cánh"))});
  CHECK(complete("zip zap") == std::vector<std::string>{"Zíp zắp hạ cánh"});
  // Deleted: gone; the name is still in the other document, seen once now (not offered).
  CHECK(vnsearch::delete_documents(database, std::vector<std::string>{"a"}).empty());
  CHECK(complete("zip").empty());
  CHECK(complete("quach thuong").empty());
  CHECK(complete("ha noi") == std::vector<std::string>{"Hà Nội đón mưa"});

  // What the updates left equals a recount.
  CompletionTable updated;
  updated.load(file, /*for_answering=*/false);
  (void)vnsearch::rebuild_model(database, {}, {});
  CompletionTable recounted;
  recounted.load(fs::canonical(database) / std::string(CompletionTable::kFileName),
                 /*for_answering=*/false);
  CHECK(recounted.size() > 0);
  CHECK(updated.same_counts(recounted));

  // A table left behind (a run killed before its update) is recounted by the next run.
  fs::remove(file);
  index_into(database, {tmp.write("c.jsonl", article("b", "Hà Nội đón mưa"))});
  REQUIRE(fs::exists(file));
  CHECK(complete("ha noi") == std::vector<std::string>{"Hà Nội đón mưa"});
}

TEST_CASE("names are the entities an article names, not any run of capitalised words",
          "[completion][index]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-names");
  const fs::path database = tmp / "db";
  // The run `Hà Nội Thủ` joins a place to the title after it, and `Bộ Quốc` is cut inside the
  // organisation's name (`phòng` is written in lower case): the entity rules cut both right.
  const auto article = [](const std::string& id, const std::string& title) {
    return article_line(
        id, title, "Sáng nay tại Hà Nội Thủ tướng Nguyễn Xuân Phúc làm việc với Bộ Quốc phòng.");
  };
  index_into(database, {tmp.write("a.jsonl", article("a", "Tin sáng thứ hai") +
                                                 article("b", "Tin chiều thứ ba"))});
  CompletionTable table;
  table.load(fs::canonical(database) / std::string(CompletionTable::kFileName));
  const auto complete = [&](const std::string& text) { return texts(table.complete(text)); };
  CHECK(complete("ha noi") == std::vector<std::string>{"Hà Nội"});
  CHECK(complete("bo quoc") == std::vector<std::string>{"Bộ Quốc phòng"});
  CHECK(complete("nguyen xuan") == std::vector<std::string>{"Nguyễn Xuân Phúc"});
  CHECK(complete("thu tuong").empty());

  // One article naming `Hồ Chí Minh` as a person and as a city counts it once: seen in one
  // article only, it is not offered.
  const fs::path other = tmp / "other";
  index_into(other,
             {tmp.write("c.jsonl", article_line("c", "Lễ kỷ niệm hôm nay",
                                                "Chủ tịch Hồ Chí Minh được tưởng nhớ tại TP Hồ Chí "
                                                "Minh và nhiều nơi khác."))});
  CompletionTable one;
  one.load(fs::canonical(other) / std::string(CompletionTable::kFileName));
  CHECK(texts(one.complete("ho chi minh")).empty());
}

TEST_CASE("vnsearch suggest --complete prints completions as text and JSON", "[completion][cli]") {
  vnsearch::test::TempDir tmp("vnsearch-completion-cli");
  const std::string db = bundled().database.string();
  const Run text = run_cli({"suggest", "--db", db, "--complete", "cum", "th"}, tmp);
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(vnsearch::to_exact(text.out).find("cụm thi đua số 8") != std::string::npos);

  const Run as_json =
      run_cli({"suggest", "--db", db, "--complete", "--format", "json", "ha no"}, tmp);
  CHECK(as_json.exit_code == 0);
  const json body = json::parse(as_json.out, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["query"] == "ha no");
  REQUIRE(body["completions"].is_array());
  REQUIRE_FALSE(body["completions"].empty());
  CHECK(body["completions"].size() <= 10);
  CHECK(body["completions"][0]["text"] == "Hà Nội");
  CHECK((body["completions"][0]["kind"] == "name" || body["completions"][0]["kind"] == "phrase"));
  CHECK(body["completions"][0]["count"].get<int>() >= 2);

  const Run nothing =
      run_cli({"suggest", "--db", db, "--complete", "--format", "json", "???"}, tmp);
  CHECK(nothing.exit_code == 0);
  CHECK(json::parse(nothing.out, nullptr, false)["completions"] == json::array());
  const Run huge = run_cli({"suggest", "--db", db, "--complete", std::string(5000, 'a')}, tmp);
  CHECK(huge.exit_code == 0);
  CHECK(huge.out == "no completion\n");

  // --correct stays the default and excludes --complete.
  const Run correct = run_cli({"suggest", "--db", db, "vieetj", "nam"}, tmp);
  CHECK(correct.exit_code == 0);
  CHECK(correct.out.find("việt nam") != std::string::npos);
  CHECK(run_cli({"suggest", "--db", db, "--complete", "--correct", "ha"}, tmp).exit_code == 2);

  // A database without its table: exit status 3 naming the remedy.
  vnsearch::test::TempDir other("vnsearch-completion-missing");
  index_into(
      other / "db",
      {other.write("a.jsonl",
                   json{{"id", "x"}, {"title", "Tiêu đề"}, {"body", "Nội dung."}}.dump() + "\n")});
  fs::remove(fs::canonical(other / "db") / std::string(CompletionTable::kFileName));
  const Run missing =
      run_cli({"suggest", "--db", (other / "db").string(), "--complete", "tieu"}, tmp);
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("rebuild-model") != std::string::npos);
}
