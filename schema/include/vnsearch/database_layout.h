// What a `--db` path is on disk, shared by the writer (indexer/) and the readers (query/, the
// server): the path the user names is a symbolic link to a generation directory beside it
// (`idx` -> `idx.gen-…`) holding the Xapian tables and the syllable model, or, for databases
// made by hand, a plain directory holding them.
#pragma once

#include <filesystem>
#include <string>

namespace vnsearch::layout {

/// `idx/`, `./idx` and `idx` name one database: drops a trailing separator and `.` parts, so
/// that the lock file, the generations and the link are always found beside `idx`.
[[nodiscard]] std::filesystem::path normalize_database_path(const std::filesystem::path& database);

/// What a `--db` path holds.
enum class PathState {
  kMissing,      ///< nothing there: a writer may create a database
  kEmptyFolder,  ///< an empty directory: a writer may create a database in its place
  kDatabase,     ///< a Xapian database (directly, or through the generation link)
  kOtherFolder,  ///< a directory with other files in it: never written into
  kNotAFolder,   ///< a regular file, device, dangling link...: not a database
};

[[nodiscard]] PathState inspect_database_path(const std::filesystem::path& database);

/// The directory holding the live database of `database` for reading. Throws
/// std::runtime_error saying what was found and what was expected (no database yet, a file,
/// an empty folder, a folder of other files).
[[nodiscard]] std::filesystem::path live_directory_for_reading(
    const std::filesystem::path& database);

/// True when `directory` holds Xapian tables (any backend's version file).
[[nodiscard]] bool holds_xapian_tables(const std::filesystem::path& directory);

/// A Xapian failure in words for people: `doing` ("cannot read database D"), then, when Xapian
/// found the files damaged (its `type` is DatabaseCorruptError, DatabaseVersionError or
/// DatabaseOpeningError past the checks above), that it is damaged and what to do; otherwise
/// Xapian's own `description`. Shared by every reader and writer of a database.
[[nodiscard]] std::string describe_database_error(const std::string& doing, const std::string& type,
                                                  const std::string& description);

}  // namespace vnsearch::layout
