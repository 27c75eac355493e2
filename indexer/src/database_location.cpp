#include "database_location.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "vnsearch/database_layout.h"

namespace vnsearch::indexing {

namespace fs = std::filesystem;

namespace {

// A generation holds this file from its creation until it is published: one that still has it
// and is not being built (the writer lock is free) was abandoned by a crashed run.
constexpr const char* kBuildingMarker = "vnsearch-building";

std::string generation_stem(const fs::path& database) {
  return database.filename().string() + ".gen-";
}

// `idx.gen-<clock>-<pid>`, the names new_generation() gives; nothing else beside the database
// is ever removed.
bool is_generation_of(const fs::path& entry, const std::string& stem) {
  const std::string name = entry.filename().string();
  if (!name.starts_with(stem)) return false;
  const std::string rest = name.substr(stem.size());
  const std::size_t dash = rest.find('-');
  if (dash == 0 || dash == std::string::npos || dash + 1 == rest.size()) return false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (i != dash && (rest[i] < '0' || rest[i] > '9')) return false;
  }
  return true;
}

fs::path parent_of(const fs::path& database) {
  return database.has_parent_path() ? database.parent_path() : fs::path(".");
}

}  // namespace

WriterLock::WriterLock(const fs::path& database, bool wait, const std::function<void()>& on_wait) {
  const fs::path lock_path = fs::path(database.string() + ".lock");
  if (lock_path.has_parent_path()) fs::create_directories(lock_path.parent_path());
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error("cannot create lock file " + lock_path.string() + ": " +
                             std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  int error = errno;
  if (error == EWOULDBLOCK && wait) {
    if (on_wait) on_wait();
    error = ::flock(fd_, LOCK_EX) == 0 ? 0 : errno;
    if (error == 0) return;
  }
  ::close(fd_);
  fd_ = -1;
  if (error == EWOULDBLOCK) {
    throw std::runtime_error("database " + database.string() +
                             " is being written by another vnsearch process (lock " +
                             lock_path.string() + "); retry later or pass --wait");
  }
  throw std::runtime_error("cannot lock " + lock_path.string() + ": " + std::strerror(error));
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void check_writable_location(const fs::path& database) {
  const std::string name = database.string();
  switch (layout::inspect_database_path(database)) {
    case layout::PathState::kMissing:
    case layout::PathState::kEmptyFolder:
    case layout::PathState::kDatabase:
      return;
    case layout::PathState::kNotAFolder:
      throw std::runtime_error(name +
                               " is not a folder: --db names the folder that holds (or will "
                               "hold) the database");
    case layout::PathState::kOtherFolder:
      throw std::runtime_error(
          name +
          " is a folder with other files in it, not a vnsearch database: refusing to write "
          "there. Give a new or empty folder to --db");
  }
}

fs::path live_directory(const fs::path& database) {
  if (layout::inspect_database_path(database) != layout::PathState::kDatabase) return {};
  std::error_code error;
  if (fs::is_symlink(database, error)) return fs::canonical(database, error);
  return database;  // a plain directory (made by hand or by another tool): used in place
}

bool is_plain_directory(const fs::path& database) {
  std::error_code error;
  return !fs::is_symlink(database, error) && fs::is_directory(database, error);
}

fs::path new_generation(const fs::path& database) {
  const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  const fs::path generation = fs::path(database.string() + ".gen-" + std::to_string(stamp) + "-" +
                                       std::to_string(::getpid()));
  fs::create_directories(generation);
  std::ofstream(generation / kBuildingMarker) << "under construction by vnsearch index\n";
  return generation;
}

void discard_generation(const fs::path& generation) {
  std::error_code ignored;
  if (fs::exists(generation / kBuildingMarker, ignored)) fs::remove_all(generation, ignored);
}

std::size_t remove_abandoned_generations(const fs::path& database) {
  const std::string stem = generation_stem(database);
  std::size_t removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(parent_of(database), error)) {
    if (!is_generation_of(entry.path(), stem)) continue;
    std::error_code ignored;
    if (!fs::exists(entry.path() / kBuildingMarker, ignored)) continue;
    fs::remove_all(entry.path(), ignored);
    ++removed;
  }
  // A --fresh run killed after its swap but before dropping older generations leaves more than
  // the one it replaced. Keep what publish_generation keeps — the live one and the newest other
  // (readers may still use it) — and drop the rest. Names carry the creation clock.
  if (!fs::is_symlink(database, error)) return removed;
  const fs::path live = fs::weakly_canonical(database, error);
  std::vector<std::pair<std::string, fs::path>> older;  // (clock, path)
  for (const auto& entry : fs::directory_iterator(parent_of(database), error)) {
    if (!is_generation_of(entry.path(), stem)) continue;
    std::error_code ignored;
    if (fs::weakly_canonical(entry.path(), ignored) == live) continue;
    const std::string rest = entry.path().filename().string().substr(stem.size());
    std::string clock = rest.substr(0, rest.find('-'));
    clock.insert(0, 24 - std::min<std::size_t>(clock.size(), 24), '0');  // compare as numbers
    older.emplace_back(clock, entry.path());
  }
  std::sort(older.begin(), older.end());
  for (std::size_t i = 0; i + 1 < older.size(); ++i) {
    std::error_code ignored;
    fs::remove_all(older[i].second, ignored);
    ++removed;
  }
  return removed;
}

void publish_generation(const fs::path& database, const fs::path& generation) {
  std::error_code error;
  fs::path previous;
  if (fs::is_symlink(database, error)) {
    previous = fs::weakly_canonical(database, error);
  } else if (fs::is_directory(database, error)) {
    // Only an empty folder can be replaced by the link (rmdir refuses anything else): a plain
    // database directory is never moved aside or deleted.
    if (!fs::remove(database, error) || error) {
      throw std::runtime_error("cannot replace " + database.string() +
                               " by the new database: it is not an empty folder");
    }
  }
  fs::remove(generation / kBuildingMarker, error);
  const fs::path temporary = fs::path(database.string() + ".link-" + std::to_string(::getpid()));
  fs::remove(temporary, error);
  fs::create_symlink(generation.filename(), temporary);
  fs::rename(temporary, database);  // rename(2) replaces the old link atomically

  // Keep the generation just replaced (open readers may still use it); drop older ones.
  const std::string stem = generation_stem(database);
  const fs::path live = fs::canonical(database);
  for (const auto& entry : fs::directory_iterator(parent_of(database))) {
    if (!is_generation_of(entry.path(), stem)) continue;
    std::error_code ignored;
    const fs::path candidate = fs::weakly_canonical(entry.path(), ignored);
    if (candidate == live || (!previous.empty() && candidate == previous)) continue;
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace vnsearch::indexing
