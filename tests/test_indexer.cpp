// Integration tests for the indexer's safety promises: re-runs skip unchanged documents, a
// kill -9 leaves exactly the committed batches, a second writer fails fast (or waits), --fresh
// swaps generations under open readers, bad input is reported by file:line without losing
// anything, huge bodies are capped, and `delete` reports missing ids.
//
// Every test works in its own temporary directory and uses only the bundled corpus/ sample and
// generated input, so the suite runs without ../shared. Child processes run the real CLI
// (VNSEARCH_BINARY) and are always killed on timeout, so a hung indexer cannot hang CI.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/schema.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;

// Generous, because the sanitizer build runs a sanitized child; only reached when something hangs.
constexpr auto kChildTimeout = 240s;

// Every test works in its own temporary directory.
class TempDir : public vnsearch::test::TempDir {
 public:
  TempDir() : vnsearch::test::TempDir("vnsearch-indexer") {}
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A running `vnsearch` process with stdout and stderr redirected to files. The destructor kills
// and reaps it if the test ended (or failed) while it was still running.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& out, const fs::path& err)
      : out_(out), err_(err) {
    std::vector<std::string> argv_strings{kBinary.string()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // posix_spawn rather than fork: some tests spawn while another thread of this process holds
    // the writer lock, and only exec-style spawning is safe in a multi-threaded process.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(error == 0);
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  /// True while the process has not exited; reaps it (keeping its status) once it has.
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == 0) return true;
    status_ = status;
    pid_ = -1;
    return false;
  }

  void kill9() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }

  /// The wait status once the process ends; kills it and fails the test after `timeout`.
  int wait(std::chrono::steady_clock::duration timeout = kChildTimeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill9();
        while (running()) std::this_thread::sleep_for(1ms);
        FAIL("vnsearch did not finish within the timeout; killed. stderr:\n" << stderr_text());
      }
      std::this_thread::sleep_for(2ms);
    }
    return status_;
  }

  std::string stdout_text() const { return read_file(out_); }
  std::string stderr_text() const { return read_file(err_); }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  fs::path out_, err_;
};

struct RunResult {
  int status = -1;  ///< raw wait status
  std::string out, err;
  /// The exit code, or -1 when the process died of a signal (a crash).
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

RunResult run_cli(const TempDir& tmp, const std::vector<std::string>& args) {
  Child child(args, tmp / "cli.out", tmp / "cli.err");
  RunResult result;
  result.status = child.wait();
  result.out = child.stdout_text();
  result.err = child.stderr_text();
  return result;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Deterministic small Vietnamese articles: ids `<prefix>-00000`, `<prefix>-00001`, ...
std::string synthetic_article(const std::string& id, std::uint32_t seed) {
  static const char* const kWords[] = {
      "tin",  "tức",  "hôm", "nay",  "thành", "phố",  "hà",  "nội", "người", "dân",  "cho",
      "biết", "kinh", "tế",  "phát", "triển", "giáo", "dục", "y",   "bệnh",  "viện", "trường",
      "học",  "công", "an",  "tỉnh", "Việt",  "Nam",  "mưa", "bão", "giá",   "xăng"};
  constexpr std::uint32_t kCount = sizeof(kWords) / sizeof(kWords[0]);
  std::uint32_t state = seed * 2654435761u + 1;
  auto words = [&](int n) {
    std::string text;
    for (int i = 0; i < n; ++i) {
      state = state * 1664525u + 1013904223u;
      if (i > 0) text += ' ';
      text += kWords[(state >> 16) % kCount];
    }
    return text;
  };
  const json record = {{"id", id}, {"title", words(8)}, {"body", words(30)}};
  return record.dump();
}

std::string synthetic_id(const std::string& prefix, std::size_t i) {
  char number[16];
  std::snprintf(number, sizeof number, "%05zu", i);
  return prefix + "-" + number;
}

std::string synthetic_jsonl(const std::string& prefix, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += synthetic_article(synthetic_id(prefix, i), static_cast<std::uint32_t>(i));
    out += '\n';
  }
  return out;
}

// The stored data as one JSON object: the header fields plus "body" (schema::split_stored_record);
// a discarded value when the header is not JSON.
json decode_record(const std::string& data) {
  const vnsearch::schema::StoredRecordParts parts = vnsearch::schema::split_stored_record(data);
  json record = json::parse(parts.header_json, nullptr, false);
  if (record.is_object()) record["body"] = std::string(parts.body);
  return record;
}

std::set<std::string> synthetic_ids(const std::string& prefix, std::size_t count) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < count; ++i) ids.insert(synthetic_id(prefix, i));
  return ids;
}

std::string id_term(const std::string& id) {
  return std::string(vnsearch::schema::kId) + id;
}

// The document count a new reader sees now, or nothing while the database cannot be opened
// (not created yet, or a commit raced with the open).
std::optional<Xapian::doccount> try_doc_count(const fs::path& db) {
  try {
    return Xapian::Database(db.string()).get_doccount();
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
}

// The ids of every document in `db`, after checking each one is whole: its stored record parses
// as a JSON object with an id, and that id's term exists and points back at the document.
std::set<std::string> complete_ids(const Xapian::Database& db) {
  std::set<std::string> ids;
  std::vector<std::string> problems;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting) {
    const Xapian::docid docid = *posting;
    const json record = decode_record(db.get_document(docid).get_data());
    if (!record.is_object() || !record.contains("id") || !record["id"].is_string()) {
      problems.push_back("document " + std::to_string(docid) + ": stored data is not a record");
      continue;
    }
    const std::string id = record["id"].get<std::string>();
    const std::string term = id_term(id);
    auto by_id = db.postlist_begin(term);
    if (by_id == db.postlist_end(term) || *by_id != docid) {
      problems.push_back("document " + std::to_string(docid) + " (" + id +
                         "): its id term does not lead back to it");
    }
    if (!ids.insert(id).second) problems.push_back("id " + id + " is indexed twice");
  }
  INFO("first problem: " << (problems.empty() ? "" : problems.front()));
  REQUIRE(problems.empty());
  REQUIRE(ids.size() == db.get_doccount());
  return ids;
}

std::set<std::string> complete_ids(const fs::path& db) {
  return complete_ids(Xapian::Database(db.string()));
}

// The stored record of document `id`, which must exist.
json stored_record(const fs::path& db_path, const std::string& id) {
  const Xapian::Database db(db_path.string());
  auto posting = db.postlist_begin(id_term(id));
  REQUIRE(posting != db.postlist_end(id_term(id)));
  return decode_record(db.get_document(*posting).get_data());
}

bool has_document(const fs::path& db_path, const std::string& id) {
  return Xapian::Database(db_path.string()).term_exists(id_term(id));
}

std::vector<fs::path> generations(const fs::path& db) {
  std::vector<fs::path> found;
  const std::string stem = db.filename().string() + ".gen-";
  for (const auto& entry : fs::directory_iterator(db.parent_path())) {
    if (entry.path().filename().string().starts_with(stem)) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

vnsearch::IndexOptions small_options() {
  vnsearch::IndexOptions options;
  options.analysis_threads = 2;  // the CI machines have two cores
  return options;
}

vnsearch::IndexSummary index_quietly(const fs::path& db, std::vector<fs::path> inputs,
                                     const vnsearch::IndexOptions& options = small_options()) {
  return vnsearch::index_paths(db, inputs, options, nullptr, nullptr);
}

// A gate one thread waits at until another opens it; the wait is bounded so that a failed test
// cannot leave a thread blocked forever.
class Gate {
 public:
  void wait_open() {
    std::unique_lock lock(mutex_);
    reached_ = true;
    changed_.notify_all();
    changed_.wait_for(lock, kChildTimeout, [&] { return open_; });
  }
  void arrive() {
    std::lock_guard lock(mutex_);
    reached_ = true;
    changed_.notify_all();
  }
  bool wait_reached(std::chrono::steady_clock::duration timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return reached_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool reached_ = false, open_ = false;
};

}  // namespace

TEST_CASE("indexing the bundled corpus, again unchanged, then one changed body", "[indexer]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path corpus = kSourceDir / "corpus";

  const vnsearch::IndexSummary first = index_quietly(db, {corpus});
  CHECK(first.added == 481);
  CHECK(first.replaced == 0);
  CHECK(first.rejected == 0);
  REQUIRE(first.documents_in_index == 481);
  CHECK(vnsearch::collect_stats(db).documents == 481);
  CHECK(complete_ids(db).size() == 481);
  CHECK(has_document(db, "ca-brvt-cum-thi-dua-so-8"));

  // Same input again: every document is recognised by its content hash.
  const vnsearch::IndexSummary second = index_quietly(db, {corpus});
  CHECK(second.unchanged == 481);
  CHECK(second.added == 0);
  CHECK(second.replaced == 0);
  CHECK(second.documents_in_index == 481);
  CHECK(vnsearch::collect_stats(db).documents == 481);

  // A copy of the input where one article's body changed: exactly that one is replaced.
  std::istringstream lines(read_file(corpus / "news-sample.jsonl"));
  std::string changed_input, line, changed_id;
  const std::string new_body = "Nội dung đã được cập nhật lúc 10 giờ.";
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (number == 7) {
      json record = json::parse(line);
      changed_id = record["id"].get<std::string>();
      record["body"] = new_body;
      line = record.dump();
    }
    changed_input += line + "\n";
  }
  REQUIRE_FALSE(changed_id.empty());
  const fs::path copy = tmp.write("input/news-sample.jsonl", changed_input);
  const vnsearch::IndexSummary third = index_quietly(db, {copy, corpus / "portal"});
  CHECK(third.replaced == 1);
  CHECK(third.unchanged == 480);
  CHECK(third.added == 0);
  CHECK(third.documents_in_index == 481);
  CHECK(stored_record(db, changed_id)["body"] == new_body);
  CHECK(complete_ids(db).size() == 481);
}

TEST_CASE("kill -9 during indexing leaves exactly the committed batches", "[indexer][crash]") {
  TempDir tmp;
  constexpr std::size_t kDocs = 5000, kBatch = 200;
  const fs::path input = tmp.write("big.jsonl", synthetic_jsonl("syn", kDocs));
  const fs::path db = tmp / "db";
  const std::vector<std::string> command = {"index", "--db",      db.string(), "--batch-size",
                                            "200",   "--threads", "2",         input.string()};

  // Each run resumes the previous one; it is killed once it has committed `batches_in_run`
  // more batches, `extra` later (so that some kills land inside a batch or a commit).
  struct KillPoint {
    std::size_t batches_in_run;
    std::chrono::milliseconds extra;
  };
  std::size_t before = 0;
  for (const KillPoint point : {KillPoint{1, 0ms}, KillPoint{8, 0ms}, KillPoint{3, 37ms}}) {
    INFO("kill after " << point.batches_in_run << " batch(es) + " << point.extra.count() << " ms, "
                       << before << " documents before the run");
    Child child(command, tmp / "kill.out", tmp / "kill.err");
    const std::size_t target = before + point.batches_in_run * kBatch;
    const auto deadline = std::chrono::steady_clock::now() + kChildTimeout;
    while (child.running() && std::chrono::steady_clock::now() < deadline) {
      if (const auto count = try_doc_count(db); count && *count >= target) break;
      std::this_thread::sleep_for(2ms);
    }
    std::this_thread::sleep_for(point.extra);
    // Finishing before the kill would make this round test nothing.
    if (!child.running()) FAIL("vnsearch ended before the kill:\n" << child.stderr_text());
    child.kill9();
    const int status = child.wait();
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    const std::set<std::string> ids = complete_ids(db);
    CHECK(ids.size() % kBatch == 0);
    CHECK(ids.size() >= target);
    CHECK(ids.size() < kDocs);
    // Documents are written in input order, so the committed batches are a prefix of the input.
    CHECK(ids == synthetic_ids("syn", ids.size()));
    before = ids.size();
  }

  const RunResult rerun = run_cli(tmp, command);
  INFO(rerun.err);
  CHECK(rerun.exit_code() == 0);
  CHECK(contains(rerun.err, std::to_string(before) + " unchanged"));
  CHECK(complete_ids(db) == synthetic_ids("syn", kDocs));
}

TEST_CASE("a second writer fails fast naming the database, or waits with --wait",
          "[indexer][lock]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  REQUIRE(
      index_quietly(db, {tmp.write("pre.jsonl", synthetic_jsonl("pre", 50))}).documents_in_index ==
      50);

  // The first writer is held inside its run: its first input line is bad, and the issue sink
  // blocks at the gate. It holds the writer lock (and an open WritableDatabase) until released.
  const fs::path held_input = tmp.write("held.jsonl", "not json\n" + synthetic_jsonl("held", 100));
  Gate gate;
  vnsearch::IndexSummary held_summary;
  std::exception_ptr held_failure;
  std::thread holder([&] {
    try {
      const std::vector<fs::path> inputs{held_input};
      held_summary = vnsearch::index_paths(
          db, inputs, small_options(),
          [&](const vnsearch::ReadIssue&) {
            gate.wait_open();
            return vnsearch::ReadFlow::kContinue;
          },
          nullptr);
    } catch (...) {
      held_failure = std::current_exception();
      gate.arrive();  // so that the main thread stops waiting and sees the failure
    }
  });
  // Whatever happens below, release and join the holder before the thread object dies.
  struct Joiner {
    Gate& gate;
    std::thread& thread;
    ~Joiner() {
      gate.open();
      if (thread.joinable()) thread.join();
    }
  } joiner{gate, holder};
  REQUIRE(gate.wait_reached(kChildTimeout));
  REQUIRE_FALSE(held_failure);

  const fs::path other_input = tmp.write("other.jsonl", synthetic_jsonl("other", 20));

  {  // in process: index_paths throws at once

    const std::vector<fs::path> inputs{other_input};
    const auto started = std::chrono::steady_clock::now();
    std::string message;
    try {
      vnsearch::index_paths(db, inputs, small_options(), nullptr, nullptr);
    } catch (const std::runtime_error& error) {
      message = error.what();
    }
    INFO(message);
    CHECK(contains(message, db.string()));
    CHECK(contains(message, "--wait"));
    CHECK(std::chrono::steady_clock::now() - started < 5s);
  }

  // The CLI, too, fails while the holder is still inside its run (it cannot have waited).
  const RunResult refused = run_cli(tmp, {"index", "--db", db.string(), other_input.string()});
  INFO(refused.err);
  CHECK(refused.exit_code() != 0);
  CHECK(contains(refused.err, db.string()));
  CHECK(contains(refused.err, "--wait"));
  const RunResult refused_delete = run_cli(tmp, {"delete", "--db", db.string(), "pre-00001"});
  CHECK(refused_delete.exit_code() != 0);
  CHECK(contains(refused_delete.err, "--wait"));

  // Readers are unaffected by the held writer.
  CHECK(complete_ids(db) == synthetic_ids("pre", 50));

  // With --wait the CLI blocks until the holder is done, then does its work.
  Child waiting({"index", "--wait", "--db", db.string(), "--threads", "2", other_input.string()},
                tmp / "wait.out", tmp / "wait.err");
  std::this_thread::sleep_for(700ms);
  CHECK(waiting.running());
  gate.open();
  holder.join();
  REQUIRE_FALSE(held_failure);
  CHECK(held_summary.added == 100);
  CHECK(held_summary.rejected == 1);
  const int status = waiting.wait();
  INFO(waiting.stderr_text());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  std::set<std::string> expected = synthetic_ids("pre", 50);
  expected.merge(synthetic_ids("held", 100));
  expected.merge(synthetic_ids("other", 20));
  CHECK(complete_ids(db) == expected);
}

TEST_CASE("--fresh swaps in a new generation under an open reader", "[indexer][fresh]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path old_input = tmp.write("old.jsonl", synthetic_jsonl("old", 40));
  const fs::path new_input = tmp.write("new.jsonl", synthetic_jsonl("new", 25));
  const fs::path newer_input = tmp.write("newer.jsonl", synthetic_jsonl("newer", 10));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), old_input.string()}).exit_code() == 0);
  const fs::path old_generation = fs::canonical(db);

  // A generation left behind by an interrupted --fresh run (kill -9 before the swap).
  fs::create_directories(db.string() + ".gen-1-1");

  const Xapian::Database reader(db.string());
  REQUIRE(reader.get_doccount() == 40);

  const RunResult fresh =
      run_cli(tmp, {"index", "--fresh", "--db", db.string(), new_input.string()});
  INFO(fresh.err);
  REQUIRE(fresh.exit_code() == 0);

  // The old reader still reads its old documents, all of them whole.
  CHECK(complete_ids(reader) == synthetic_ids("old", 40));
  // A new reader sees only the new set.
  CHECK(complete_ids(db) == synthetic_ids("new", 25));
  CHECK(fs::canonical(db) != old_generation);
  CHECK(generations(db) == std::vector<fs::path>{old_generation, fs::canonical(db)});

  // One more swap: the first generation goes, the one just replaced stays.
  const fs::path replaced = fs::canonical(db);
  const RunResult again =
      run_cli(tmp, {"index", "--fresh", "--db", db.string(), newer_input.string()});
  REQUIRE(again.exit_code() == 0);
  CHECK(complete_ids(db) == synthetic_ids("newer", 10));
  std::vector<fs::path> expected{replaced, fs::canonical(db)};
  std::sort(expected.begin(), expected.end());
  CHECK(generations(db) == expected);
}

// A database directory made by hand (or by another tool) is used in place; the first --fresh
// run moves it aside, and as the replaced generation it must stay for readers that have it open.
TEST_CASE("--fresh over a plain database directory keeps it for open readers", "[indexer][fresh]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path old_input = tmp.write("old.jsonl", synthetic_jsonl("old", 40));
  const fs::path new_input = tmp.write("new.jsonl", synthetic_jsonl("new", 25));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), old_input.string()}).exit_code() == 0);
  const fs::path generation = fs::canonical(db);
  fs::remove(db);
  fs::rename(generation, db);
  REQUIRE(fs::is_directory(fs::symlink_status(db)));

  const Xapian::Database reader(db.string());
  REQUIRE(reader.get_doccount() == 40);
  const RunResult fresh =
      run_cli(tmp, {"index", "--fresh", "--db", db.string(), new_input.string()});
  INFO(fresh.err);
  REQUIRE(fresh.exit_code() == 0);
  CHECK(complete_ids(db) == synthetic_ids("new", 25));
  const std::vector<fs::path> kept = generations(db);
  CHECK(kept.size() == 2);
  CHECK(std::count(kept.begin(), kept.end(), fs::canonical(db)) == 1);
  CHECK(complete_ids(reader) == synthetic_ids("old", 40));
}

TEST_CASE("bad input lines are reported by file:line and lose nothing", "[indexer][cli]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path earlier = tmp.write("earlier.jsonl", synthetic_jsonl("earlier", 3));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), earlier.string()}).exit_code() == 0);

  const std::string bad_lines =
      synthetic_article("b-1", 1) + "\n" +                            // 1: good
      "{\"id\": \"b-2\", \"title\": \"cắt ngang\n" +                  // 2: malformed JSON
      "{\"title\": \"không có id\", \"body\": \"nội dung\"}\n" +      // 3: no id
      "{\"id\": \"b-4\", \"title\": 42, \"body\": \"nội dung\"}\n" +  // 4: title a number
      "{\"id\": \"b-5\", \"title\": \"Tin \xFF\xFE tức\", \"body\": \"nội dung\"}\n" +  // 5
      synthetic_article("b-6", 6) + "\n";                                               // 6: good
  const fs::path bad = tmp.write("bad.jsonl", bad_lines);
  const std::string file = bad.string();

  const RunResult run = run_cli(tmp, {"index", "--db", db.string(), file});
  INFO(run.err);
  CHECK(run.exit_code() == 1);
  CHECK(contains(run.err, "error: " + file + ":2:"));
  CHECK(contains(run.err, "error: " + file + ":3:"));
  CHECK(contains(run.err, "error: " + file + ":4:"));
  CHECK(contains(run.err, "title"));
  // Invalid UTF-8 is repaired (U+FFFD) and indexed, with a warning naming the line.
  CHECK(contains(run.err, "warning: " + file + ":5:"));
  CHECK_FALSE(contains(run.err, file + ":1:"));
  CHECK_FALSE(contains(run.err, file + ":6:"));

  std::set<std::string> expected = synthetic_ids("earlier", 3);
  expected.insert({"b-1", "b-5", "b-6"});
  CHECK(complete_ids(db) == expected);
  CHECK(contains(stored_record(db, "b-5")["title"].get<std::string>(), "\xEF\xBF\xBD"));

  SECTION("--max-errors 1 stops at the first rejected line") {
    const fs::path db2 = tmp / "db2";
    const RunResult stopped =
        run_cli(tmp, {"index", "--db", db2.string(), "--max-errors", "1", file});
    INFO(stopped.err);
    CHECK(stopped.exit_code() == 1);
    CHECK(contains(stopped.err, file + ":2:"));
    CHECK_FALSE(contains(stopped.err, file + ":3:"));
    CHECK(contains(stopped.err, "stopped early"));
    const std::set<std::string> ids = complete_ids(db2);
    CHECK(ids.count("b-6") == 0);
    CHECK(ids.size() <= 1);
  }

  SECTION("a missing input path is a clear error, not a crash") {
    const std::string missing = (tmp / "no-such-input.jsonl").string();
    const RunResult run_missing = run_cli(tmp, {"index", "--db", db.string(), missing});
    INFO(run_missing.err);
    CHECK(run_missing.exit_code() == 1);
    CHECK(contains(run_missing.err, missing));
    CHECK(contains(run_missing.err, "no such file"));
    CHECK(complete_ids(db) == expected);
  }

  SECTION("stats on a missing database is a clear error, not a crash") {
    const fs::path nowhere = tmp / "no-such-db";
    const RunResult stats = run_cli(tmp, {"stats", "--db", nowhere.string()});
    INFO(stats.err);
    CHECK(stats.exit_code() == 3);  // database error (README.md, cli/exit_codes.h)
    CHECK(contains(stats.err, "no database at " + nowhere.string()));
    CHECK_FALSE(fs::exists(nowhere));
  }
}

TEST_CASE("a 50 MB body is truncated to the cap with a warning", "[indexer][cli]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  // "Việt " is 7 bytes with a 3-byte letter at offsets 2-4; 8 MiB = 7 * 1198372 + 4, so a cut at
  // exactly 8 MiB would split that letter: the cap must back off to a character boundary.
  // Built by doubling and written by hand: character-by-character building and a JSON dump of
  // 50 MB would cost more than the indexing under test.
  std::string body = "Việt ";
  while (body.size() < (50u << 20)) body += body;
  body.resize((50u << 20) / 7 * 7);  // whole units: the text stays valid UTF-8
  const fs::path input = tmp / "huge.jsonl";
  {
    std::ofstream out(input, std::ios::binary);
    out << R"({"id": "huge", "title": "Bài rất dài", "body": ")" << body << "\"}\n"
        << synthetic_article("small", 1) << "\n";
    REQUIRE(out.good());
  }

  const RunResult run =
      run_cli(tmp, {"index", "--db", db.string(), "--threads", "2", input.string()});
  INFO(run.err);
  CHECK(run.exit_code() == 0);
  CHECK(contains(run.err, "warning: " + input.string() + ":1:"));
  CHECK(contains(run.err, "truncated"));

  constexpr std::size_t kCap = 8u << 20;
  const std::string stored = stored_record(db, "huge")["body"].get<std::string>();
  CHECK(stored.size() <= kCap);
  CHECK(stored.size() > kCap - 4);
  CHECK(body.compare(0, stored.size(), stored) == 0);  // a prefix, no character split
  CHECK(complete_ids(db) == std::set<std::string>{"huge", "small"});
}

TEST_CASE("delete removes existing ids and reports missing ones", "[indexer][cli]") {
  TempDir tmp;
  const fs::path db = tmp / "db";
  const fs::path input = tmp.write("in.jsonl", synthetic_jsonl("d", 5));
  REQUIRE(run_cli(tmp, {"index", "--db", db.string(), input.string()}).exit_code() == 0);

  const RunResult one = run_cli(tmp, {"delete", "--db", db.string(), "d-00001"});
  INFO(one.err);
  CHECK(one.exit_code() == 0);
  CHECK_FALSE(has_document(db, "d-00001"));
  CHECK(complete_ids(db).size() == 4);

  const RunResult mixed = run_cli(tmp, {"delete", "--db", db.string(), "d-00002", "nope"});
  INFO(mixed.err);
  CHECK(mixed.exit_code() == 1);
  CHECK(contains(mixed.err, "not in the index: nope"));
  CHECK_FALSE(contains(mixed.err, "not in the index: d-00002"));
  CHECK(complete_ids(db) == std::set<std::string>{"d-00000", "d-00003", "d-00004"});

  // In process, the missing ids come back to the caller.
  const std::vector<std::string> ids{"d-00003", "d-00001"};
  CHECK(vnsearch::delete_documents(db, ids, false) == std::vector<std::string>{"d-00001"});
  CHECK(complete_ids(db) == std::set<std::string>{"d-00000", "d-00004"});

  const fs::path nowhere = tmp / "no-such-db";
  const RunResult missing_db = run_cli(tmp, {"delete", "--db", nowhere.string(), "d-00000"});
  INFO(missing_db.err);
  CHECK(missing_db.exit_code() == 3);  // database error (README.md, cli/exit_codes.h)
  CHECK(contains(missing_db.err, "no database at " + nowhere.string()));
}
