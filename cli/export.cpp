#include "export.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "exit_codes.h"
#include "output.h"

namespace vnsearch::cli {
namespace {

// Columns of both formats, in this order.
constexpr const char* kColumns[] = {"id", "date", "source", "title", "url", "score", "snippet"};

std::string score_text(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", score);
  return buffer;
}

void write_hit(std::ostream& out, const Hit& hit, bool csv) {
  if (csv) {
    out << csv_record(hit);
    return;
  }
  // The snippet's text is already plain: the matches are only ranges over it.
  const nlohmann::json line = {
      {"id", hit.id},   {"date", hit.date},   {"source", hit.source},       {"title", hit.title},
      {"url", hit.url}, {"score", hit.score}, {"snippet", hit.snippet.text}};
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace

std::string csv_record(const Hit& hit) {
  // RFC 4180 ends records with CRLF, which every spreadsheet reads.
  return csv_field(hit.id) + ',' + csv_field(hit.date) + ',' + csv_field(hit.source) + ',' +
         csv_field(hit.title) + ',' + csv_field(hit.url) + ',' + score_text(hit.score) + ',' +
         csv_field(hit.snippet.text) + "\r\n";
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

int export_hits(Searcher& searcher, const std::string& query, SearchOptions options,
                const ExportOptions& format, std::ostream& out) {
  if (format.csv && format.bom) out << "\xEF\xBB\xBF";
  if (format.csv) {
    for (std::size_t i = 0; i < std::size(kColumns); ++i) out << (i ? "," : "") << kColumns[i];
    out << "\r\n";
  }
  if (format.all) {
    options.offset = 0;
    options.limit = std::min(format.page_size, format.max_hits);
  }
  std::unordered_set<std::string> written;  // a hit on two pages is written once
  std::uint64_t matches = 0;
  bool first_page = true;
  bool reached_cap = false;
  while (true) {
    const SearchResult result = searcher.search(query, options);
    if (result.failure) {
      report_error("search", *result.failure);
      return kExitDatabase;
    }
    if (first_page && !result.message.empty()) report("search", "note", result.message);
    first_page = false;
    matches = std::max(matches, result.estimated_matches);
    for (const Hit& hit : result.hits) {
      if (written.insert(hit.id).second) write_hit(out, hit, format.csv);
    }
    out.flush();
    const std::size_t next = options.offset + options.limit;
    if (!format.all || result.hits.size() < options.limit) break;
    if (next >= format.max_hits) {
      reached_cap = true;
      break;
    }
    options.offset = next;
    options.limit = std::min(options.limit, format.max_hits - next);
  }
  // An I/O failure outside the database: the nearest documented status is kExitInput's.
  if (!out) throw CommandFailure(kExitInput, "cannot write the export to stdout");
  if (reached_cap && matches > written.size()) {
    report("search", "note",
           "exported the first " + std::to_string(written.size()) + " of about " +
               std::to_string(matches) + " matches: --all stops at " +
               std::to_string(format.max_hits) +
               " (narrow the query or use date: " + "ranges to export the rest)");
  } else if (!format.all && matches > options.offset + written.size()) {
    report("search", "note",
           "wrote " + counted(written.size(), "hit", "hits") + " of about " +
               std::to_string(matches) + " matches; --all exports every one (at most " +
               std::to_string(format.max_hits) + ")");
  }
  return kExitOk;
}

}  // namespace vnsearch::cli
