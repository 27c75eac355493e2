// The `vnsearch` command line as a user (or a hostile input) meets it: help and suggestions, exit
// statuses and messages, text output that cannot drive the terminal, batch mode answering every
// line, validated paging, query words starting with `-`, and every `search` example of README.md
// run against an index of the bundled corpus/. Plus the query repairs the CLI reports (dates,
// empty fields, invalid UTF-8) and the library's paging caps, checked through the Searcher.
//
// Every test works in a temporary directory and uses only corpus/ and generated input. Child
// processes run the real CLI (VNSEARCH_BINARY) and are killed on timeout.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "query_syntax.h"
#include "temp_dir.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"

extern char** environ;

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;
constexpr auto kChildTimeout = 240s;  // generous for the sanitizer build; only hit on a hang

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct RunResult {
  int status = -1;
  std::string out, err;
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

// `program args...` running with stdin from `input` (or /dev/null) and stdout and stderr going to
// files in `dir`; killed and reaped by the destructor if still running.
class Spawned {
 public:
  Spawned(const std::string& program, const std::vector<std::string>& args, const fs::path& dir,
          const fs::path& input = "/dev/null")
      : out_(dir / "run.out"), err_(dir / "run.err") {
    std::vector<std::string> strings{program};
    strings.insert(strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(error == 0);
  }
  ~Spawned() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status_, 0);
    }
  }
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  bool running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, &status_, WNOHANG) == 0) return true;
    pid_ = -1;
    return false;
  }

  // Waits for the end (killing it and failing the test after kChildTimeout).
  RunResult finish() {
    const auto deadline = std::chrono::steady_clock::now() + kChildTimeout;
    while (running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        FAIL("vnsearch did not finish within the timeout; killed");
      }
      std::this_thread::sleep_for(2ms);
    }
    return {status_, read_file(out_), read_file(err_)};
  }

  std::string stderr_text() const { return read_file(err_); }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  fs::path out_, err_;
};

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const fs::path& dir, const fs::path& input = "/dev/null") {
  return Spawned(program, args, dir, input).finish();
}

class TempDir : public vnsearch::test::TempDir {
 public:
  TempDir() : vnsearch::test::TempDir("vnsearch-cli") {}
};

RunResult run_cli(const TempDir& tmp, const std::vector<std::string>& args,
                  const fs::path& input = "/dev/null") {
  return run_program(kBinary.string(), args, tmp.path(), input);
}

// corpus/ indexed once per test binary by the CLI itself, as scripts/run.sh does.
class CorpusIndex {
 public:
  CorpusIndex() {
    const RunResult run = run_program(
        kBinary.string(),
        {"index", "--db", db().string(), "--threads", "2", (kSourceDir / "corpus").string()},
        dir_.path());
    if (run.exit_code() != 0) throw std::runtime_error("indexing corpus/ failed: " + run.err);
  }
  fs::path db() const { return dir_ / "idx"; }
  const fs::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
};

const CorpusIndex& corpus_index() {
  static const CorpusIndex index;
  return index;
}

vnsearch::Searcher& corpus_searcher() {
  static vnsearch::Searcher searcher(corpus_index().db());
  return searcher;
}

// A database of `records` (JSON objects, one per line) in `tmp`.
fs::path index_records(const TempDir& tmp, const std::vector<json>& records) {
  std::string jsonl;
  for (const json& record : records) jsonl += record.dump() + "\n";
  const fs::path input = tmp.write("input.jsonl", jsonl);
  const RunResult run = run_cli(tmp, {"index", "--db", (tmp / "db").string(), input.string()});
  INFO(run.err);
  REQUIRE(run.exit_code() == 0);
  return tmp / "db";
}

// No C0 control other than newline, and no DEL: what JSON guarantees.
bool no_c0_controls(const std::string& text) {
  for (unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n') || ch == 0x7F) return false;
  }
  return true;
}

// No byte that a terminal acts on: C0 controls other than newline, DEL, C1 controls, and the
// bidirectional override U+202E.
bool terminal_safe(const std::string& text) {
  return no_c0_controls(text) && !contains(text, "\xC2\x9B") && !contains(text, "\xE2\x80\xAE");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Row 19: help, --version, suggestions

TEST_CASE("a mistyped command gets a suggestion; help and --version work", "[cli]") {
  TempDir tmp;
  const RunResult typo = run_cli(tmp, {"serach", "--db", "x", "y"});
  CHECK(typo.exit_code() == 2);
  CHECK(contains(typo.err, "vnsearch: error: unknown command 'serach'; did you mean 'search'?"));

  const RunResult help = run_cli(tmp, {"help"});
  CHECK(help.exit_code() == 0);
  for (const char* command : {"index", "search", "stats", "delete", "restore", "tokenize"}) {
    CHECK(contains(help.out, command));
  }
  const RunResult help_search = run_cli(tmp, {"help", "search"});
  CHECK(help_search.exit_code() == 0);
  CHECK(contains(help_search.out, "--limit"));
  const RunResult help_typo = run_cli(tmp, {"help", "stat"});
  CHECK(help_typo.exit_code() == 2);
  CHECK(contains(help_typo.err, "did you mean 'stats'?"));

  const RunResult version = run_cli(tmp, {"--version"});
  CHECK(version.exit_code() == 0);
  CHECK(std::regex_search(version.out, std::regex("^vnsearch [0-9]+\\.[0-9]+\\.[0-9]+")));

  const RunResult option_first = run_cli(tmp, {"--db", "idx", "search", "x"});
  CHECK(option_first.exit_code() == 2);
  CHECK(contains(option_first.err, "unknown option '--db': the command comes first"));

  const RunResult nothing = run_cli(tmp, {});
  CHECK(nothing.exit_code() == 2);
  CHECK(contains(nothing.err, "a command is required"));
}

// ---------------------------------------------------------------------------------------------
// Row 26 (and 25): one message style, documented exit statuses, options named as typed

TEST_CASE("errors have one prefix and the documented exit status", "[cli]") {
  TempDir tmp;
  const std::string db = corpus_index().db().string();

  const RunResult unknown_option = run_cli(tmp, {"search", "--db", db, "--limt", "3", "thi"});
  CHECK(unknown_option.exit_code() == 2);
  CHECK(contains(unknown_option.err, "vnsearch search: error: "));
  CHECK(contains(unknown_option.err, "--limt"));

  const RunResult missing_db = run_cli(tmp, {"search", "--db", (tmp / "nope").string(), "thi"});
  CHECK(missing_db.exit_code() == 3);
  CHECK(contains(missing_db.err, "vnsearch search: error: no database at"));
  const RunResult missing_stats = run_cli(tmp, {"stats", "--db", (tmp / "nope").string()});
  CHECK(missing_stats.exit_code() == 3);
  CHECK(contains(missing_stats.err, "vnsearch stats: error: "));

  const RunResult missing_id = run_cli(tmp, {"delete", "--db", (tmp / "nope").string(), "x"});
  CHECK(missing_id.exit_code() == 3);

  const fs::path bad = tmp.write("bad.jsonl",
                                 "{\"id\": \"a\", \"title\": \"x\", \"body\": \"y\"}\n"
                                 "not json\n");
  const RunResult rejected = run_cli(tmp, {"index", "--db", (tmp / "db").string(), bad.string()});
  CHECK(rejected.exit_code() == 1);
  CHECK(contains(rejected.err, "vnsearch index: error: " + bad.string() + ":2:"));
  const RunResult not_there = run_cli(tmp, {"delete", "--db", (tmp / "db").string(), "zz"});
  CHECK(not_there.exit_code() == 1);
  CHECK(contains(not_there.err, "vnsearch delete: error: not in the index: zz"));

  const RunResult evaluate = run_cli(tmp, {"restore", "--db", db, "--evaluate", tmp.path()});
  CHECK(evaluate.exit_code() == 4);
  CHECK(contains(evaluate.err, "vnsearch restore: error: cannot read --evaluate"));
}

TEST_CASE("index messages name the options, not the library's internals", "[cli]") {
  TempDir tmp;
  const json big = {{"id", "big"}, {"title", "tin"}, {"body", std::string(1'500'000, 'a')}};
  const fs::path input = tmp.write("big.jsonl", big.dump() + "\n");
  const RunResult run =
      run_cli(tmp, {"index", "--db", (tmp / "db").string(), "--max-body-mb", "1", input.string()});
  INFO(run.err);
  CHECK(run.exit_code() == 0);
  CHECK(contains(run.err, "vnsearch index: warning: " + input.string() + ":1:"));
  CHECK(contains(run.err, "--max-body-mb"));
  CHECK_FALSE(contains(run.err, "ReadOptions"));
  // Progress written to a file (not a terminal) is plain lines: no carriage returns in logs.
  CHECK_FALSE(contains(run.err, "\r"));

  const RunResult help = run_cli(tmp, {"help", "index"});
  CHECK(contains(help.out, "0: never stop"));
}

TEST_CASE("--wait says that it waits for the writer lock", "[cli]") {
  TempDir tmp;
  const fs::path db = index_records(tmp, {{{"id", "w-1"}, {"title", "tin"}, {"body", "tin"}}});
  const fs::path input =
      tmp.write("more.jsonl", json({{"id", "w-2"}, {"title", "tin"}, {"body", "tin"}}).dump());
  // This process plays the other writer: it holds the documented lock (docs/schema.md).
  const int lock = ::open((db.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(lock >= 0);
  REQUIRE(::flock(lock, LOCK_EX) == 0);
  Spawned writer(kBinary.string(), {"index", "--wait", "--db", db.string(), input.string()},
                 tmp.path());
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!contains(writer.stderr_text(), "waiting for the writer lock") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const std::string waiting = writer.stderr_text();
  CHECK(contains(waiting, "vnsearch index: note: waiting for the writer lock on " + db.string() +
                              " held by another process"));
  CHECK(writer.running());
  ::close(lock);  // the other writer is done
  const RunResult done = writer.finish();
  INFO(done.err);
  CHECK(done.exit_code() == 0);
  CHECK(contains(done.err, "1 added"));

  // Without a competing writer it says nothing about waiting.
  const RunResult alone = run_cli(tmp, {"delete", "--wait", "--db", db.string(), "w-2"});
  CHECK(alone.exit_code() == 0);
  CHECK_FALSE(contains(alone.err, "waiting"));
}

// ---------------------------------------------------------------------------------------------
// Row 8: control characters in stored fields never reach the terminal raw

// The indexer strips control characters (test_readers), so a database holding them is made the
// way an older vnsearch or another tool could have left it: by rewriting the stored fields.
void inject_controls(const fs::path& db) {
  const auto swap_in = [](std::string text, bool json_string) {
    const std::pair<const char*, const char*> marks[] = {
        {"<ESC>", json_string ? "\\u001b" : "\x1b"},
        {"<BEL>", json_string ? "\\u0007" : "\x07"},
        {"<CR>", json_string ? "\\r" : "\r"},
        {"<CSI>", "\xc2\x9b"},
        {"<RLO>", "\xe2\x80\xae"}};
    for (const auto& [mark, control] : marks) {
      for (std::size_t at; (at = text.find(mark)) != std::string::npos;) {
        text.replace(at, std::strlen(mark), control);
      }
    }
    return text;
  };
  Xapian::WritableDatabase writable(fs::canonical(db).string());
  for (auto it = writable.postlist_begin(""); it != writable.postlist_end(""); ++it) {
    Xapian::Document document = writable.get_document(*it);
    const std::string data = document.get_data();
    const auto parts = vnsearch::schema::split_stored_record(data);
    document.set_data(vnsearch::schema::join_stored_record(
        swap_in(std::string(parts.header_json), true), swap_in(std::string(parts.body), false)));
    for (const Xapian::valueno slot :
         {vnsearch::schema::kSlotSource, vnsearch::schema::kSlotCategory}) {
      document.add_value(slot, swap_in(document.get_value(slot), false));
    }
    writable.replace_document(*it, document);
  }
  writable.commit();
}

TEST_CASE("text output escapes control characters from the database", "[cli]") {
  TempDir tmp;
  const fs::path db =
      index_records(tmp, {{{"id", "esc<ESC>[2J"},
                           {"title", "Evil <ESC>[31mred<ESC>[0m title<BEL> zzqx<CR>"},
                           {"source", "src<ESC>]0;pwned<BEL>"},
                           {"category", "cat<RLO>egassem"},
                           {"body", "zzqx <ESC>[2J body <CSI> text"}}});
  inject_controls(db);
  const RunResult search = run_cli(tmp, {"search", "--db", db.string(), "--facets", "zzqx"});
  INFO(search.out);
  REQUIRE(search.exit_code() == 0);
  CHECK(terminal_safe(search.out));
  CHECK(contains(search.out, "Evil \\x1b[31mred\\x1b[0m title\\x07 zzqx\\x0d"));
  CHECK(contains(search.out, "src\\x1b]0;pwned\\x07"));
  CHECK(contains(search.out, "\\u009b"));

  const RunResult stats = run_cli(tmp, {"stats", "--db", db.string()});
  INFO(stats.out);
  CHECK(terminal_safe(stats.out));
  CHECK(contains(stats.out, "src\\x1b]0;pwned\\x07"));
  CHECK(contains(stats.out, "cat\\u202eegassem"));

  // JSON is escaped by JSON, and keeps the exact text.
  const RunResult as_json =
      run_cli(tmp, {"search", "--db", db.string(), "--format", "json", "zzqx"});
  CHECK(no_c0_controls(as_json.out));
  const json result = json::parse(as_json.out);
  CHECK(result["hits"][0]["source"] == "src\x1b]0;pwned\x07");
}

// ---------------------------------------------------------------------------------------------
// Row 10 and 23: batch mode answers every line; what cannot go with it is refused

TEST_CASE("--batch writes one line per input line, in order, with distinct errors", "[cli]") {
  TempDir tmp;
  const std::string lines[] = {
      R"({"qid": "ok1", "query": "thi đua"})",
      "",
      std::string(R"({"qid": "nul", "query": "thi)") + '\0' + R"( đua"})",
      "{\"qid\": \"utf8\", \"query\": \"thi \xc3\x28\"}",
      R"({"qid": "cut", "query": "thi)",
      R"({"qid": "number", "query": 5})",
      R"(["not", "an", "object"])",
      R"({"qid": "none"})",
      "plain text",
      "{\"qid\": \"ok2\", \"query\": \"gia vang\"}\r",
  };
  std::string input;
  for (const std::string& line : lines) input += line + "\n";
  const fs::path file = tmp.write("queries.jsonl", input);
  const RunResult run = run_cli(tmp, {"search", "--db", corpus_index().db().string(), "--limit",
                                      "2", "--batch", file.string()});
  INFO(run.out << run.err);
  CHECK(run.exit_code() == 1);
  const std::vector<std::string> out = lines_of(run.out);
  REQUIRE(out.size() == std::size(lines));
  std::vector<json> answers;
  for (const std::string& line : out) answers.push_back(json::parse(line));
  CHECK(answers[0]["qid"] == "ok1");
  CHECK_FALSE(answers[0]["hits"].empty());
  CHECK(answers[1]["error"] == "blank line");
  const std::vector<std::pair<std::size_t, std::string>> errors = {
      {2, "NUL byte"},    {3, "invalid UTF-8"}, {4, "truncated JSON"}, {5, "is a number"},
      {6, "JSON object"}, {7, "no \"query\""},  {8, "not JSON"},
  };
  for (const auto& [index, text] : errors) {
    INFO(answers[index].dump());
    CHECK(contains(answers[index].value("error", ""), text));
    CHECK_FALSE(answers[index].contains("hits"));
  }
  CHECK(answers[5]["qid"] == "number");
  CHECK(answers[9]["qid"] == "ok2");
  CHECK_FALSE(answers[9]["hits"].empty());
  // Each bad line is also reported on stderr by file:line (the blank one is not an error).
  CHECK(contains(run.err, "vnsearch search: error: " + file.string() + ":3: NUL byte"));
  CHECK_FALSE(contains(run.err, file.string() + ":2:"));

  // Blank lines alone do not make the run fail.
  const fs::path clean = tmp.write("clean.jsonl", R"({"qid": 1, "query": "thi"})"
                                                  "\n\n");
  const RunResult ok =
      run_cli(tmp, {"search", "--db", corpus_index().db().string(), "--batch", clean.string()});
  CHECK(ok.exit_code() == 0);
  CHECK(lines_of(ok.out).size() == 2);
}

TEST_CASE("--batch refuses what it would ignore and supports --facets", "[cli]") {
  TempDir tmp;
  const std::string db = corpus_index().db().string();
  const fs::path file = tmp.write("q.jsonl", R"({"qid": "a", "query": "thi đua"})"
                                             "\n");
  const RunResult folder = run_cli(tmp, {"search", "--db", db, "--batch", tmp.path().string()});
  CHECK(folder.exit_code() == 4);
  CHECK(contains(folder.err, "is a directory"));
  const RunResult missing =
      run_cli(tmp, {"search", "--db", db, "--batch", (tmp / "nope.jsonl").string()});
  CHECK(missing.exit_code() == 4);
  CHECK(contains(missing.err, "cannot read --batch"));

  const RunResult with_query = run_cli(tmp, {"search", "--db", db, "--batch", file.string(), "x"});
  CHECK(with_query.exit_code() == 2);
  CHECK(contains(with_query.err, "not both"));
  const RunResult text =
      run_cli(tmp, {"search", "--db", db, "--format", "text", "--batch", file.string()});
  CHECK(text.exit_code() == 2);
  CHECK(contains(text.err, "--format text"));

  const RunResult facets =
      run_cli(tmp, {"search", "--db", db, "--facets", "--batch", file.string()});
  REQUIRE(facets.exit_code() == 0);
  const json answer = json::parse(facets.out);
  CHECK(answer["facets"].contains("source"));
}

// ---------------------------------------------------------------------------------------------
// Row 11: paging numbers are validated by the CLI and capped by the library

TEST_CASE("--limit and --offset out of range are usage errors", "[cli]") {
  TempDir tmp;
  const std::string db = corpus_index().db().string();
  for (const std::vector<std::string>& paging : {std::vector<std::string>{"--limit", "4294967296"},
                                                 {"--limit", "-1"},
                                                 {"--limit", "18446744073709551616"},
                                                 {"--limit", "1001"},
                                                 {"--offset", "-1"},
                                                 {"--offset", "10001"},
                                                 {"--offset", "9995", "--limit", "10"}}) {
    std::vector<std::string> args = {"search", "--db", db};
    args.insert(args.end(), paging.begin(), paging.end());
    args.push_back("thi");
    const RunResult run = run_cli(tmp, args);
    INFO(paging[0] << " " << paging[1] << ": " << run.err);
    CHECK(run.exit_code() == 2);
    CHECK(contains(run.err, "vnsearch search: error: "));
    CHECK(run.out.empty());
  }
}

TEST_CASE("index and stats numbers out of range are usage errors", "[cli]") {
  TempDir tmp;
  const std::string db = (tmp / "db").string();
  const std::string input = (kSourceDir / "corpus" / "portal").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"index", "--db", db, "--threads", "-1", input},
        {"index", "--db", db, "--max-errors", "-1", input},
        {"index", "--db", db, "--batch-size", "99999999999999999999", input},
        {"index", "--db", db, "--max-body-mb", "99999999999999", input},
        {"stats", "--db", db, "--top", "-1"}}) {
    const RunResult run = run_cli(tmp, args);
    INFO(args[3] << " " << args[4] << ": " << run.err);
    CHECK(run.exit_code() == 2);
    CHECK(contains(run.err, "error: " + args[3]));
  }
  CHECK_FALSE(fs::exists(db));
}

TEST_CASE("the library caps limit and offset without overflow, with a note", "[cli][query]") {
  vnsearch::SearchOptions options;
  options.limit = std::size_t{1} << 32;
  const vnsearch::SearchResult wide = corpus_searcher().search("thi", options);
  CHECK_FALSE(wide.hits.empty());
  CHECK(wide.hits.size() <= vnsearch::SearchOptions::kMaxLimit);
  CHECK(contains(wide.message, "at most 1000"));

  options.limit = std::numeric_limits<std::size_t>::max();
  options.offset = std::numeric_limits<std::size_t>::max();
  const vnsearch::SearchResult far = corpus_searcher().search("thi", options);
  CHECK(far.hits.empty());
  CHECK(contains(far.message, "first 10000"));
}

// ---------------------------------------------------------------------------------------------
// Row 21: paging wording and numbering

TEST_CASE("the text output says which hits it shows and numbers them from the offset", "[cli]") {
  TempDir tmp;
  const std::string db = corpus_index().db().string();
  const RunResult page =
      run_cli(tmp, {"search", "--db", db, "--offset", "3", "--limit", "2", "thi đua"});
  INFO(page.out);
  CHECK(std::regex_search(page.out, std::regex("\nshowing 4–5 of about [0-9]+ matches\n")));
  CHECK(contains(page.out, "\n4. "));
  CHECK(contains(page.out, "\n5. "));
  CHECK_FALSE(contains(page.out, "\n1. "));

  const RunResult count = run_cli(tmp, {"search", "--db", db, "--limit", "0", "thi đua"});
  INFO(count.out);
  CHECK(contains(count.out, "none shown"));
  CHECK_FALSE(contains(count.out, "no matching documents"));

  const RunResult past = run_cli(tmp, {"search", "--db", db, "--offset", "5000", "thi đua"});
  INFO(past.out);
  CHECK(contains(past.out, "past the last hit"));
  CHECK_FALSE(contains(past.out, "no matching documents"));

  const RunResult one = run_cli(tmp, {"search", "--db", db, "\"đường hầm\" -Israel"});
  INFO(one.out);
  CHECK(contains(one.out, "of about 1 match\n"));
}

// ---------------------------------------------------------------------------------------------
// Row 22: query words starting with `-`

TEST_CASE("a query word starting with - is an exclusion, not an option", "[cli]") {
  TempDir tmp;
  const std::string db = corpus_index().db().string();
  const RunResult split = run_cli(tmp, {"search", "--db", db, "--format", "json", "đua", "-thi"});
  INFO(split.err);
  REQUIRE(split.exit_code() == 0);
  const RunResult quoted = run_cli(tmp, {"search", "--db", db, "--format", "json", "đua -thi"});
  REQUIRE(quoted.exit_code() == 0);
  CHECK(json::parse(split.out)["hits"] == json::parse(quoted.out)["hits"]);
  CHECK_FALSE(json::parse(split.out)["hits"].empty());
  // Options may still follow the words, and `--` ends the options.
  const RunResult after = run_cli(tmp, {"search", "đua", "-thi", "--db", db, "--limit", "1"});
  CHECK(after.exit_code() == 0);
  CHECK(contains(after.out, "\n1. "));
  const RunResult dashes = run_cli(tmp, {"search", "--db", db, "--", "đua", "--limit"});
  CHECK(dashes.exit_code() == 0);
}

// ---------------------------------------------------------------------------------------------
// Row 27: stats lists the commonest values only

TEST_CASE("stats lists the 20 commonest sources and counts the rest", "[cli]") {
  TempDir tmp;
  std::vector<json> records;
  for (int i = 0; i < 30; ++i) {
    records.push_back({{"id", "s-" + std::to_string(i)},
                       {"title", "tin"},
                       {"body", "tin tức"},
                       {"source", "source number " + std::to_string(i)}});
  }
  records.push_back({{"id", "s-extra"}, {"title", "tin"}, {"body", "tin"}, {"source", "top"}});
  records.push_back({{"id", "s-extra2"}, {"title", "tin"}, {"body", "tin"}, {"source", "top"}});
  const fs::path db = index_records(tmp, records);
  const RunResult stats = run_cli(tmp, {"stats", "--db", db.string()});
  INFO(stats.out);
  CHECK(contains(stats.out, "sources:      31\n         2  top\n"));
  CHECK(contains(stats.out, "… and 11 more sources (11 documents; --top 0 lists all)"));
  const std::size_t listed = std::count(stats.out.begin(), stats.out.end(), '\n');
  CHECK(listed < 35);
  const RunResult all = run_cli(tmp, {"stats", "--db", db.string(), "--top", "0"});
  CHECK(contains(all.out, "source number 29"));
  CHECK_FALSE(contains(all.out, "more sources"));
}

// ---------------------------------------------------------------------------------------------
// Row 12, 13, 14: query repairs are reported

TEST_CASE("malformed or impossible dates are reported; a reversed range is swapped",
          "[cli][query]") {
  vnsearch::Searcher& searcher = corpus_searcher();
  vnsearch::SearchOptions options;
  options.limit = 500;
  for (const char* bad : {"date:20201", "date:2020abc", "date:2020.5", "date:2020-02-30",
                          "date:2021-02-29", "date:2020-13", "date:9999-99-99", "date:2020..x",
                          "date:2020-", "date:2020-1-", "date:2020-01-01-01", "date:-2020"}) {
    INFO(bad);
    const vnsearch::SearchResult result = searcher.search(std::string("thi ") + bad, options);
    CHECK(contains(result.message, "ignored date filter"));
    CHECK_FALSE(result.hits.empty());  // the words are still searched
    const vnsearch::SearchResult alone = searcher.search(bad, options);
    CHECK(contains(alone.message, "ignored date filter"));
    CHECK_FALSE(contains(alone.message, "has no words"));
  }
  CHECK(contains(searcher.search("date:2020-02-30").message, "2020-02 has 29 days"));
  // A real leap day is a date.
  CHECK_FALSE(contains(searcher.search("thi date:2020-02-29").message, "ignored"));

  const vnsearch::SearchResult reversed = searcher.search("date:2024..2023", options);
  const vnsearch::SearchResult forward = searcher.search("date:2023..2024", options);
  CHECK(contains(reversed.message, "reversed"));
  REQUIRE_FALSE(forward.hits.empty());
  REQUIRE(reversed.hits.size() == forward.hits.size());
  for (std::size_t i = 0; i < forward.hits.size(); ++i) {
    CHECK(reversed.hits[i].id == forward.hits[i].id);
  }
}

TEST_CASE("invalid UTF-8 in a query is repaired, not read as a legacy encoding", "[cli][query]") {
  const vnsearch::SearchResult result = corpus_searcher().search("thi \xc3\x28 đua");
  REQUIRE_FALSE(result.readings.empty());
  CHECK(result.readings[0] == "thi đua");
  CHECK(contains(result.message, "U+FFFD"));
  const auto parsed = vnsearch::query::parse_query("a\xff b");
  REQUIRE(parsed.clauses.size() == 1);
  CHECK(parsed.clauses[0].text == "a\xEF\xBF\xBD b");
}

TEST_CASE("a field with no value is ignored with a note", "[cli][query]") {
  for (const char* field : {"title:", "source:", "category:", "tag:", "author:", "title:\"\""}) {
    INFO(field);
    const auto parsed = vnsearch::query::parse_query(std::string(field) + " thi");
    REQUIRE(parsed.clauses.size() == 1);
    CHECK(parsed.clauses[0].text == "thi");
    REQUIRE(parsed.notes.size() == 1);
    CHECK(contains(parsed.notes[0], "no value"));
    const vnsearch::SearchResult alone = corpus_searcher().search(field);
    CHECK(alone.hits.empty());
    CHECK(contains(alone.message, "no value"));
  }
}

// ---------------------------------------------------------------------------------------------
// Row 15: every `vnsearch search` example of README.md finds something on the corpus/ index

TEST_CASE("every README search example finds hits on the bundled corpus", "[cli][readme]") {
  const std::string readme = read_file(kSourceDir / "README.md");
  REQUIRE_FALSE(readme.empty());
  std::vector<std::string> examples;
  for (const std::string& line : lines_of(readme)) {
    if (contains(line, "build/vnsearch search ") && !contains(line, "|")) examples.push_back(line);
  }
  REQUIRE(examples.size() >= 3);
  TempDir tmp;
  // The README's paths, relative to the folder it runs in: build/vnsearch and idx.
  fs::create_directories(tmp / "build");
  fs::create_symlink(kBinary, tmp / "build" / "vnsearch");
  fs::create_directory_symlink(corpus_index().db(), tmp / "idx");
  for (const std::string& example : examples) {
    INFO(example);
    const RunResult run = run_program(
        "/bin/sh", {"-c", "cd '" + tmp.path().string() + "' && " + example}, tmp.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code() == 0);
    std::size_t hits = 0;
    if (contains(example, "--batch")) {
      for (const std::string& line : lines_of(run.out)) hits += json::parse(line)["hits"].size();
    } else if (contains(example, "--format json")) {
      hits = json::parse(run.out)["hits"].size();
    } else if (contains(run.out, "\n1. ") ||
               std::regex_search(run.out, std::regex("\n[0-9]+\\. "))) {
      hits = 1;
    }
    CHECK(hits >= 1);
  }
}
