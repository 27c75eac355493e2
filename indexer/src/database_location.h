// Where a database lives on disk. The path the user names (`--db idx`) is a symbolic link to a
// generation directory beside it (`idx.gen-…`), so that `--fresh` can build a whole new
// generation and switch the link in one atomic rename: readers never see a half-built index.
#pragma once

#include <filesystem>
#include <string>

namespace vnsearch::indexing {

/// Holds the writer lock of one database (an flock on `<db>.lock`) for its lifetime.
class WriterLock {
 public:
  /// Takes the lock; waits for it when `wait`, otherwise throws std::runtime_error naming the
  /// database when another process holds it.
  WriterLock(const std::filesystem::path& database, bool wait);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

/// The directory holding the live Xapian database, or an empty path when there is none.
[[nodiscard]] std::filesystem::path live_directory(const std::filesystem::path& database);

/// Creates a new, empty generation directory beside `database` and returns it.
[[nodiscard]] std::filesystem::path new_generation(const std::filesystem::path& database);

/// Points `database` at `generation` atomically, then removes generations older than the one
/// it replaced (the replaced one stays, for readers that still have it open).
void publish_generation(const std::filesystem::path& database,
                        const std::filesystem::path& generation);

}  // namespace vnsearch::indexing
