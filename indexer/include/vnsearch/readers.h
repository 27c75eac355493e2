// Input readers: turn JSONL dumps (plain, .zst, .gz), scraped portal pages (.txt) and HTML pages
// into Documents, streaming, and report every problem with the file, line and field it is about.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/document.h"

namespace vnsearch {

/// Limits that keep one oversized input from exhausting memory.
struct ReadOptions {
  /// Bodies longer than this are cut at a UTF-8 character boundary, with a warning.
  std::size_t max_body_bytes = 8u << 20;
  /// JSONL lines longer than this are skipped unread (reported as an error), so a corrupt file
  /// without newlines cannot make the reader buffer all of it.
  std::size_t max_line_bytes = 256u << 20;
  /// Only the first this-many bytes of a .txt/.html page are read, with a warning (an HTML parse
  /// tree costs many times the page size).
  std::size_t max_page_bytes = 16u << 20;
};

/// A problem found while reading. Documents with a fatal issue are not delivered.
// Members have initializers so that designated initializers may name only what they set.
struct ReadIssue {
  std::string file{};               ///< path of the input file
  std::size_t line = 0;             ///< 1-based line for JSONL; 0 when about the whole file
  std::string id{};                 ///< document id, when known
  std::string field{};              ///< JSON field or page part concerned, or empty
  std::string message{};            ///< what is wrong, in plain words
  bool fatal_for_document = false;  ///< true: the document (or whole file) was skipped
  /// true: an input (or the rest of one) was not read at all — a missing or unreadable path, a
  /// truncated or corrupt compressed stream — so a `--fresh` build from it is incomplete.
  bool input_incomplete = false;
};

/// "file:line: id: field: message" with the empty parts left out, for logs.
[[nodiscard]] std::string format_issue(const ReadIssue& issue);

/// Where reading stands, passed with every document so callers can show progress and an ETA.
struct ReadProgress {
  std::uint64_t bytes_read = 0;  ///< on-disk (compressed) bytes consumed so far, over all files
  std::uint64_t documents = 0;   ///< documents delivered so far, this one included
};

/// Returned by callbacks: whether the reader should go on (lets a caller stop after N errors).
enum class ReadFlow { kContinue, kStop };

using DocumentSink = std::function<ReadFlow(Document&&, const ReadProgress&)>;
using IssueSink = std::function<ReadFlow(const ReadIssue&)>;

/// Totals of one read_documents() call.
struct ReadSummary {
  std::uint64_t files = 0;      ///< input files opened
  std::uint64_t documents = 0;  ///< documents delivered
  std::uint64_t skipped = 0;    ///< documents (or files) dropped by a fatal issue
  std::uint64_t warnings = 0;   ///< non-fatal issues
  bool stopped = false;         ///< a callback returned kStop
};

/// `-` as an input path: JSONL read from standard input (`/dev/stdin` is the same).
inline constexpr std::string_view kStandardInput = "-";

/// One file to read, and the id its page (.txt/.html) gets.
struct InputFile {
  std::filesystem::path path;
  /// For pages (.txt, .html): the file name without its extension, lengthened by as many
  /// parent folder names as it takes to tell apart the pages of one run that share a name
  /// (`a/index`, `b/index` and `index` for a/index.txt, b/index.txt and index.html). Empty for
  /// JSONL files, whose lines carry their ids.
  std::string page_id;
};

/// The input files behind `paths`: files as given, directories walked recursively in sorted
/// order keeping only the supported extensions (.jsonl, .ndjson, either with .zst or .gz,
/// .txt, .html, .htm) and skipping hidden entries. Directory links are followed, each
/// directory is visited once, and loops are skipped. Missing paths, unreadable folders and
/// files of unsupported types (counted per folder) are reported to `issues`.
[[nodiscard]] std::vector<InputFile> list_input_files(std::span<const std::filesystem::path> paths,
                                                      const IssueSink& issues);

/// Total on-disk size of the files read_documents(paths, ...) would read: the denominator for
/// ReadProgress::bytes_read. Missing paths count as zero (read_documents reports them).
[[nodiscard]] std::uint64_t total_input_bytes(std::span<const std::filesystem::path> paths);

/// Reads every file of list_input_files(paths) in order and delivers each good document to
/// `documents`; every problem goes to `issues`. Never throws on bad input.
ReadSummary read_documents(std::span<const std::filesystem::path> paths, const ReadOptions& options,
                           const DocumentSink& documents, const IssueSink& issues);

}  // namespace vnsearch
