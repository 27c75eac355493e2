// Helpers for the indexer's integration tests (test_indexer.cpp, test_data_safety.cpp): the real
// CLI run as a child process with a timeout, synthetic articles, and checks that every document
// of a database is whole. Header-only: each test executable has its own copy.
#pragma once

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

#include "corpus_sample.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/schema.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace indexer_fixtures {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;

using vnsearch::test::kSanitized;

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
  Child(const std::vector<std::string>& args, const fs::path& out, const fs::path& err,
        const fs::path& in = "/dev/null")
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
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in.c_str(), O_RDONLY, 0);
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

RunResult run_cli(const TempDir& tmp, const std::vector<std::string>& args,
                  const fs::path& in = "/dev/null") {
  Child child(args, tmp / "cli.out", tmp / "cli.err", in);
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

// The tests that need real news but not all 481 articles index this slice of the bundled
// corpus (tests/support/corpus_sample.h), `kSampleArticles + 1` documents.
constexpr std::size_t kSampleArticles = 40;
inline fs::path corpus_sample(const TempDir& tmp) {
  return vnsearch::test::corpus_sample(tmp, kSampleArticles);
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

}  // namespace indexer_fixtures

using namespace indexer_fixtures;
