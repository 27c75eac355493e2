// Writing the Xapian index: add or replace documents by id (skipping unchanged ones), delete
// them, and report statistics. Safe to interrupt at any moment: the database always holds
// exactly the batches committed so far.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/readers.h"

namespace vnsearch {

/// How `index_paths` runs.
struct IndexOptions {
  /// Documents per commit: the unit that survives a crash.
  std::size_t batch_size = 2000;
  /// Threads that analyse documents; 0 picks one per core.
  unsigned analysis_threads = 0;
  /// Build a new database beside the live one and swap it in atomically at the end: readers
  /// never see a half-built index.
  bool fresh = false;
  /// Wait for another writer to finish instead of failing at once.
  bool wait_for_lock = false;
  /// Called once when the run has to wait for another writer (so the user knows why).
  std::function<void()> on_lock_wait;
  /// Stop after this many rejected documents (0: never stop).
  std::size_t max_errors = 0;
  /// With `fresh`: publish the new build even when it holds fewer than half the documents of
  /// the live one (otherwise it is discarded: a mistyped path must not empty an archive).
  bool allow_shrink = false;
  /// Limits for the input readers.
  ReadOptions read;
  /// When set, only documents whose id it accepts are indexed; the others are read (their
  /// problems reported) and passed over. A sharded run indexes each shard with the filter
  /// "this id hashes to this shard" (vnsearch/sharded_index.h).
  std::function<bool(std::string_view id)> keep;
};

/// What a run is doing when it reports progress.
enum class IndexStage {
  kReading,        ///< reading, analysing and writing documents
  kCountingModel,  ///< recounting the syllable model of the whole index
};

/// Where indexing stands, reported periodically.
struct IndexProgress {
  IndexStage stage = IndexStage::kReading;
  std::uint64_t documents = 0;        ///< documents read (or, counting, counted) so far
  std::uint64_t total_documents = 0;  ///< while counting the model: documents in the index
  std::uint64_t bytes_read = 0;       ///< input bytes consumed
  std::uint64_t total_bytes = 0;      ///< all input bytes (for the ETA)
  std::chrono::steady_clock::duration elapsed{};
};

/// Totals of one run.
struct IndexSummary {
  std::uint64_t added = 0;      ///< documents new to the index
  std::uint64_t replaced = 0;   ///< documents whose content changed
  std::uint64_t unchanged = 0;  ///< documents skipped because their content hash matched
  std::uint64_t rejected = 0;   ///< documents (or files) not indexed because of bad input
  std::uint64_t warnings = 0;   ///< repaired problems (truncated body, unparseable date, ...)
  std::uint64_t documents_in_index = 0;  ///< documents in the (live) database after the run
  /// Inputs (or parts of them) not read to their end: missing or unreadable files, truncated
  /// or corrupt compressed streams.
  std::uint64_t incomplete_inputs = 0;
  bool stopped_early = false;  ///< --max-errors reached
  /// With `fresh`: why the new build was discarded instead of published; empty when published.
  std::string fresh_not_published;
  bool model_recounted = false;  ///< the syllable model was recounted in full (not updated)
  double seconds = 0;            ///< wall time of the whole run, syllable model included
};

using IndexProgressSink = std::function<void(const IndexProgress&)>;

/// Indexes every document under `inputs` into the database at `database`, creating it when
/// absent. Problems with the input go to `issues`; `progress` is called about twice a second.
/// Throws std::runtime_error with a clear message when the database cannot be opened or is
/// locked by another writer.
IndexSummary index_paths(const std::filesystem::path& database,
                         std::span<const std::filesystem::path> inputs, const IndexOptions& options,
                         const IssueSink& issues, const IndexProgressSink& progress);

/// How a write other than indexing (delete, model rebuild) takes the writer lock.
struct WriteOptions {
  bool wait_for_lock = false;
  std::function<void()> on_lock_wait;  ///< called once when it has to wait
};

/// Deletes documents by id; returns the ids that were not in the index. Throws
/// std::runtime_error when the database is missing, locked or cannot be written (then nothing
/// was deleted).
std::vector<std::string> delete_documents(const std::filesystem::path& database,
                                          std::span<const std::string> ids,
                                          const WriteOptions& options = {});

/// Recounts the syllable model and the completion table of the database from its documents (the
/// remedy for either being missing or damaged). Returns the number of documents counted.
std::uint64_t rebuild_model(const std::filesystem::path& database, const WriteOptions& options,
                            const IndexProgressSink& progress);

}  // namespace vnsearch
