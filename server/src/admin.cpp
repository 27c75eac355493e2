#include "admin.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <stdexcept>

#include "vnsearch/index_writer.h"
#include "vnsearch/readers.h"

namespace vnsearch::server {

namespace fs = std::filesystem;

namespace {

AdminAnswer error(int status, const std::string& code, const std::string& message) {
  return {status, {{"error", {{"code", code}, {"message", message}}}}, {}};
}

AdminAnswer locked(const fs::path& database) {
  AdminAnswer answer = error(409, "writer_busy",
                             "database " + database.string() +
                                 " is being written by another vnsearch process; retry later");
  answer.headers.emplace_back("Retry-After", "5");
  return answer;
}

// True when another process holds the CLI's writer lock (an flock on `<db>.lock`). Checked
// before writing so that a write answers 409 at once instead of failing half-way; the writer
// itself takes the lock without waiting, so a race is still refused, never waited on.
bool writer_busy(const fs::path& database) {
  const fs::path lock_path = fs::path(database.string() + ".lock");
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;  // never written: nobody holds it
  const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return busy;
}

bool is_lock_failure(const std::exception& failure) {
  const std::string text = failure.what();
  return text.find("being written by another") != std::string::npos ||
         text.find("locked by another writer") != std::string::npos;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  const std::size_t length = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < length; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    difference |= static_cast<unsigned char>(x ^ y);
  }
  return difference == 0;
}

Admin::Admin(fs::path database, std::string token, LiveIndex& index, AuthLimitOptions limits)
    : database_(std::move(database)), token_(std::move(token)), index_(index), limiter_(limits) {}

bool Admin::authorised(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.substr(0, kScheme.size()) != kScheme) return false;
  return constant_time_equal(authorization.substr(kScheme.size()), token_);
}

std::optional<AdminAnswer> Admin::refuse(const std::string& client,
                                         std::string_view authorization) {
  const auto now = AuthLimiter::Clock::now();
  // Checked before the token: while an address is refused, even the right token is, so that
  // the answer tells a guesser nothing.
  if (const auto wait = limiter_.refused(client, now)) {
    AdminAnswer answer = error(429, "too_many_failures",
                               "too many failed admin attempts from " + client + "; retry in " +
                                   std::to_string(wait->count()) + " s");
    answer.headers.emplace_back("Retry-After", std::to_string(wait->count()));
    return answer;
  }
  if (authorised(authorization)) return std::nullopt;
  limiter_.failed(client, now);
  AdminAnswer answer = error(401, "unauthorized", "writes need Authorization: Bearer TOKEN");
  answer.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vnsearch\"");
  return answer;
}

AdminAnswer Admin::add(const std::string& client, std::string_view authorization,
                       const std::string& body) {
  if (auto refusal = refuse(client, authorization)) return std::move(*refusal);
  if (writer_busy(database_)) return locked(database_);
  // The JSONL reader reads files: the body goes to a private temporary file beside the index.
  static std::atomic<unsigned> counter{0};
  const fs::path parent = database_.has_parent_path() ? database_.parent_path() : fs::path(".");
  const fs::path upload = parent / (".vnsearch-upload-" + std::to_string(::getpid()) + "-" +
                                    std::to_string(counter++) + ".jsonl");
  struct Remove {
    fs::path path;
    ~Remove() {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
  } remove_upload{upload};
  {
    std::ofstream out(upload, std::ios::binary);
    out << body;
    if (!out.good()) return error(503, "cannot_write", "cannot stage the upload beside the index");
  }
  nlohmann::json problems = nlohmann::json::array();
  const auto issues = [&](const ReadIssue& issue) {
    problems.push_back({{"line", issue.line},
                        {"id", issue.id},
                        {"field", issue.field},
                        {"message", issue.message},
                        {"rejected", issue.fatal_for_document}});
    return ReadFlow::kContinue;
  };
  IndexOptions options;
  options.analysis_threads = 1;  // searches keep the other cores
  options.wait_for_lock = false;
  const fs::path inputs[] = {upload};
  IndexSummary summary;
  try {
    summary = index_paths(database_, inputs, options, issues, {});
  } catch (const std::exception& failure) {
    if (is_lock_failure(failure)) return locked(database_);
    return error(503, "index_unavailable", failure.what());
  }
  index_.poll();  // visible to the next search at once
  const bool any_indexed = summary.added + summary.replaced + summary.unchanged > 0;
  return {summary.rejected > 0 && !any_indexed ? 400 : 200,
          {{"added", summary.added},
           {"replaced", summary.replaced},
           {"unchanged", summary.unchanged},
           {"rejected", summary.rejected},
           {"documents_in_index", summary.documents_in_index},
           {"issues", problems}},
          {}};
}

AdminAnswer Admin::remove(const std::string& client, std::string_view authorization,
                          const std::string& id) {
  if (auto refusal = refuse(client, authorization)) return std::move(*refusal);
  if (writer_busy(database_)) return locked(database_);
  std::vector<std::string> missing;
  try {
    const std::string ids[] = {id};
    missing = delete_documents(database_, ids);  // never waits: a held lock is a 409
  } catch (const std::exception& failure) {
    if (is_lock_failure(failure)) return locked(database_);
    return error(503, "index_unavailable", failure.what());
  }
  if (!missing.empty()) return error(404, "unknown_document", "no document with id '" + id + "'");
  index_.poll();
  return {200, {{"deleted", id}}, {}};
}

}  // namespace vnsearch::server
