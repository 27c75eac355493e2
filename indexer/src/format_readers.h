// The per-format readers behind read_documents() (internal).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/readers.h"

namespace vnsearch::detail {

/// What a format reader needs from read_documents(): the options, and places to deliver
/// documents and issues. Counts, progress and the stop request are kept here.
class FileContext {
 public:
  FileContext(std::string file, const ReadOptions& options, const DocumentSink& documents,
              const IssueSink& issues, ReadSummary& summary, std::uint64_t bytes_before);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const ReadOptions& options() const { return options_; }
  /// True once a callback asked to stop; readers then return promptly.
  [[nodiscard]] bool stopped() const { return summary_.stopped; }

  /// Applies the body cap, then hands the document on. `file_bytes_read` is this file's
  /// on-disk progress.
  void deliver(Document&& document, std::size_t line, std::uint64_t file_bytes_read);
  /// Reports an issue about this file; `issue.file` is filled in here.
  void report(ReadIssue issue);

 private:
  std::string file_;
  const ReadOptions& options_;
  const DocumentSink& documents_;
  const IssueSink& issues_;
  ReadSummary& summary_;
  std::uint64_t bytes_before_;  // bytes of the files read before this one
};

/// A problem found inside one page: the part it is about and what is wrong.
struct PageIssue {
  std::string field;    ///< document field concerned ("date", "title", ...)
  std::string message;  ///< plain-words description
};

/// Reads a JSONL file (plain, .zst or .gz), one document per line.
void read_jsonl_file(const std::filesystem::path& path, FileContext& context);

/// Extracts title, category, author and body from a scraped portal page in plain text.
[[nodiscard]] Document parse_portal_page(std::string_view text, std::vector<PageIssue>& issues);

/// Extracts title, date, description, metadata and the main text from an HTML page.
[[nodiscard]] Document parse_html_page(std::string_view html, std::vector<PageIssue>& issues);

}  // namespace vnsearch::detail
