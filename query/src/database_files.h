// The read side's knowledge of how a database lies on disk: the `--db` path is a link to a
// generation directory (docs/schema.md), the stored record's fields, the commit time.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <xapian.h>

#include "vnsearch/search.h"
#include "vnsearch/search_index.h"

namespace vnsearch::query {

/// The generation directory `database` points at (the directory itself when it is a plain one).
/// Throws std::runtime_error naming `database` when there is none.
[[nodiscard]] std::filesystem::path live_directory_or_throw(const std::filesystem::path& database);

/// What went wrong with `database` in words for people: `doing` ("cannot open database D"),
/// then, when Xapian found the files damaged (corrupt blocks, a bad version file), that it is
/// damaged and what to do; otherwise Xapian's own description.
[[nodiscard]] std::string describe_database_error(const std::string& doing,
                                                  const Xapian::Error& failure);

/// Opens the Xapian database in `directory`; errors name `database`, the path the user gave.
[[nodiscard]] Xapian::Database open_database(const std::filesystem::path& database,
                                             const std::filesystem::path& directory);

/// When the last commit of the database in `directory` was written.
[[nodiscard]] std::chrono::system_clock::time_point last_commit_time(
    const std::filesystem::path& directory);

/// The display fields and body of a stored record (schema::join_stored_record); a damaged
/// header gives empty fields rather than an error.
[[nodiscard]] StoredDocument decode_stored_record(std::string_view data);

/// A hit's display fields (everything but the snippet) moved out of `stored`; its body stays.
[[nodiscard]] Hit hit_from_record(StoredDocument& stored, double score);

/// Counts for `IndexOverview`, read from values and date terms.
[[nodiscard]] IndexOverview overview_of(const Xapian::Database& db,
                                        const std::filesystem::path& directory,
                                        const OverviewOptions& options = {});

}  // namespace vnsearch::query
