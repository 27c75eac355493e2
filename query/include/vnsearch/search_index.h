// The read-only state that every Searcher of one database shares, as one immutable snapshot.
//
// A long-running, many-threaded reader (the HTTP server) keeps one SearchIndex and one Searcher
// per worker thread. The snapshot holds what is costly and read-only — the syllable model (about
// 10 MiB on the shared corpus) and the ranking parameters — plus where and at which revision the
// index was seen. `refresh()` builds a new snapshot when the indexer committed, rebuilt the model
// or swapped in a `--fresh` generation, and publishes it atomically; each Searcher notices the new
// snapshot before its next search and re-opens its own Xapian handle (Xapian handles are not
// thread-safe; the snapshot is). Old snapshots live as long as a Searcher still uses them.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vnsearch/shard_sources.h"

namespace vnsearch {

class SyllableModel;
class CompletionTable;
namespace query {
struct RankingParameters;
struct ShardView;
class ShardSet;
}  // namespace query

/// One consistent view of the database as published by the indexer.
struct IndexSnapshot {
  std::filesystem::path directory;  ///< the generation directory the database link points at
  std::uint64_t revision = 0;       ///< Xapian revision when the snapshot was taken
  std::uint64_t documents = 0;
  /// When the last commit was written (modification time of the database's version file).
  std::chrono::system_clock::time_point committed;
  std::shared_ptr<const SyllableModel> model;
  /// The revision the syllable model was counted at (its tag); it can lag `revision` while an
  /// in-place run is between its last commit and the model rebuild.
  std::uint64_t model_revision = 0;
  /// Why the syllable model could not be used (missing, damaged, older format), with the
  /// command that mends it; empty when it loaded. Without it every search still works,
  /// searching unaccented words in every reading, and says so.
  std::string model_problem;
  std::shared_ptr<const query::RankingParameters> ranking;
  /// Completions as people type (never null: an empty table when the file beside the database
  /// is missing or damaged, and then `completions_problem` says why and what mends it).
  std::shared_ptr<const CompletionTable> completions;
  std::string completions_problem;
  /// Increases by one with every snapshot published by the same SearchIndex.
  std::uint64_t sequence = 0;
  /// Set when several databases (shards) are searched as one: which answered and which did not
  /// (vnsearch/shard_sources.h); `directory` is then empty.
  std::shared_ptr<const query::ShardView> shards;
};

/// A database opened for sharing between threads. Thread-safe.
class SearchIndex {
 public:
  /// Opens the database at `database` (the path given to `vnsearch index --db`). Throws
  /// std::runtime_error with a clear message naming it when it is missing or unreadable.
  /// A sharded database folder, a stub file or `host:port` opens like the list of them below.
  explicit SearchIndex(const std::filesystem::path& database);
  /// Several databases searched as one (vnsearch/shard_sources.h): BM25 statistics and the
  /// syllable model are those of all of them together. Throws std::runtime_error naming the
  /// shards that cannot be searched when none can (or, without `allow_partial`, any cannot).
  SearchIndex(const std::vector<std::string>& databases, const ShardOptions& options);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  /// The current snapshot (never null).
  [[nodiscard]] std::shared_ptr<const IndexSnapshot> snapshot() const;

  /// Looks at the database on disk and publishes a new snapshot when its generation, revision
  /// or syllable model changed. Cheap when nothing changed (a stat, a readlink and a Xapian
  /// reopen). Returns true when it published. Throws std::runtime_error when the database can
  /// no longer be opened; the previous snapshot stays current.
  bool refresh();

  [[nodiscard]] const std::filesystem::path& database() const { return database_; }

 private:
  struct Probe;
  void open_shards(const std::vector<std::string>& databases, const ShardOptions& options);
  bool refresh_shards();
  std::filesystem::path database_;
  std::unique_ptr<Probe> probe_;  // guarded by refresh_mutex_
  std::mutex refresh_mutex_;      // one refresh at a time
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const IndexSnapshot> snapshot_;
};

/// What is in a database, read from its terms and values: for `/api/stats` and the like, without
/// linking the indexer.
struct IndexOverview {
  std::uint64_t documents = 0;
  std::uint64_t revision = 0;
  std::uint64_t bytes_on_disk = 0;
  std::string first_date, last_date;  ///< ISO dates, empty when no document is dated
  std::uint64_t dated_documents = 0;
  std::map<std::string, std::uint64_t> per_source;
  std::map<std::string, std::uint64_t> per_category;
  std::map<std::string, std::uint64_t> per_year;
  /// Distinct terms of every kind; counted only when asked (OverviewOptions::count_terms), as it
  /// reads the whole term list.
  std::uint64_t terms = 0;
};

struct OverviewOptions {
  bool count_terms = false;
};

/// The overview of the database at `database` (the path given to `vnsearch index --db`), read
/// without loading the syllable model: what `vnsearch stats` prints. Throws std::runtime_error
/// saying what is wrong when it is not a readable vnsearch database.
[[nodiscard]] IndexOverview read_overview(const std::filesystem::path& database,
                                          const OverviewOptions& options = {});

}  // namespace vnsearch
