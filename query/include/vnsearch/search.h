// Searching a vnsearch database: what people type in, ranked hits out. The query may be typed
// with diacritics, without them, or as a mix; journalists may add operators (see docs/query.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch {

/// Narrowing and paging of one search.
struct SearchOptions {
  /// The most hits one page may hold: a larger `limit` is cut to it, with a note in `message`.
  static constexpr std::size_t kMaxLimit = 1000;
  /// How deep paging goes: hits past the first 10,000 are never returned (each page retrieves
  /// and re-ranks everything before it). A page reaching past it is cut, with a note.
  static constexpr std::size_t kMaxWindow = 10000;

  std::size_t limit = 10;  ///< hits per page (0: only count the matches)
  std::size_t offset = 0;  ///< hits to skip (page × limit)
  bool snippets = true;    ///< compute highlighted snippets (costs a little per hit)
  bool facets = false;     ///< count hits per source, category and year
};

/// One ranked document.
struct Hit {
  std::string id;
  double score = 0;
  std::string title;
  std::string snippet;  ///< body excerpt with matches wrapped in <b>…</b> (HTML-escaped)
  std::string date;     ///< ISO 8601, or empty
  std::string source;
  std::string url;
  std::string category;
};

/// One facet value with its hit count.
struct FacetCount {
  std::string value;
  std::uint64_t count = 0;
};

/// The answer to one query.
struct SearchResult {
  std::vector<Hit> hits;
  std::uint64_t estimated_matches = 0;  ///< Xapian's estimate of all matching documents
  /// The readings searched, in exact form: for a query typed without diacritics, the likely
  /// restored readings (most likely first); otherwise the query itself.
  std::vector<std::string> readings;
  std::map<std::string, std::vector<FacetCount>> facets;  ///< by facet name, when requested
  /// Notes on the query (what was repaired or ignored, paging cut to the caps) and why the
  /// result is empty when nothing matched; empty when there is nothing to say.
  std::string message;
};

/// A database opened for searching. Not thread-safe: use one Searcher per thread.
class Searcher {
 public:
  /// Opens the database at `database` (the path given to `vnsearch index --db`). Throws
  /// std::runtime_error with a clear message when it is missing or unreadable.
  explicit Searcher(const std::filesystem::path& database);
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  /// Runs one query. Never throws for bad query text: an empty, unusable or overlong query gives
  /// an empty result with `message` set. The query is UTF-8; ill-formed bytes become U+FFFD.
  [[nodiscard]] SearchResult search(std::string_view query, const SearchOptions& options = {});

  /// Re-opens the database if the indexer published a new version since it was opened.
  void refresh();

  /// The most likely reading of `text` with diacritics restored where they were left out, one
  /// exact (lower-case) form per syllable, separated by spaces: what the search understood.
  [[nodiscard]] std::vector<std::string> restore_diacritics(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnsearch
