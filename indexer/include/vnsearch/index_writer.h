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
  /// Stop after this many rejected documents (0: never stop).
  std::size_t max_errors = 0;
  /// Limits for the input readers.
  ReadOptions read;
};

/// Where indexing stands, reported periodically.
struct IndexProgress {
  std::uint64_t documents = 0;    ///< documents read so far
  std::uint64_t bytes_read = 0;   ///< input bytes consumed
  std::uint64_t total_bytes = 0;  ///< all input bytes (for the ETA)
  std::chrono::steady_clock::duration elapsed{};
};

/// Totals of one run.
struct IndexSummary {
  std::uint64_t added = 0;      ///< documents new to the index
  std::uint64_t replaced = 0;   ///< documents whose content changed
  std::uint64_t unchanged = 0;  ///< documents skipped because their content hash matched
  std::uint64_t rejected = 0;   ///< documents (or files) not indexed because of bad input
  std::uint64_t warnings = 0;   ///< repaired problems (truncated body, unparseable date, ...)
  std::uint64_t documents_in_index = 0;  ///< documents in the database after the run
  bool stopped_early = false;            ///< --max-errors reached
  double seconds = 0;
};

using IndexProgressSink = std::function<void(const IndexProgress&)>;

/// Indexes every document under `inputs` into the database at `database`, creating it when
/// absent. Problems with the input go to `issues`; `progress` is called about twice a second.
/// Throws std::runtime_error with a clear message when the database cannot be opened or is
/// locked by another writer.
IndexSummary index_paths(const std::filesystem::path& database,
                         std::span<const std::filesystem::path> inputs, const IndexOptions& options,
                         const IssueSink& issues, const IndexProgressSink& progress);

/// Deletes documents by id; returns the ids that were not in the index.
std::vector<std::string> delete_documents(const std::filesystem::path& database,
                                          std::span<const std::string> ids, bool wait_for_lock);

/// What `vnsearch stats` shows.
struct IndexStats {
  std::uint64_t documents = 0;
  std::uint64_t terms = 0;  ///< distinct terms of every kind
  std::uint64_t bytes_on_disk = 0;
  std::string first_date, last_date;  ///< ISO dates, empty when no document is dated
  std::uint64_t dated_documents = 0;
  std::map<std::string, std::uint64_t> per_source;
  std::map<std::string, std::uint64_t> per_category;
};

/// Reads statistics of the database at `database`. Throws std::runtime_error when missing.
IndexStats collect_stats(const std::filesystem::path& database);

}  // namespace vnsearch
