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

#include "completion_builder.h"
#include "database_location.h"
#include "document_terms.h"
#include "model_builder.h"
#include "story_groups.h"
#include "vnsearch/database_layout.h"
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
  std::string origin;  // "file:line", for a document the database refuses
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

// Xapian's errors are not std::exceptions: every write path turns them into one, saying what
// failed and what the database still holds, so no caller ever sees an uncaught throw.
[[noreturn]] void rethrow_as_write_failure(const fs::path& database, const std::string& what,
                                           const std::string& kept) {
  try {
    throw;
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(what + " " + database.string() +
                             " failed: " + error.get_description() + "; " + kept);
  } catch (const std::bad_alloc&) {
    throw std::runtime_error(what + " " + database.string() + " failed: out of memory; " + kept);
  } catch (const std::exception& error) {
    throw std::runtime_error(what + " " + database.string() + " failed: " + error.what() + "; " +
                             kept);
  }
}

unsigned worker_count(const IndexOptions& options) {
  if (options.analysis_threads != 0) return options.analysis_threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

class Pipeline {
 public:
  Pipeline(Xapian::WritableDatabase& db, const fs::path& directory,
           std::span<const fs::path> inputs, const IndexOptions& options, const IssueSink& issues,
           const IndexProgressSink& progress, indexing::ModelDelta* delta)
      : db_(db),
        before_(directory.string()),
        stories_(db, before_),
        delta_(delta),
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
    // A failure in any thread (out of memory, an I/O error) cancels the queues and is rethrown
    // here, after every thread has stopped: the batches committed so far stay.
    std::thread reader([this] { guarded([this] { read_all(); }); });
    std::vector<std::thread> workers;
    const unsigned count = worker_count(options_);
    std::mutex done_mutex;
    unsigned running = count;
    for (unsigned i = 0; i < count; ++i) {
      workers.emplace_back([&, this] {
        guarded([this] { analyse_all(); });
        std::lock_guard lock(done_mutex);
        if (--running == 0) to_writer_.close();
      });
    }
    guarded([this] { write_all(); });
    reader.join();
    for (std::thread& worker : workers) worker.join();
    if (failure_) std::rethrow_exception(failure_);
    db_.commit();
    summary_.documents_in_index = db_.get_doccount();
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary_;
  }

 private:
  template <typename Work>
  void guarded(Work work) {
    try {
      work();
    } catch (...) {
      {
        std::lock_guard lock(failure_mutex_);
        if (!failure_) failure_ = std::current_exception();
      }
      stop_requested_ = true;
      to_workers_.cancel();
      to_writer_.cancel();
    }
  }

  ReadFlow report(const ReadIssue& issue) {
    std::lock_guard lock(issue_mutex_);
    return issues_ ? issues_(issue) : ReadFlow::kContinue;
  }

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
      // Two inputs with one id: the later replaces the earlier, which is rarely what was meant
      // (two files called index.html, a JSONL with a repeated line), so it is said.
      const auto [earlier, first_time] = seen_.try_emplace(document.id, document.origin);
      if (!first_time) {
        // origin is "file:line" already, which is how format_issue() starts.
        const ReadIssue repeat{.file = document.origin,
                               .id = document.id,
                               .message = "id already given by " + earlier->second +
                                          " in this run; this one replaces it"};
        {
          std::lock_guard lock(summary_mutex_);
          ++summary_.warnings;
        }
        report(repeat);
        earlier->second = document.origin;
      }
      if (options_.keep && !options_.keep(document.id)) {
        return stop_requested_ ? ReadFlow::kStop : ReadFlow::kContinue;  // another shard's
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
        if (issue.input_incomplete) ++summary_.incomplete_inputs;
        if (options_.max_errors != 0 && summary_.rejected >= options_.max_errors) {
          summary_.stopped_early = true;
          stop_requested_ = true;
        }
      }
      report(issue);
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
          chunk->output.push_back({std::move(document.id), {}, Xapian::Document(), {}});
          continue;  // unchanged: the writer only counts it
        }
        Xapian::Document xdoc = build_xapian_document(document, hash);
        chunk->output.push_back(
            {std::move(document.id), std::move(hash), std::move(xdoc), std::move(document.origin)});
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
            stories_.committed();
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

  // Returns how many documents were written (0 for an unchanged or refused one).
  std::size_t write(Prepared& prepared) {
    if (prepared.hash.empty()) {
      ++summary_.unchanged;
      return 0;
    }
    try {
      return write_checked(prepared);
    } catch (const Xapian::InvalidArgumentError& error) {
      // Something about this document (not the database) that the readers did not catch: it
      // is rejected like a bad line, and the run goes on.
      {
        std::lock_guard lock(summary_mutex_);
        ++summary_.rejected;
      }
      report({.file = prepared.origin,
              .id = prepared.id,
              .message = "the database refused this document: " + error.get_msg(),
              .fatal_for_document = true});
      return 0;
    }
  }

  std::size_t write_checked(Prepared& prepared) {
    // An id neither in the database when the run started nor written earlier in this run is
    // new: add_document skips the id lookup that replace_document needs.
    const bool known = known_.count(prepared.id) != 0;
    const bool repeated = !written_.insert(prepared.id).second;
    if (!known && !repeated) {
      const Xapian::docid docid = db_.add_document(prepared.document);
      if (delta_) delta_->added(prepared.document.get_data());
      // In the same batch as the document: every commit holds consistent story keys.
      stories_.written(docid, {});
      ++summary_.added;
      return 1;
    }
    const std::string id_term = std::string(schema::kId) + prepared.id;
    auto existing = db_.postlist_begin(id_term);
    const bool exists = existing != db_.postlist_end(id_term);
    std::string old_key;
    if (exists) {
      if (delta_) delta_->removed(db_.get_document(*existing).get_data());
      old_key = stories_.key_of(*existing);
    }
    const Xapian::docid docid = db_.replace_document(id_term, prepared.document);
    stories_.written(docid, old_key);
    if (delta_) delta_->added(prepared.document.get_data());
    ++(exists ? summary_.replaced : summary_.added);
    return 1;
  }

  Xapian::WritableDatabase& db_;
  Xapian::Database before_;        // committed state, for band candidates (story_groups.h)
  indexing::StoryGroups stories_;  // keeps story keys in step with each write
  indexing::ModelDelta* delta_;    // what changed, for the syllable model; null when not kept
  std::span<const fs::path> inputs_;
  const IndexOptions& options_;
  const IssueSink& issues_;
  const IndexProgressSink& progress_;
  const std::unordered_map<std::string, std::string> known_;
  std::unordered_set<std::string> written_;  // ids written in this run (writer thread only)
  std::unordered_map<std::string, std::string> seen_;  // id -> origin (reader thread only)
  std::mutex issue_mutex_;  // the reader and the writer thread both report
  std::mutex failure_mutex_;
  std::exception_ptr failure_;
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

namespace {

// A database whose live generation would shrink to less than this share of its documents
// needs --allow-shrink: far more often a mistyped path than an intended purge.
constexpr double kShrinkGuard = 0.5;

indexing::ModelProgressSink model_progress_sink(const IndexProgressSink& progress,
                                                std::chrono::steady_clock::time_point started) {
  if (!progress) return {};
  return [progress, started](std::uint64_t counted, std::uint64_t total) {
    IndexProgress snapshot;
    snapshot.stage = IndexStage::kCountingModel;
    snapshot.documents = counted;
    snapshot.total_documents = total;
    snapshot.elapsed = std::chrono::steady_clock::now() - started;
    progress(snapshot);
  };
}

// Why a finished --fresh build must not replace the live one, or empty when it may.
std::string fresh_refusal(const IndexSummary& summary, std::uint64_t live_documents,
                          bool allow_shrink) {
  if (summary.stopped_early) return "the run stopped at the --max-errors limit";
  if (summary.incomplete_inputs > 0) {
    return std::to_string(summary.incomplete_inputs) +
           " input(s) could not be read to the end (see the errors above)";
  }
  const auto built = static_cast<double>(summary.documents_in_index);
  if (!allow_shrink && live_documents > 0 &&
      built < kShrinkGuard * static_cast<double>(live_documents)) {
    return "it holds " + std::to_string(summary.documents_in_index) +
           " documents against the live index's " + std::to_string(live_documents) +
           " (pass --allow-shrink to publish a smaller index)";
  }
  return {};
}

std::uint64_t live_document_count(const fs::path& directory) {
  if (directory.empty()) return 0;
  try {
    return Xapian::Database(directory.string()).get_doccount();
  } catch (const Xapian::Error&) {
    return 0;  // an unreadable live index is no reason to keep a good new one out
  }
}

// The part of a run that writes: fills `directory` and brings its syllable model in step.
IndexSummary write_into(const fs::path& directory, std::span<const fs::path> inputs,
                        const IndexOptions& options, const IssueSink& issues,
                        const IndexProgressSink& progress,
                        std::chrono::steady_clock::time_point started) {
  IndexSummary summary;
  indexing::ModelDelta delta;
  std::uint64_t base_revision = 0;
  {
    Xapian::WritableDatabase db = open_writable(directory);
    base_revision = db.get_revision();
    // A fresh build is counted in full anyway: keeping its records would only cost memory.
    const bool keep_delta = !options.fresh && db.get_doccount() > 0;
    // Written only when it changes: any write bumps the revision, and the syllable model is
    // tagged with the revision, so a no-op run would otherwise recount the model.
    const std::string version_key(schema::kMetaSchemaVersion);
    if (db.get_metadata(version_key) != schema::kSchemaVersion) {
      db.set_metadata(version_key, std::string(schema::kSchemaVersion));
    }
    summary =
        Pipeline(db, directory, inputs, options, issues, progress, keep_delta ? &delta : nullptr)
            .run();
    if (!keep_delta) delta.give_up();
    db.close();
  }
  if (summary.added + summary.replaced > 0 || indexing::syllable_model_stale(directory)) {
    summary.model_recounted = indexing::update_syllable_model(
        directory, base_revision, delta, model_progress_sink(progress, started));
  }
  // The completion table follows the same rule, on its own tag: either may have been left
  // behind by a run killed between its last commit and the update.
  if (summary.added + summary.replaced > 0 || indexing::completions_stale(directory)) {
    indexing::update_completions(directory, base_revision, delta);
  }
  return summary;
}

}  // namespace

IndexSummary index_paths(const fs::path& given, std::span<const fs::path> inputs,
                         const IndexOptions& options, const IssueSink& issues,
                         const IndexProgressSink& progress) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path database = layout::normalize_database_path(given);
  indexing::check_writable_location(database);
  indexing::WriterLock lock(database, options.wait_for_lock, options.on_lock_wait);
  indexing::remove_abandoned_generations(database);
  indexing::check_writable_location(database);  // again: it may have changed while we waited
  fs::path live = indexing::live_directory(database);
  if (options.fresh && !live.empty() && indexing::is_plain_directory(database)) {
    throw std::runtime_error(
        database.string() +
        " is a database folder made by hand or copied, not one made by `vnsearch index`: "
        "--fresh would have to move it aside. Index without --fresh, or give --fresh a new "
        "--db and point readers there");
  }

  if (!options.fresh) {
    if (live.empty()) {
      // A new database is published empty right away, so that every batch committed from here
      // on is visible (and survives a crash) like in any later run.
      const fs::path generation = indexing::new_generation(database);
      try {
        open_writable(generation).close();
        indexing::publish_generation(database, generation);
      } catch (...) {
        indexing::discard_generation(generation);
        rethrow_as_write_failure(database, "creating the database", "nothing was written");
      }
      live = indexing::live_directory(database);
    }
    IndexSummary summary;
    try {
      summary = write_into(live, inputs, options, issues, progress, started);
    } catch (...) {
      rethrow_as_write_failure(database, "writing to",
                               "the database holds every batch committed "
                               "before the failure; rerun to complete it");
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  }

  // --fresh: build beside the live database, publish only a complete build.
  const fs::path generation = indexing::new_generation(database);
  IndexSummary summary;
  try {
    summary = write_into(generation, inputs, options, issues, progress, started);
    summary.fresh_not_published =
        fresh_refusal(summary, live_document_count(live), options.allow_shrink);
    if (summary.fresh_not_published.empty()) {
      indexing::publish_generation(database, generation);
    } else {
      indexing::discard_generation(generation);
      summary.documents_in_index = live_document_count(live);
    }
  } catch (...) {
    indexing::discard_generation(generation);
    rethrow_as_write_failure(database, "building a fresh copy of",
                             "the new build was removed and the live database is unchanged");
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

namespace {

// The live directory for a write other than indexing, under the lock; throws when there is no
// database.
fs::path live_for_update(const fs::path& database) {
  const fs::path live = indexing::live_directory(database);
  if (live.empty()) (void)layout::live_directory_for_reading(database);  // throws, saying why
  return live;
}

}  // namespace

std::vector<std::string> delete_documents(const fs::path& given, std::span<const std::string> ids,
                                          const WriteOptions& options) {
  const fs::path database = layout::normalize_database_path(given);
  (void)layout::live_directory_for_reading(database);  // before the lock file is created
  indexing::WriterLock lock(database, options.wait_for_lock, options.on_lock_wait);
  const fs::path directory = live_for_update(database);
  std::vector<std::string> missing;
  try {
    indexing::ModelDelta delta;
    std::uint64_t base_revision = 0;
    {
      Xapian::WritableDatabase db = open_writable(directory);
      base_revision = db.get_revision();
      indexing::StoryGroups stories(db);
      std::vector<std::string> old_keys;
      for (const std::string& id : ids) {
        const std::string id_term = std::string(schema::kId) + id;
        // No id longer than kMaxIdBytes can have been indexed (the readers refuse them).
        const auto posting =
            id.size() > schema::kMaxIdBytes ? db.postlist_end(id_term) : db.postlist_begin(id_term);
        if (posting == db.postlist_end(id_term)) {
          missing.push_back(id);
          continue;
        }
        delta.removed(db.get_document(*posting).get_data());
        old_keys.push_back(stories.key_of(*posting));
        db.delete_document(id_term);
      }
      // The copies left behind may have had the deleted id as their key, or been held together
      // by it: regrouped in the same commit as the delete.
      stories.deleted(old_keys);
      db.commit();
      db.close();
    }
    if (missing.size() != ids.size()) {
      indexing::update_syllable_model(directory, base_revision, delta, {});
      indexing::update_completions(directory, base_revision, delta);
    }
  } catch (...) {
    rethrow_as_write_failure(database, "deleting from",
                             "nothing was deleted unless the syllable model alone failed");
  }
  return missing;
}

std::uint64_t rebuild_model(const fs::path& given, const WriteOptions& options,
                            const IndexProgressSink& progress) {
  const fs::path database = layout::normalize_database_path(given);
  (void)layout::live_directory_for_reading(database);
  indexing::WriterLock lock(database, options.wait_for_lock, options.on_lock_wait);
  const fs::path directory = live_for_update(database);
  try {
    indexing::rebuild_syllable_model(
        directory, model_progress_sink(progress, std::chrono::steady_clock::now()));
    indexing::rebuild_completions(directory);
    return Xapian::Database(directory.string()).get_doccount();
  } catch (...) {
    rethrow_as_write_failure(database, "rebuilding the syllable model of",
                             "the documents are untouched");
  }
}

}  // namespace vnsearch
