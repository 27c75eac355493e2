// Shared by index_bench and eval: where the shared corpus lives, reading it once into memory,
// and building the three indexes compared (vnsearch, plain Xapian, SQLite FTS5) in a work dir,
// so that eval ranks over exactly the indexes index_bench measured.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vnsearch/document.h"

namespace vnsearch::bench {

namespace fs = std::filesystem;

/// The four inputs of the shared corpus under `shared` (../shared next to the source tree).
[[nodiscard]] std::vector<fs::path> corpus_inputs(const fs::path& shared);

/// `../shared` beside the source tree, as every bench and test finds it.
[[nodiscard]] fs::path default_shared_dir();

/// Seconds since `start`.
[[nodiscard]] inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// CPU seconds (user + system) of this process so far, every thread: on a shared machine the
/// figure to compare between engines, as wall time depends on the other load.
[[nodiscard]] inline double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// Every document of `inputs`, in reading order. Issues are counted, not printed (the corpus has
/// known defects on purpose; the indexer reports them, the peers only need the text).
struct LoadedCorpus {
  std::vector<Document> documents;
  std::uint64_t text_bytes = 0;  ///< UTF-8 bytes of title + description + body, all documents
  std::uint64_t disk_bytes = 0;  ///< on-disk size of the inputs (baomoi is zstd-compressed)
  std::uint64_t issues = 0;
  double seconds = 0;  ///< reading and parsing alone, single thread
};
[[nodiscard]] LoadedCorpus load_corpus(const std::vector<fs::path>& inputs);

/// Where each index lives inside the work dir. A `<name>.complete` marker is written after an
/// index is fully built (and compacted), so a run interrupted halfway is never reused by eval.
struct WorkPaths {
  fs::path workdir;
  [[nodiscard]] fs::path vnsearch_live() const { return workdir / "vnsearch"; }
  [[nodiscard]] fs::path vnsearch_compact() const { return workdir / "vnsearch-compact"; }
  [[nodiscard]] fs::path xapian_live() const { return workdir / "xapian-live"; }
  [[nodiscard]] fs::path xapian_compact() const { return workdir / "xapian"; }
  [[nodiscard]] fs::path fts5() const { return workdir / "fts5.db"; }
  [[nodiscard]] fs::path es_like_live() const { return workdir / "es-like-live"; }
  [[nodiscard]] fs::path es_like_compact() const { return workdir / "es-like"; }
  [[nodiscard]] bool complete(const std::string& engine) const;
  void mark_complete(const std::string& engine, bool done) const;
};

/// Default work dir: the same for index_bench and eval so that eval reuses the indexes.
[[nodiscard]] fs::path default_workdir();

/// What building one index cost.
struct BuildResult {
  std::uint64_t documents = 0;   ///< documents in the finished index
  double index_seconds = 0;      ///< adding every document, commit included
  double index_cpu_seconds = 0;  ///< CPU seconds of the same, every thread of the process
  double compact_seconds = 0;    ///< Xapian compaction, or FTS5 'optimize'
  std::uint64_t size_bytes = 0;  ///< on disk after compaction / optimize
};

/// vnsearch::index_paths with default options (all cores) into a fresh database, then
/// Xapian::Compactor into vnsearch_compact(). Reads the inputs by itself.
BuildResult build_vnsearch(const WorkPaths& paths, const std::vector<fs::path>& inputs);

/// Plain Xapian: one thread, default TermGenerator (no stemmer), title, description and body
/// with positions, a position gap between fields, document data = id; then compaction.
BuildResult build_plain_xapian(const WorkPaths& paths, const std::vector<Document>& documents);

/// SQLite FTS5 `unicode61 remove_diacritics 2`, columns id (unindexed), title, body (the
/// description and the body, so the peers see the same text), one transaction, then 'optimize'.
BuildResult build_fts5(const WorkPaths& paths, const std::vector<Document>& documents);

/// Xapian::Compactor at its default level (as `xapian-compact` without options) from `source`
/// into a new `destination`; returns the seconds it took.
double compact(const fs::path& source, const fs::path& destination);

/// Sum of the sizes of the regular files under `path` (or of `path` itself when a file).
[[nodiscard]] std::uint64_t disk_usage(const fs::path& path);

}  // namespace vnsearch::bench
