// Where a database lives on disk, for the writer. The path the user names (`--db idx`) is a
// symbolic link to a generation directory beside it (`idx.gen-…`), so that `--fresh` can build
// a whole new generation and switch the link in one atomic rename: readers never see a
// half-built index. vnsearch only ever renames or deletes what it created itself: the link,
// and generation directories marked as its own.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace vnsearch::indexing {

/// Holds the writer lock of one database (an flock on `<db>.lock`) for its lifetime.
class WriterLock {
 public:
  /// Takes the lock; when another process holds it, waits if `wait` (calling `on_wait` once
  /// first, so the user learns why nothing happens), otherwise throws std::runtime_error
  /// naming the database.
  WriterLock(const std::filesystem::path& database, bool wait,
             const std::function<void()>& on_wait = {});
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

/// Checks that a writer may use `database` (already normalized): nothing there, an empty
/// folder, or a vnsearch database. Throws std::runtime_error naming what is there otherwise —
/// before any file (even the lock) is created.
void check_writable_location(const std::filesystem::path& database);

/// The directory holding the live Xapian database, or an empty path when there is none.
[[nodiscard]] std::filesystem::path live_directory(const std::filesystem::path& database);

/// True when the live database is a plain directory (made by hand or copied), not a link to a
/// generation: it can be written in place but not replaced by `--fresh`.
[[nodiscard]] bool is_plain_directory(const std::filesystem::path& database);

/// Creates a new, empty generation directory beside `database`, marked as under construction,
/// and returns it.
[[nodiscard]] std::filesystem::path new_generation(const std::filesystem::path& database);

/// Removes a generation that will not be published (a failed or refused `--fresh`).
void discard_generation(const std::filesystem::path& generation);

/// Removes generations left under construction by a run that crashed or was killed, and complete
/// ones older than the newest replaced generation (a run killed between its swap and its
/// clean-up). Call with the writer lock held (no other run can be building one). Returns how
/// many were removed.
std::size_t remove_abandoned_generations(const std::filesystem::path& database);

/// Points `database` at `generation` atomically, then removes generations older than the one
/// it replaced (the replaced one stays, for readers that still have it open). `database` must
/// be absent, an empty folder or a link made by vnsearch.
void publish_generation(const std::filesystem::path& database,
                        const std::filesystem::path& generation);

}  // namespace vnsearch::indexing
