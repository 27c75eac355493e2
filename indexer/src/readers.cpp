// Walking input paths, dispatching each file to its format reader, and the bookkeeping every
// reader shares (body cap, progress, issue counts).
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <system_error>
#include <utility>

#include "control_chars.h"
#include "format_readers.h"
#include "input_text.h"
#include "text_util.h"
#include "vnsearch/readers.h"
#include "vnsearch/schema.h"

namespace vnsearch {

namespace fs = std::filesystem;

namespace {

enum class Format { kUnsupported, kJsonl, kPortalPage, kHtml };

constexpr const char* kSupportedTypes =
    ".jsonl or .ndjson (plain, .zst or .gz), .txt, .html or .htm";

Format format_of(const fs::path& path) {
  if (path == kStandardInput) return Format::kJsonl;
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* suffix :
       {".jsonl", ".jsonl.zst", ".jsonl.gz", ".ndjson", ".ndjson.zst", ".ndjson.gz"}) {
    if (name.ends_with(suffix)) return Format::kJsonl;
  }
  if (name.ends_with(".txt")) return Format::kPortalPage;
  if (name.ends_with(".html") || name.ends_with(".htm")) return Format::kHtml;
  return Format::kUnsupported;
}

ReadFlow ignore_issue(const ReadIssue&) {
  return ReadFlow::kContinue;
}

void read_page_file(const InputFile& input, Format format, detail::FileContext& context) {
  const fs::path& path = input.path;
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  std::ifstream in(path, std::ios::binary);
  if (error || !in) {
    context.report({.message = "cannot open file: " + (error ? error.message() : "unreadable"),
                    .fatal_for_document = true,
                    .input_incomplete = true});
    return;
  }
  const std::size_t cap = context.options().max_page_bytes;
  const std::size_t wanted = static_cast<std::size_t>(std::min<std::uintmax_t>(size, cap));
  std::string bytes(wanted, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(wanted));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  const std::string& id = input.page_id;
  // An executable or an archive named .txt would otherwise be "decoded" into a junk document.
  if (auto reason = detail::binary_content_reason(bytes)) {
    context.report({.message = std::move(*reason), .fatal_for_document = true});
    return;
  }
  if (size > cap) {
    context.report({.id = id,
                    .message = "page is " + std::to_string(size) + " bytes; only the first " +
                               std::to_string(cap) + " are read"});
  }

  std::string note;
  const std::string declared = format == Format::kHtml ? detail::declared_html_charset(bytes) : "";
  const std::string text = detail::page_to_utf8(std::move(bytes), declared, note);
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
  if (document.id.size() > schema::kMaxIdBytes) {
    // Checked here, for every format, so the writer never meets an id Xapian cannot store.
    report({.line = line,
            .id = escape_controls(document.id.substr(0, utf8_prefix_length(document.id, 60))) + "…",
            .field = "id",
            .message = "is " + std::to_string(document.id.size()) +
                       " bytes long; ids may be at most " + std::to_string(schema::kMaxIdBytes) +
                       " bytes",
            .fatal_for_document = true});
    return;
  }
  // An id names the document in every later message and command, so one that would act on a
  // terminal is refused rather than silently changed.
  if (const std::size_t at = find_control(document.id); at != std::string::npos) {
    report({.line = line,
            .id = escape_controls(document.id),
            .field = "id",
            .message = "has a control character at byte " + std::to_string(at + 1) +
                       " (shown escaped); ids must be printable",
            .fatal_for_document = true});
    return;
  }
  if (const ControlCleanup cleanup = strip_controls(document); cleanup.removed > 0) {
    report({.line = line,
            .id = document.id,
            .field = cleanup.fields,
            .message = std::to_string(cleanup.removed) + " control character(s) removed (first " +
                       cleanup.first + ")"});
    if (stopped()) return;
  }
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

namespace {

// Walks the folders named on the command line. Links to folders are followed (a newsroom's
// archive is often a tree of links), but each folder is read once, so a link loop ends.
class InputWalk {
 public:
  explicit InputWalk(const IssueSink& issues) : issues_(issues) {}

  void named_path(const fs::path& path) {
    if (path == kStandardInput || path == "/dev/stdin") {
      files_.push_back({fs::path(kStandardInput), "stdin"});
      return;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found || (error && !fs::exists(path))) {
      issues_({.file = path.string(),
               .message = "no such file or directory",
               .fatal_for_document = true,
               .input_incomplete = true});
      return;
    }
    if (status.type() != fs::file_type::directory) {
      // Named explicitly (a file, a pipe): read_documents says if its type is unsupported.
      files_.push_back({path, {}});
      return;
    }
    const std::size_t before = files_.size();
    unsupported_.clear();
    folder(path);
    report_unsupported(path, files_.size() == before);
  }

  std::vector<InputFile> take() { return std::move(files_); }

 private:
  void folder(const fs::path& directory) {
    struct stat info {};
    if (::stat(directory.c_str(), &info) == 0 &&
        !visited_.insert({info.st_dev, info.st_ino}).second) {
      issues_({.file = directory.string(),
               .message = "folder already read in this run (a link loop or a second link to "
                          "it); skipped"});
      return;
    }
    std::error_code error;
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      if (!it->path().filename().string().starts_with(".")) entries.push_back(it->path());
    }
    if (error) {
      issues_({.file = directory.string(),
               .message = "cannot read folder: " + error.message() + "; skipped",
               .fatal_for_document = true,
               .input_incomplete = true});
      return;
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& entry : entries) {
      std::error_code status_error;
      const fs::file_status status = fs::status(entry, status_error);
      if (status_error) {
        // A dangling link or a link loop (ELOOP): nothing readable behind it.
        issues_({.file = entry.string(), .message = status_error.message() + "; skipped"});
        continue;
      }
      if (status.type() == fs::file_type::directory) {
        folder(entry);
      } else if (status.type() == fs::file_type::regular) {
        if (format_of(entry) == Format::kUnsupported) {
          ++unsupported_[entry.extension().empty() ? "(no extension)" : entry.extension().string()];
          continue;
        }
        files_.push_back({entry, {}});
      }
    }
  }

  // One line per named folder, so a folder of .json or .bz2 files does not end in a silent
  // "0 added".
  void report_unsupported(const fs::path& root, bool nothing_found) {
    std::string counts;
    std::size_t total = 0;
    for (const auto& [extension, count] : unsupported_) {
      counts += (counts.empty() ? "" : ", ") + extension + " ×" + std::to_string(count);
      total += count;
    }
    if (nothing_found) {
      issues_({.file = root.string(),
               .message = "no files of a supported type in this folder" +
                          (total > 0 ? " (found " + counts + ")" : std::string()) + "; expected " +
                          kSupportedTypes,
               .fatal_for_document = true,
               .input_incomplete = true});
    } else if (total > 0) {
      issues_({.file = root.string(),
               .message = "skipped " + std::to_string(total) + " file(s) of unsupported types (" +
                          counts + "); supported: " + kSupportedTypes});
    }
  }

  const IssueSink& issues_;
  std::vector<InputFile> files_;
  std::set<std::pair<dev_t, ino_t>> visited_;
  std::map<std::string, std::size_t> unsupported_;
};

// Page ids: the file name without its extension, lengthened by as many parent folder names as
// it takes to tell apart the pages of one run that share a name (`a/index`, `b/index`, `index`).
void assign_page_ids(std::vector<InputFile>& files) {
  struct Page {
    InputFile* file;
    std::vector<std::string> parts;  // innermost first: stem, parent, grandparent...
    std::size_t used = 1;
  };
  std::vector<Page> pages;
  for (InputFile& file : files) {
    const Format format = format_of(file.path);
    if (format != Format::kPortalPage && format != Format::kHtml) continue;
    Page page{&file, {file.path.stem().string()}};
    for (fs::path folder = file.path.parent_path(); folder.has_filename();
         folder = folder.parent_path()) {
      const std::string name = folder.filename().string();
      if (name == "." || name == "..") break;
      page.parts.push_back(name);
    }
    pages.push_back(std::move(page));
  }
  const auto id_of = [](const Page& page) {
    std::string id;
    for (std::size_t i = page.used; i-- > 0;) id += (id.empty() ? "" : "/") + page.parts[i];
    return id;
  };
  for (bool lengthened = true; lengthened;) {
    lengthened = false;
    std::map<std::string, std::vector<Page*>> by_id;
    for (Page& page : pages) by_id[id_of(page)].push_back(&page);
    for (auto& [id, sharing] : by_id) {
      if (sharing.size() < 2) continue;
      for (Page* page : sharing) {
        if (page->used < page->parts.size()) {
          ++page->used;
          lengthened = true;
        }
      }
    }
  }
  for (Page& page : pages) page.file->page_id = id_of(page);
}

}  // namespace

std::vector<InputFile> list_input_files(std::span<const fs::path> paths, const IssueSink& issues) {
  InputWalk walk(issues);
  for (const fs::path& path : paths) walk.named_path(path);
  std::vector<InputFile> files = walk.take();
  assign_page_ids(files);
  return files;
}

std::uint64_t total_input_bytes(std::span<const fs::path> paths) {
  std::uint64_t total = 0;
  for (const InputFile& file : list_input_files(paths, ignore_issue)) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(file.path, error);
    if (!error) total += size;
  }
  return total;
}

ReadSummary read_documents(std::span<const fs::path> paths, const ReadOptions& options,
                           const DocumentSink& documents, const IssueSink& issues) {
  ReadSummary summary;
  const std::vector<InputFile> files = list_input_files(paths, [&](const ReadIssue& issue) {
    issue.fatal_for_document ? ++summary.skipped : ++summary.warnings;
    const ReadFlow flow = issues(issue);
    if (flow == ReadFlow::kStop) summary.stopped = true;
    return flow;
  });
  std::uint64_t bytes_before = 0;
  for (const InputFile& file : files) {
    if (summary.stopped) break;
    const std::string name = file.path == kStandardInput ? "(stdin)" : file.path.string();
    detail::FileContext context(name, options, documents, issues, summary, bytes_before);
    ++summary.files;
    const Format format = format_of(file.path);
    switch (format) {
      case Format::kJsonl:
        detail::read_jsonl_file(file.path, context);
        break;
      case Format::kPortalPage:
      case Format::kHtml:
        read_page_file(file, format, context);
        break;
      case Format::kUnsupported:
        context.report(
            {.message = std::string("unsupported file type (expected ") + kSupportedTypes + ")",
             .fatal_for_document = true,
             .input_incomplete = true});
        break;
    }
    std::error_code error;
    const std::uintmax_t size = fs::file_size(file.path, error);
    if (!error) bytes_before += size;
  }
  return summary;
}

}  // namespace vnsearch
