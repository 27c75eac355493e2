// Walking input paths, dispatching each file to its format reader, and the bookkeeping every
// reader shares (body cap, progress, issue counts).
#include <algorithm>
#include <fstream>
#include <system_error>

#include "format_readers.h"
#include "text_util.h"
#include "vnsearch/readers.h"

namespace vnsearch {

namespace fs = std::filesystem;

namespace {

enum class Format { kUnsupported, kJsonl, kPortalPage, kHtml };

Format format_of(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* suffix : {".jsonl", ".jsonl.zst", ".jsonl.gz"}) {
    if (name.ends_with(suffix)) return Format::kJsonl;
  }
  if (name.ends_with(".txt")) return Format::kPortalPage;
  if (name.ends_with(".html") || name.ends_with(".htm")) return Format::kHtml;
  return Format::kUnsupported;
}

ReadFlow ignore_issue(const ReadIssue&) {
  return ReadFlow::kContinue;
}

// The id of a page is its file name without the (last) extension.
void read_page_file(const fs::path& path, Format format, detail::FileContext& context) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  std::ifstream in(path, std::ios::binary);
  if (error || !in) {
    context.report({.message = "cannot open file", .fatal_for_document = true});
    return;
  }
  const std::size_t cap = context.options().max_page_bytes;
  const std::size_t wanted = static_cast<std::size_t>(std::min<std::uintmax_t>(size, cap));
  std::string bytes(wanted, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(wanted));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  const std::string id = path.stem().string();
  if (size > cap) {
    context.report({.id = id,
                    .message = "page is " + std::to_string(size) + " bytes; only the first " +
                               std::to_string(cap) + " are read (ReadOptions::max_page_bytes)"});
  }

  std::string note;
  const std::string text = detail::page_to_utf8(std::move(bytes), note);
  if (!note.empty()) context.report({.id = id, .message = note});

  std::vector<detail::PageIssue> issues;
  Document document = format == Format::kHtml ? detail::parse_html_page(text, issues)
                                              : detail::parse_portal_page(text, issues);
  if (document.title.empty() && document.body.empty()) {
    // One clear message instead of one per missing part; a page-wide reason, if any, says why.
    std::string message = "no title and no text found";
    for (const auto& issue : issues) {
      if (issue.field.empty()) message = issue.message;
    }
    context.report({.id = id, .message = message, .fatal_for_document = true});
    return;
  }
  for (auto& issue : issues) {
    context.report(
        {.id = id, .field = std::move(issue.field), .message = std::move(issue.message)});
  }
  document.id = id;
  context.deliver(std::move(document), 0, size);
}

}  // namespace

std::string format_issue(const ReadIssue& issue) {
  std::string out = issue.file;
  if (issue.line > 0) out += ":" + std::to_string(issue.line);
  out += ": ";
  if (!issue.id.empty()) out += issue.id + ": ";
  if (!issue.field.empty()) out += issue.field + ": ";
  out += issue.message;
  if (issue.fatal_for_document) out += " (skipped)";
  return out;
}

namespace detail {

FileContext::FileContext(std::string file, const ReadOptions& options,
                         const DocumentSink& documents, const IssueSink& issues,
                         ReadSummary& summary, std::uint64_t bytes_before)
    : file_(std::move(file)),
      options_(options),
      documents_(documents),
      issues_(issues),
      summary_(summary),
      bytes_before_(bytes_before) {}

void FileContext::deliver(Document&& document, std::size_t line, std::uint64_t file_bytes_read) {
  if (document.body.size() > options_.max_body_bytes) {
    const std::size_t original = document.body.size();
    document.body.resize(utf8_prefix_length(document.body, options_.max_body_bytes));
    report({.line = line,
            .id = document.id,
            .field = "body",
            .message = "body is " + std::to_string(original) + " bytes; truncated to " +
                       std::to_string(document.body.size()) +
                       " (the body size limit; vnsearch index --max-body-mb raises it)"});
    if (stopped()) return;
  }
  document.origin = line > 0 ? file_ + ":" + std::to_string(line) : file_;
  ++summary_.documents;
  const ReadProgress progress{bytes_before_ + file_bytes_read, summary_.documents};
  if (documents_(std::move(document), progress) == ReadFlow::kStop) summary_.stopped = true;
}

void FileContext::report(ReadIssue issue) {
  issue.file = file_;
  if (issue.fatal_for_document) {
    ++summary_.skipped;
  } else {
    ++summary_.warnings;
  }
  if (issues_(issue) == ReadFlow::kStop) summary_.stopped = true;
}

}  // namespace detail

std::vector<fs::path> list_input_files(std::span<const fs::path> paths, const IssueSink& issues) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code error;
    if (fs::is_regular_file(path, error)) {
      files.push_back(path);  // named explicitly: read_documents says if it is unsupported
      continue;
    }
    if (!fs::is_directory(path, error)) {
      issues({.file = path.string(),
              .message = "no such file or directory",
              .fatal_for_document = true});
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const fs::path& entry = it->path();
      if (entry.filename().string().starts_with(".")) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && format_of(entry) != Format::kUnsupported) found.push_back(entry);
    }
    if (error) {
      issues({.file = path.string(), .message = "cannot list directory: " + error.message()});
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::uint64_t total_input_bytes(std::span<const fs::path> paths) {
  std::uint64_t total = 0;
  for (const fs::path& file : list_input_files(paths, ignore_issue)) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(file, error);
    if (!error) total += size;
  }
  return total;
}

ReadSummary read_documents(std::span<const fs::path> paths, const ReadOptions& options,
                           const DocumentSink& documents, const IssueSink& issues) {
  ReadSummary summary;
  const std::vector<fs::path> files = list_input_files(paths, [&](const ReadIssue& issue) {
    issue.fatal_for_document ? ++summary.skipped : ++summary.warnings;
    const ReadFlow flow = issues(issue);
    if (flow == ReadFlow::kStop) summary.stopped = true;
    return flow;
  });
  std::uint64_t bytes_before = 0;
  for (const fs::path& file : files) {
    if (summary.stopped) break;
    detail::FileContext context(file.string(), options, documents, issues, summary, bytes_before);
    ++summary.files;
    const Format format = format_of(file);
    switch (format) {
      case Format::kJsonl:
        detail::read_jsonl_file(file, context);
        break;
      case Format::kPortalPage:
      case Format::kHtml:
        read_page_file(file, format, context);
        break;
      case Format::kUnsupported:
        context.report({.message = "unsupported file type (expected .jsonl, .jsonl.zst, "
                                   ".jsonl.gz, .txt, .html or .htm)",
                        .fatal_for_document = true});
        break;
    }
    std::error_code error;
    const std::uintmax_t size = fs::file_size(file, error);
    if (!error) bytes_before += size;
  }
  return summary;
}

}  // namespace vnsearch
