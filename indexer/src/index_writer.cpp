// The indexing pipeline: a reader thread parses input and drops unchanged documents, worker
// threads analyse the rest into Xapian documents, and the calling thread writes them in input
// order, committing every `batch_size` documents.
#include "vnsearch/index_writer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <xapian.h>

#include "database_location.h"
#include "document_terms.h"
#include "model_builder.h"
#include "vnsearch/schema.h"

namespace vnsearch {

namespace fs = std::filesystem;
using indexing::build_xapian_document;
using indexing::content_hash;

namespace {

// Documents travel in chunks so that queue synchronisation costs little per document.
constexpr std::size_t kChunkSize = 32;
constexpr std::size_t kMaxChunksInFlight = 16;

struct Prepared {
  std::string id;
  std::string hash;
  Xapian::Document document;
};

struct Chunk {
  std::size_t sequence = 0;
  std::vector<Document> input;
  std::vector<Prepared> output;
};

// A small blocking queue with a capacity, closed by the producer when input ends.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || cancelled_; });
    if (cancelled_) return;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_ || cancelled_; });
    if (items_.empty() || cancelled_) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  bool closed_ = false;
  bool cancelled_ = false;
};

// Content hashes of the documents already indexed, by id: lets the reader thread skip unchanged
// documents before any analysis.
std::unordered_map<std::string, std::string> load_hashes(const Xapian::Database& db) {
  std::unordered_map<std::string, std::string> hashes;
  const std::string prefix(schema::kId);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    const std::string id = (*term).substr(prefix.size());
    auto posting = db.postlist_begin(*term);
    if (posting == db.postlist_end(*term)) continue;
    hashes.emplace(id, db.get_document(*posting).get_value(schema::kSlotContentHash));
  }
  return hashes;
}

Xapian::WritableDatabase open_writable(const fs::path& directory) {
  try {
    return Xapian::WritableDatabase(directory.string(), Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError& error) {
    throw std::runtime_error("database " + directory.string() +
                             " is locked by another writer: " + error.get_msg());
  } catch (const Xapian::Error& error) {
    throw std::runtime_error("cannot open database " + directory.string() + ": " +
                             error.get_description());
  }
}

unsigned worker_count(const IndexOptions& options) {
  if (options.analysis_threads != 0) return options.analysis_threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

class Pipeline {
 public:
  Pipeline(Xapian::WritableDatabase& db, std::span<const fs::path> inputs,
           const IndexOptions& options, const IssueSink& issues, const IndexProgressSink& progress)
      : db_(db),
        inputs_(inputs),
        options_(options),
        issues_(issues),
        progress_(progress),
        known_(load_hashes(db)),
        to_workers_(kMaxChunksInFlight),
        to_writer_(kMaxChunksInFlight) {}

  IndexSummary run() {
    const auto started = std::chrono::steady_clock::now();
    started_ = started;
    progress_state_.total_bytes = total_input_bytes(inputs_);
    std::thread reader([this] { read_all(); });
    std::vector<std::thread> workers;
    const unsigned count = worker_count(options_);
    std::mutex done_mutex;
    unsigned running = count;
    for (unsigned i = 0; i < count; ++i) {
      workers.emplace_back([&, this] {
        analyse_all();
        std::lock_guard lock(done_mutex);
        if (--running == 0) to_writer_.close();
      });
    }
    std::exception_ptr failure;
    try {
      write_all();
    } catch (...) {
      failure = std::current_exception();
      to_workers_.cancel();
      to_writer_.cancel();
    }
    reader.join();
    for (std::thread& worker : workers) worker.join();
    if (failure) std::rethrow_exception(failure);
    db_.commit();
    summary_.documents_in_index = db_.get_doccount();
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary_;
  }

 private:
  void read_all() {
    Chunk chunk;
    std::size_t sequence = 0;
    auto flush = [&] {
      if (chunk.input.empty()) return;
      chunk.sequence = sequence++;
      to_workers_.push(std::move(chunk));
      chunk = Chunk{};
    };
    const auto on_document = [&](Document&& document, const ReadProgress& read) {
      {
        std::lock_guard lock(progress_mutex_);
        progress_state_.documents = read.documents;
        progress_state_.bytes_read = read.bytes_read;
      }
      chunk.input.push_back(std::move(document));
      if (chunk.input.size() == kChunkSize) flush();
      return stop_requested_ ? ReadFlow::kStop : ReadFlow::kContinue;
    };
    const auto on_issue = [&](const ReadIssue& issue) {
      {
        std::lock_guard lock(summary_mutex_);
        if (issue.fatal_for_document) {
          ++summary_.rejected;
        } else {
          ++summary_.warnings;
        }
        if (options_.max_errors != 0 && summary_.rejected >= options_.max_errors) {
          summary_.stopped_early = true;
          stop_requested_ = true;
        }
      }
      if (issues_) issues_(issue);
      return stop_requested_ ? ReadFlow::kStop : ReadFlow::kContinue;
    };
    read_documents(inputs_, options_.read, on_document, on_issue);
    flush();
    to_workers_.close();
  }

  void analyse_all() {
    while (auto chunk = to_workers_.pop()) {
      for (Document& document : chunk->input) {
        std::string hash = content_hash(document);
        const auto known = known_.find(document.id);
        if (known != known_.end() && known->second == hash) {
          chunk->output.push_back({std::move(document.id), {}, Xapian::Document()});
          continue;  // unchanged: the writer only counts it
        }
        Xapian::Document xdoc = build_xapian_document(document, hash);
        chunk->output.push_back({std::move(document.id), std::move(hash), std::move(xdoc)});
      }
      chunk->input.clear();
      to_writer_.push(std::move(*chunk));
    }
  }

  void write_all() {
    std::map<std::size_t, Chunk> waiting;  // chunks that arrived before their turn
    std::size_t next = 0;
    std::size_t since_commit = 0;
    auto last_report = std::chrono::steady_clock::now();
    while (auto chunk = to_writer_.pop()) {
      waiting.emplace(chunk->sequence, std::move(*chunk));
      for (auto ready = waiting.find(next); ready != waiting.end(); ready = waiting.find(next)) {
        for (Prepared& prepared : ready->second.output) {
          since_commit += write(prepared);
          if (since_commit >= options_.batch_size) {
            db_.commit();
            since_commit = 0;
          }
        }
        waiting.erase(ready);
        ++next;
      }
      const auto now = std::chrono::steady_clock::now();
      if (progress_ && now - last_report > std::chrono::milliseconds(500)) {
        last_report = now;
        IndexProgress snapshot;
        {
          std::lock_guard lock(progress_mutex_);
          snapshot = progress_state_;
        }
        snapshot.elapsed = now - started_;
        progress_(snapshot);
      }
    }
  }

  // Returns how many documents were written (0 for an unchanged one).
  std::size_t write(Prepared& prepared) {
    if (prepared.hash.empty()) {
      ++summary_.unchanged;
      return 0;
    }
    // An id neither in the database when the run started nor written earlier in this run is
    // new: add_document skips the id lookup that replace_document needs.
    const bool known = known_.count(prepared.id) != 0;
    const bool repeated = !written_.insert(prepared.id).second;
    if (!known && !repeated) {
      db_.add_document(prepared.document);
      ++summary_.added;
      return 1;
    }
    const std::string id_term = std::string(schema::kId) + prepared.id;
    const bool exists = db_.term_exists(id_term);
    db_.replace_document(id_term, prepared.document);
    ++(exists ? summary_.replaced : summary_.added);
    return 1;
  }

  Xapian::WritableDatabase& db_;
  std::span<const fs::path> inputs_;
  const IndexOptions& options_;
  const IssueSink& issues_;
  const IndexProgressSink& progress_;
  const std::unordered_map<std::string, std::string> known_;
  std::unordered_set<std::string> written_;  // ids written in this run (writer thread only)
  BoundedQueue<Chunk> to_workers_;
  BoundedQueue<Chunk> to_writer_;
  std::mutex summary_mutex_;
  IndexSummary summary_;
  std::mutex progress_mutex_;
  IndexProgress progress_state_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> stop_requested_ = false;
};

}  // namespace

IndexSummary index_paths(const fs::path& database, std::span<const fs::path> inputs,
                         const IndexOptions& options, const IssueSink& issues,
                         const IndexProgressSink& progress) {
  indexing::WriterLock lock(database, options.wait_for_lock);
  fs::path directory = indexing::live_directory(database);
  if (directory.empty() && !options.fresh) {
    // A new database is published empty right away, so that every batch committed from here on
    // is visible (and survives a crash) like in any later run.
    directory = indexing::new_generation(database);
    open_writable(directory).close();
    indexing::publish_generation(database, directory);
  }
  const bool new_generation = options.fresh;
  if (new_generation) directory = indexing::new_generation(database);
  IndexSummary summary;
  {
    Xapian::WritableDatabase db = open_writable(directory);
    // Written only when it changes: any write bumps the revision, and the syllable model is
    // tagged with the revision, so a no-op run would otherwise recount the model.
    const std::string version_key(schema::kMetaSchemaVersion);
    if (db.get_metadata(version_key) != schema::kSchemaVersion) {
      db.set_metadata(version_key, std::string(schema::kSchemaVersion));
    }
    summary = Pipeline(db, inputs, options, issues, progress).run();
    db.close();
  }
  if (summary.added + summary.replaced > 0 || indexing::syllable_model_stale(directory)) {
    indexing::rebuild_syllable_model(directory);
  }
  if (new_generation) indexing::publish_generation(database, directory);
  return summary;
}

std::vector<std::string> delete_documents(const fs::path& database,
                                          std::span<const std::string> ids, bool wait_for_lock) {
  indexing::WriterLock lock(database, wait_for_lock);
  const fs::path directory = indexing::live_directory(database);
  if (directory.empty()) throw std::runtime_error("no database at " + database.string());
  Xapian::WritableDatabase db = open_writable(directory);
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    const std::string id_term = std::string(schema::kId) + id;
    if (!db.term_exists(id_term)) {
      missing.push_back(id);
      continue;
    }
    db.delete_document(id_term);
  }
  db.commit();
  db.close();
  if (missing.size() != ids.size()) indexing::rebuild_syllable_model(directory);
  return missing;
}

}  // namespace vnsearch
