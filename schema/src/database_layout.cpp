#include "vnsearch/database_layout.h"

#include <stdexcept>
#include <system_error>

namespace vnsearch::layout {

namespace fs = std::filesystem;

fs::path normalize_database_path(const fs::path& database) {
  fs::path normal = database.lexically_normal();
  // "idx/" normalizes to "idx/" (an empty last part): the database is its parent.
  if (!normal.has_filename() && normal.has_parent_path() && normal != normal.root_path()) {
    normal = normal.parent_path();
  }
  return normal;
}

bool holds_xapian_tables(const fs::path& directory) {
  std::error_code error;
  for (const char* version_file : {"iamglass", "iamchert", "iamhoney"}) {
    if (fs::exists(directory / version_file, error)) return true;
  }
  return false;
}

PathState inspect_database_path(const fs::path& database) {
  std::error_code error;
  const fs::file_status link = fs::symlink_status(database, error);
  if (error || link.type() == fs::file_type::not_found) return PathState::kMissing;
  const fs::file_status target = fs::status(database, error);
  if (error || target.type() != fs::file_type::directory) return PathState::kNotAFolder;
  if (holds_xapian_tables(database)) return PathState::kDatabase;
  if (fs::is_empty(database, error) && !error) return PathState::kEmptyFolder;
  return PathState::kOtherFolder;
}

fs::path live_directory_for_reading(const fs::path& path) {
  const fs::path database = normalize_database_path(path);
  const std::string name = database.string();
  const std::string create_hint = " (create one with `vnsearch index --db " + name + " FILE...`)";
  switch (inspect_database_path(database)) {
    case PathState::kMissing:
      throw std::runtime_error("no database at " + name + create_hint);
    case PathState::kEmptyFolder:
      throw std::runtime_error(name + " is an empty folder, not a vnsearch database yet" +
                               create_hint);
    case PathState::kNotAFolder:
      throw std::runtime_error(name +
                               " is not a folder: --db names the folder a vnsearch database "
                               "lives in (made by `vnsearch index --db DIR`)");
    case PathState::kOtherFolder:
      throw std::runtime_error(name +
                               " is a folder without a vnsearch database in it (no Xapian "
                               "tables): --db names a folder made by `vnsearch index --db DIR`");
    case PathState::kDatabase:
      break;
  }
  std::error_code error;
  fs::path directory = fs::canonical(database, error);
  return error ? database : directory;
}

std::string describe_database_error(const std::string& doing, const std::string& type,
                                    const std::string& description) {
  // Opening errors past live_directory_for_reading (which names a missing database) mean files
  // that are there but unreadable as a database: a damaged version file or tables.
  const bool damaged = type == "DatabaseCorruptError" || type == "DatabaseVersionError" ||
                       type == "DatabaseOpeningError";
  if (!damaged) return doing + ": " + description;
  return doing + ": its files are damaged (" + description +
         "); restore it from a backup or rebuild it with `vnsearch index --fresh`";
}

}  // namespace vnsearch::layout
