#include "bench_support.h"

#include <sqlite3.h>
#include <xapian.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "vnsearch/index_writer.h"
#include "vnsearch/readers.h"

namespace vnsearch::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Removes `path` and the files named `path` + `separator` + anything: the generations, lock and
// temporary links of a vnsearch database ('.'), or SQLite's journal files ('-').
void remove_with_siblings(const fs::path& path, char separator) {
  fs::remove_all(path);
  const std::string stem = path.filename().string() + separator;
  for (const auto& entry : fs::directory_iterator(path.parent_path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) == 0) fs::remove_all(entry.path());
  }
}

void check_sqlite(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db));
  }
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(std::string("sqlite: ") + sql + ": " + message);
  }
}

}  // namespace

double compact(const fs::path& source, const fs::path& destination) {
  fs::remove_all(destination);
  const auto start = Clock::now();
  Xapian::Database database(source.string());
  Xapian::Compactor compactor;
  database.compact(destination.string(), 0, 0, compactor);
  return seconds_since(start);
}

std::vector<fs::path> corpus_inputs(const fs::path& shared) {
  const fs::path corpus = shared / "corpus";
  return {corpus / "baomoi-2017.jsonl.zst", corpus / "newsmds.jsonl",
          corpus / "vinewsqa-articles.jsonl", corpus / "portal"};
}

fs::path default_shared_dir() {
  return fs::path(VNSEARCH_SOURCE_DIR).parent_path() / "shared";
}

fs::path default_workdir() {
  // Per user, so that engineers sharing the machine do not overwrite each other's indexes.
  const char* user = std::getenv("USER");
  return fs::temp_directory_path() / (std::string("vnsearch-bench-") + (user ? user : "user"));
}

LoadedCorpus load_corpus(const std::vector<fs::path>& inputs) {
  LoadedCorpus corpus;
  corpus.disk_bytes = total_input_bytes(inputs);
  const auto start = Clock::now();
  read_documents(
      inputs, ReadOptions{},
      [&](Document&& document, const ReadProgress&) {
        corpus.text_bytes +=
            document.title.size() + document.description.size() + document.body.size();
        corpus.documents.push_back(std::move(document));
        return ReadFlow::kContinue;
      },
      [&](const ReadIssue&) {
        ++corpus.issues;
        return ReadFlow::kContinue;
      });
  corpus.seconds = seconds_since(start);
  return corpus;
}

bool WorkPaths::complete(const std::string& engine) const {
  return fs::exists(workdir / (engine + ".complete"));
}

void WorkPaths::mark_complete(const std::string& engine, bool done) const {
  const fs::path marker = workdir / (engine + ".complete");
  if (done) {
    std::ofstream(marker) << "built by vnsearch bench\n";
  } else {
    fs::remove(marker);
  }
}

std::uint64_t disk_usage(const fs::path& path) {
  if (fs::is_regular_file(path)) return fs::file_size(path);
  std::uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

BuildResult build_vnsearch(const WorkPaths& paths, const std::vector<fs::path>& inputs) {
  paths.mark_complete("vnsearch", false);
  remove_with_siblings(paths.vnsearch_live(), '.');
  BuildResult result;
  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  const IndexSummary summary = index_paths(
      paths.vnsearch_live(), inputs, IndexOptions{},
      [](const ReadIssue&) { return ReadFlow::kContinue; }, [](const IndexProgress&) {});
  result.index_seconds = seconds_since(start);
  result.index_cpu_seconds = process_cpu_seconds() - cpu_start;
  result.documents = summary.documents_in_index;
  // Through the symlink: the generation directory behind it is an implementation detail.
  result.compact_seconds = compact(paths.vnsearch_live(), paths.vnsearch_compact());
  // The compactor copies Xapian's tables only; the files vnsearch keeps beside them (the
  // syllable model) belong to the index too, and without them the copy would not be searchable.
  for (const auto& entry : fs::directory_iterator(paths.vnsearch_live())) {
    const fs::path name = entry.path().filename();
    if (!entry.is_regular_file() || name.extension() == ".glass" || name == "iamglass" ||
        name == "flintlock" || fs::exists(paths.vnsearch_compact() / name)) {
      continue;
    }
    fs::copy_file(entry.path(), paths.vnsearch_compact() / name);
  }
  result.size_bytes = disk_usage(paths.vnsearch_compact());
  paths.mark_complete("vnsearch", true);
  return result;
}

BuildResult build_plain_xapian(const WorkPaths& paths, const std::vector<Document>& documents) {
  paths.mark_complete("xapian", false);
  fs::remove_all(paths.xapian_live());
  BuildResult result;
  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  {
    Xapian::WritableDatabase db(paths.xapian_live().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    for (const Document& document : documents) {
      Xapian::Document xdoc;
      generator.set_document(xdoc);
      generator.index_text(document.title);
      generator.increase_termpos();  // keeps phrases from spanning two fields
      generator.index_text(document.description);
      generator.increase_termpos();
      generator.index_text(document.body);
      xdoc.set_data(document.id);
      db.add_document(xdoc);
    }
    db.commit();
    result.documents = db.get_doccount();
  }
  result.index_seconds = seconds_since(start);
  result.index_cpu_seconds = process_cpu_seconds() - cpu_start;
  result.compact_seconds = compact(paths.xapian_live(), paths.xapian_compact());
  result.size_bytes = disk_usage(paths.xapian_compact());
  paths.mark_complete("xapian", true);
  return result;
}

BuildResult build_fts5(const WorkPaths& paths, const std::vector<Document>& documents) {
  paths.mark_complete("fts5", false);
  remove_with_siblings(paths.fts5(), '-');  // also a stale -journal or -wal
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open(paths.fts5().c_str(), &raw);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, sqlite3_close);
  check_sqlite(rc, raw, "open");

  BuildResult result;
  auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  exec(raw,
       "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
       "tokenize=\"unicode61 remove_diacritics 2\")");
  exec(raw, "BEGIN");
  sqlite3_stmt* statement = nullptr;
  check_sqlite(sqlite3_prepare_v2(raw, "INSERT INTO docs(id, title, body) VALUES (?, ?, ?)", -1,
                                  &statement, nullptr),
               raw, "prepare insert");
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> insert(statement, sqlite3_finalize);
  std::string body;
  for (const Document& document : documents) {
    // Description and body in one column: the same text plain Xapian indexes.
    body.assign(document.description);
    if (!body.empty()) body += "\n";
    body += document.body;
    sqlite3_bind_text(statement, 1, document.id.data(), static_cast<int>(document.id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, document.title.data(), static_cast<int>(document.title.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
    check_sqlite(sqlite3_step(statement), raw, "insert");
    sqlite3_reset(statement);
    ++result.documents;
  }
  insert.reset();
  exec(raw, "COMMIT");
  result.index_seconds = seconds_since(start);
  result.index_cpu_seconds = process_cpu_seconds() - cpu_start;

  start = Clock::now();
  exec(raw, "INSERT INTO docs(docs) VALUES('optimize')");
  result.compact_seconds = seconds_since(start);
  db.reset();  // closed, so the file size is final
  result.size_bytes = disk_usage(paths.fts5());
  paths.mark_complete("fts5", true);
  return result;
}

}  // namespace vnsearch::bench
