// `vnsearch search --format csv|jsonl`: hits for spreadsheets and scripts, as plain text (no
// HTML, no terminal marks), streamed as they are found. README.md documents the columns.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "vnsearch/search.h"

namespace vnsearch::cli {

struct ExportOptions {
  /// `--all` exports at most this many hits (the deepest any query is paged, see
  /// SearchOptions::kMaxWindow); a note on stderr says when a query matched more.
  static constexpr std::size_t kMaxHits = SearchOptions::kMaxWindow;

  bool csv = true;   ///< CSV (RFC 4180); otherwise JSON lines
  bool all = false;  ///< every hit up to kMaxHits, not just the --limit/--offset page
  bool bom = false;  ///< CSV only: start with a UTF-8 byte order mark, for spreadsheets
  std::size_t max_hits = kMaxHits;                   ///< --all stops here (tests lower it)
  std::size_t page_size = SearchOptions::kMaxLimit;  ///< hits fetched per search with --all
};

/// One CSV field per RFC 4180: quoted when it holds a comma, a double quote, CR or LF, with
/// each double quote doubled.
[[nodiscard]] std::string csv_field(std::string_view text);

/// One CSV record (id, date, source, title, url, score, snippet), ending in CRLF.
[[nodiscard]] std::string csv_record(const Hit& hit);

/// Searches `query` and writes its hits to `out` (a header row first for CSV): one page
/// (`options.limit`, `options.offset`), or with `all` every hit page by page. Notes (a capped
/// export, a correction) go to stderr. Returns the exit status.
int export_hits(Searcher& searcher, const std::string& query, SearchOptions options,
                const ExportOptions& format, std::ostream& out);

}  // namespace vnsearch::cli
