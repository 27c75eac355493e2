// The engines eval ranks with, behind one interface: plain Xapian and SQLite FTS5 as peers, and
// vnsearch::Searcher when the query library is built. Plus the query-side text helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch::bench {

/// One engine over an index already built. Single-threaded, like a Xapian::Database.
class Engine {
 public:
  virtual ~Engine() = default;
  /// The top `k` document ids for `query`, best first; empty when nothing matches or the engine
  /// rejects the query (counted in failures()).
  virtual std::vector<std::string> search(const std::string& query, std::size_t k) = 0;
  /// Documents in the index, to check every engine ranks the same corpus.
  [[nodiscard]] virtual std::uint64_t documents() = 0;
  [[nodiscard]] std::size_t failures() const { return failures_; }

 protected:
  std::size_t failures_ = 0;
};

/// Xapian::QueryParser with default settings (default OR, FLAG_DEFAULT, no stemmer), BM25
/// defaults, the query text passed raw; the document data holds the id.
std::unique_ptr<Engine> open_plain_xapian(const std::filesystem::path& database);

/// FTS5 `docs` table: each word of the query double-quoted, joined with OR, ranked by bm25().
std::unique_ptr<Engine> open_fts5(const std::filesystem::path& database);

/// The Elasticsearch-style peer (es_like.h) over its compacted index; `title_boost` 2 gives the
/// title^2 variant.
std::unique_ptr<Engine> open_es_like(const std::filesystem::path& database, double title_boost);

/// vnsearch::Searcher without snippets; nullptr when eval was built without the query library.
std::unique_ptr<Engine> open_vnsearch(const std::filesystem::path& database);

/// Whether open_vnsearch can return an engine in this build.
[[nodiscard]] bool vnsearch_available();

/// The FTS5 query for `text`: maximal runs of letters, digits and marks, each double-quoted
/// (inner quotes doubled), joined with " OR "; empty when the text has no word.
[[nodiscard]] std::string fts5_or_query(std::string_view text);

/// tools/unaccent.py with ICU: đ→d, Đ→D, NFD, drop non-spacing marks (Mn), NFC.
[[nodiscard]] std::string unaccent(std::string_view text);

}  // namespace vnsearch::bench
