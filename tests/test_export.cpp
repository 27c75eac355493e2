// Output for people and for spreadsheets: `vnsearch search` text with no HTML (matches bold on a
// terminal, «…» when piped), dates in Vietnamese form and the timeline histogram; `--format
// csv|jsonl` with every hit as plain text, CSV per RFC 4180 (read back by a parser here), the
// BOM only with --bom, --all paging to its cap with a note.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "export.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using vnsearch::test::ChildResult;
using vnsearch::test::TempDir;

namespace {

const fs::path kBinary = VNSEARCH_BINARY;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Titles and bodies with everything CSV and HTML must get right: commas, quotes, newlines,
// markup characters and ampersands.
std::vector<json> tricky_articles() {
  return {
      {{"id", "e-1"},
       {"title", "Giá vàng, đô la và \"cơn sốt\""},
       {"body", "Giá vàng & USD \"tăng\" <mạnh> khi thị trường lo ngại."},
       {"date", "2024-03-01T08:00:00+07:00"},
       {"source", "Báo A, B"},
       {"url", "https://example.vn/e-1?a=1&b=2"}},
      {{"id", "e-2"},
       {"title", "Dòng một\nDòng hai, \"ba\""},
       {"body", "Thị trường vàng hôm nay đi ngang."},
       {"date", "2023-12-12T10:00:00+07:00"},
       {"source", "Báo C"},
       {"url", "https://example.vn/e-2"}},
      {{"id", "e-3"},
       {"title", "\"\"Trích dẫn\"\" ở đầu"},
       {"body", "Tiệm vàng mở cửa muộn."},
       {"source", "Báo C"}},
  };
}

class ExportIndex {
 public:
  ExportIndex() : dir_("vnsearch-export") {
    std::string text;
    for (const json& doc : tricky_articles()) text += doc.dump() + "\n";
    // Enough plain ones that --all pages several times with a small page size.
    for (int i = 0; i < 12; ++i) {
      text += json({{"id", "p-" + std::to_string(i)},
                    {"title", "Bản tin số " + std::to_string(i)},
                    {"body", "Giá vàng miếng phiên " + std::to_string(i) + "."},
                    {"date", "2022-0" + std::to_string(1 + i % 9) + "-15T09:00:00+07:00"},
                    {"source", "Báo D"}})
                  .dump() +
              "\n";
    }
    const fs::path input = dir_.write("input.jsonl", text);
    vnsearch::IndexOptions options;
    options.analysis_threads = 1;
    const fs::path inputs[] = {input};
    vnsearch::index_paths(dir_ / "db", inputs, options,
                          [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; },
                          {});
  }
  fs::path db() const { return dir_ / "db"; }

 private:
  TempDir dir_;
};

const ExportIndex& export_index() {
  static const ExportIndex index;
  return index;
}

ChildResult search_cli(const TempDir& tmp, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", export_index().db().string()});
  ChildResult run = vnsearch::test::run_child(kBinary.string(), args, tmp.path());
  REQUIRE_FALSE(run.timed_out);
  return run;
}

// RFC 4180: records end with CRLF; a field is quoted when it holds a comma, a quote or a line
// break, and a quote inside a quoted field is doubled. Fails the test on anything else.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '"') {
      ++at;
      while (true) {
        REQUIRE(at < text.size());  // a quoted field must be closed
        if (text[at] == '"') {
          if (at + 1 < text.size() && text[at + 1] == '"') {
            field += '"';
            at += 2;
            continue;
          }
          ++at;
          break;
        }
        field += text[at++];
      }
      REQUIRE((at == text.size() || text[at] == ',' || text[at] == '\r'));
    } else {
      while (at < text.size() && text[at] != ',' && text[at] != '\r') {
        REQUIRE(text[at] != '"');   // a quote only in a quoted field
        REQUIRE(text[at] != '\n');  // a bare LF only in a quoted field
        field += text[at++];
      }
    }
    record.push_back(field);
    field.clear();
    if (at < text.size() && text[at] == ',') {
      ++at;
      continue;
    }
    REQUIRE(text.compare(at, 2, "\r\n") == 0);
    at += 2;
    records.push_back(record);
    record.clear();
  }
  return records;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("CSV fields are quoted per RFC 4180", "[export][csv]") {
  using vnsearch::cli::csv_field;
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
  CHECK(csv_field("Tiếng Việt có dấu") == "Tiếng Việt có dấu");
  const std::string nasty = "\"\",\n\r,\"x";
  CHECK(parse_csv(csv_field(nasty) + "\r\n") == std::vector<std::vector<std::string>>{{nasty}});
}

TEST_CASE("a CSV record of a hit round-trips commas, quotes and newlines", "[export][csv]") {
  vnsearch::Hit hit;
  hit.id = "id,1";
  hit.date = "2024-03-12T08:00:00+07:00";
  hit.source = "Báo \"Lao Động\"";
  hit.title = "Dòng một,\nDòng \"hai\"\r\nba";
  hit.url = "https://example.vn/?a=1,2";
  hit.score = 12.5;
  hit.snippet.text = "… giá \"vàng\", tăng …";
  hit.snippet.matches = {{8, 13}};
  const std::string record = vnsearch::cli::csv_record(hit);
  REQUIRE(record.size() > 2);
  CHECK(record.compare(record.size() - 2, 2, "\r\n") == 0);
  CHECK(parse_csv(record) ==
        std::vector<std::vector<std::string>>{
            {hit.id, hit.date, hit.source, hit.title, hit.url, "12.5", hit.snippet.text}});
}

TEST_CASE("CSV export round-trips titles with commas, quotes and newlines", "[export][csv]") {
  TempDir tmp("vnsearch-export-csv");
  const ChildResult csv = search_cli(tmp, {"--format", "csv", "--limit", "50", "vàng"});
  INFO(csv.err);
  REQUIRE(csv.exit_code() == 0);
  CHECK(csv.out.rfind("\xEF\xBB\xBF", 0) != 0);  // no BOM unless asked for
  const auto records = parse_csv(csv.out);
  REQUIRE(records.size() >= 2);
  CHECK(records[0] ==
        std::vector<std::string>{"id", "date", "source", "title", "url", "score", "snippet"});

  const ChildResult as_json = search_cli(tmp, {"--format", "json", "--limit", "50", "vàng"});
  REQUIRE(as_json.exit_code() == 0);
  const json result = json::parse(as_json.out);
  REQUIRE(result["hits"].size() == records.size() - 1);
  REQUIRE(result["hits"].size() == 15);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const json& hit = result["hits"][i - 1];
    const auto& row = records[i];
    INFO(hit.dump());
    REQUIRE(row.size() == 7);
    CHECK(row[0] == hit["id"]);
    CHECK(row[1] == hit["date"]);
    CHECK(row[2] == hit["source"]);
    CHECK(row[3] == hit["title"]);
    CHECK(row[4] == hit["url"]);
    CHECK(std::stod(row[5]) == Approx(hit["score"].get<double>()).epsilon(1e-3));
    CHECK(row[6] == hit["snippet_text"]);
  }
  // The indexer keeps titles on one line; the comma and quotes survive the round trip.
  bool saw_title = false;
  for (const auto& row : records) saw_title = saw_title || row[3] == "Dòng một Dòng hai, \"ba\"";
  CHECK(saw_title);
  // Plain text: the snippet keeps & " < > as written, with no markup or entities.
  CHECK(contains(csv.out, "Giá vàng & USD \"\"tăng\"\" <mạnh>"));
  for (const char* markup : {"&amp;", "&quot;", "&lt;", "<mark>", "<b>", "\x1b["}) {
    CHECK_FALSE(contains(csv.out, markup));
  }

  const ChildResult bom = search_cli(tmp, {"--format", "csv", "--bom", "vàng"});
  REQUIRE(bom.exit_code() == 0);
  CHECK(bom.out.rfind("\xEF\xBB\xBFid,date,", 0) == 0);
  CHECK(contains(bom.err, "--all exports every one"));  // 10 of 15 written: the note says so
  CHECK(parse_csv(bom.out.substr(3)).size() == 11);
}

TEST_CASE("JSON lines export: one object per hit, every line parses", "[export][jsonl]") {
  TempDir tmp("vnsearch-export-jsonl");
  const ChildResult run = search_cli(tmp, {"--format", "jsonl", "--all", "vàng"});
  INFO(run.err);
  REQUIRE(run.exit_code() == 0);
  CHECK(run.out.rfind("\xEF\xBB\xBF", 0) != 0);
  const auto lines = lines_of(run.out);
  REQUIRE(lines.size() == 15);  // --all: every hit, past the default page of 10
  std::set<std::string> ids;
  for (const std::string& line : lines) {
    const json hit = json::parse(line, nullptr, false);
    REQUIRE(hit.is_object());
    for (const char* key : {"id", "date", "source", "title", "url", "score", "snippet"}) {
      CHECK(hit.contains(key));
    }
    CHECK_FALSE(contains(hit["snippet"].get<std::string>(), "<mark>"));  // plain text
    ids.insert(hit["id"]);
  }
  CHECK(ids.size() == 15);
  CHECK_FALSE(contains(run.err, "note"));  // nothing was left out
}

TEST_CASE("--all pages through every hit and stops at its cap with a note", "[export][all]") {
  vnsearch::Searcher searcher(export_index().db());
  vnsearch::cli::ExportOptions format;
  format.csv = false;
  format.all = true;
  format.page_size = 4;  // 15 hits: four searches
  std::ostringstream out, err;
  std::streambuf* saved = std::cerr.rdbuf(err.rdbuf());
  int status = vnsearch::cli::export_hits(searcher, "vàng", {}, format, out);
  CHECK(status == 0);
  CHECK(lines_of(out.str()).size() == 15);
  CHECK(err.str().empty());

  format.max_hits = 6;
  out.str("");
  status = vnsearch::cli::export_hits(searcher, "vàng", {}, format, out);
  std::cerr.rdbuf(saved);
  CHECK(status == 0);
  CHECK(lines_of(out.str()).size() == 6);
  INFO(err.str());
  CHECK(contains(err.str(), "exported the first 6 of about 15 matches: --all stops at 6"));
  CHECK(vnsearch::cli::ExportOptions{}.max_hits == 10000);  // the documented maximum
}

TEST_CASE("text output is for people: no HTML, «matches» when piped, Vietnamese dates",
          "[export][text]") {
  TempDir tmp("vnsearch-export-text");
  const ChildResult run = search_cli(tmp, {"--limit", "20", "vàng"});
  INFO(run.out);
  REQUIRE(run.exit_code() == 0);
  CHECK(contains(run.out, "«vàng» & USD \"tăng\" <mạnh>"));
  CHECK(contains(run.out, "ngày 1/3/2024  Báo A, B"));
  CHECK(contains(run.out, "ngày 12/12/2023"));
  CHECK(contains(run.out, "searched: «vàng»"));
  // Words matched side by side are marked as one phrase.
  const ChildResult phrase = search_cli(tmp, {"--limit", "20", "vàng miếng"});
  INFO(phrase.out);
  CHECK(contains(phrase.out, "Giá «vàng miếng» phiên"));
  for (const char* markup : {"&amp;", "&quot;", "&lt;", "&gt;", "<b>", "</b>", "<mark>", "\x1b["}) {
    CHECK_FALSE(contains(run.out, markup));
  }

  // On a terminal the matches are bold instead (and not with NO_COLOR).
  const std::vector<std::string> args = {"search", "--db", export_index().db().string(), "vàng"};
  const ChildResult tty =
      vnsearch::test::run_child(kBinary.string(), args, tmp.path(), true, {"TERM=xterm"});
  INFO(tty.out);
  REQUIRE(tty.exit_code() == 0);
  CHECK(contains(tty.out, "\x1b[1mvàng\x1b[22m & USD"));
  CHECK_FALSE(contains(tty.out, "«vàng» & USD"));
  const ChildResult plain = vnsearch::test::run_child(kBinary.string(), args, tmp.path(), true,
                                                      {"TERM=xterm", "NO_COLOR=1"});
  CHECK(contains(plain.out, "«vàng» & USD"));
  CHECK_FALSE(contains(plain.out, "\x1b[1m"));
}

TEST_CASE("--timeline draws a histogram in text and adds timeline to JSON", "[export][timeline]") {
  TempDir tmp("vnsearch-export-timeline");
  const ChildResult text = search_cli(tmp, {"--timeline", "--limit", "1", "vàng"});
  INFO(text.out);
  REQUIRE(text.exit_code() == 0);
  // 2022-01..09 (12 plain articles), 2023-12, 2024-03: 27 months, so per month.
  CHECK(contains(text.out, "timeline (per month, 14 dated matches; 1 undated):"));
  CHECK(std::regex_search(text.out, std::regex("\n  2022-01  (█)+ 2\n")));
  CHECK(contains(text.out, "\n  2022-10  0\n"));
  CHECK(std::regex_search(text.out, std::regex("\n  2024-03  (█)+ 1\n")));

  const ChildResult as_json = search_cli(tmp, {"--timeline", "--format", "json", "vàng"});
  const json result = json::parse(as_json.out);
  CHECK(result["timeline"]["unit"] == "month");
  CHECK(result["timeline"]["total"] == 15);
  CHECK(result["timeline"]["buckets"].size() == 27);

  const ChildResult fresh = search_cli(
      tmp, {"--sort", "fresh", "--half-life", "7", "--format", "json", "--limit", "1", "vàng"});
  REQUIRE(fresh.exit_code() == 0);
  CHECK(json::parse(fresh.out)["hits"][0]["id"] == "e-1");  // the newest, 1 March 2024
  const ChildResult oldest = search_cli(tmp, {"--sort", "oldest", "--format", "jsonl", "vàng"});
  CHECK(json::parse(lines_of(oldest.out).front())["date"].get<std::string>().rfind("2022-01", 0) ==
        0);
}

TEST_CASE("export and time options that cannot work are usage errors", "[export][cli]") {
  TempDir tmp("vnsearch-export-usage");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--all", "vàng"},
                                               {"--format", "json", "--all", "vàng"},
                                               {"--format", "jsonl", "--bom", "vàng"},
                                               {"--bom", "vàng"},
                                               {"--format", "csv", "--timeline", "vàng"},
                                               {"--half-life", "7", "vàng"},
                                               {"--sort", "fresh", "--half-life", "0", "vàng"},
                                               {"--sort", "sideways", "vàng"},
                                               {"--format", "csv", "--batch", "-"}}) {
    const ChildResult run = search_cli(tmp, args);
    INFO(args.front() << " " << run.err);
    CHECK(run.exit_code() == 2);
    CHECK(contains(run.err, "--"));
    CHECK(run.out.empty());
  }
}
