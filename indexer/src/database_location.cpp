#include "database_location.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace vnsearch::indexing {

namespace fs = std::filesystem;

WriterLock::WriterLock(const fs::path& database, bool wait) {
  const fs::path lock_path = fs::path(database.string() + ".lock");
  if (lock_path.has_parent_path()) fs::create_directories(lock_path.parent_path());
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error("cannot create lock file " + lock_path.string() + ": " +
                             std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw std::runtime_error("database " + database.string() +
                               " is being written by another vnsearch process (lock " +
                               lock_path.string() + "); retry later or pass --wait");
    }
    throw std::runtime_error("cannot lock " + lock_path.string() + ": " + std::strerror(error));
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

fs::path live_directory(const fs::path& database) {
  std::error_code error;
  if (!fs::exists(database, error)) return {};
  if (fs::is_symlink(database, error)) return fs::canonical(database, error);
  return database;  // a plain directory (made by hand or by another tool): used in place
}

fs::path new_generation(const fs::path& database) {
  const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  const fs::path generation = fs::path(database.string() + ".gen-" + std::to_string(stamp) + "-" +
                                       std::to_string(::getpid()));
  fs::create_directories(generation);
  return generation;
}

void publish_generation(const fs::path& database, const fs::path& generation) {
  fs::path previous = live_directory(database);
  if (!previous.empty() && !fs::is_symlink(database)) {
    // A plain directory cannot be replaced atomically; move it aside once, after which the
    // database is a link like every other. The moved directory is the one to keep.
    previous = fs::path(database.string() + ".gen-0-legacy");
    fs::rename(database, previous);
  }
  const fs::path temporary = fs::path(database.string() + ".link-" + std::to_string(::getpid()));
  fs::remove(temporary);
  fs::create_symlink(generation.filename(), temporary);
  fs::rename(temporary, database);  // rename(2) replaces the old link atomically

  // Keep the generation just replaced (open readers may still use it); drop older ones.
  const fs::path parent = database.has_parent_path() ? database.parent_path() : fs::path(".");
  const std::string stem = database.filename().string() + ".gen-";
  const fs::path live = fs::canonical(database);
  const fs::path kept = previous.empty() ? fs::path() : fs::weakly_canonical(previous);
  for (const auto& entry : fs::directory_iterator(parent)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) != 0) continue;
    const fs::path candidate = fs::weakly_canonical(entry.path());
    if (candidate == live || candidate == kept) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace vnsearch::indexing
