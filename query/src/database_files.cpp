#include "database_files.h"

#include <sys/stat.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "vnsearch/database_layout.h"
#include "vnsearch/schema.h"

namespace vnsearch::query {

namespace fs = std::filesystem;

namespace {

std::string string_field(const nlohmann::json& record, const char* name) {
  const auto value = record.find(name);
  return value != record.end() && value->is_string() ? value->get<std::string>() : std::string();
}

std::map<std::string, std::uint64_t> count_values(const Xapian::Database& db,
                                                  Xapian::valueno slot) {
  std::map<std::string, std::uint64_t> counts;
  for (auto value = db.valuestream_begin(slot); value != db.valuestream_end(slot); ++value) {
    ++counts[*value];
  }
  return counts;
}

}  // namespace

fs::path live_directory_or_throw(const fs::path& database) {
  // Says what is there instead when --db is not a database (a file, an empty folder...).
  return layout::live_directory_for_reading(database);
}

std::string describe_database_error(const std::string& doing, const Xapian::Error& failure) {
  return layout::describe_database_error(doing, failure.get_type(), failure.get_description());
}

Xapian::Database open_database(const fs::path& database, const fs::path& directory) {
  try {
    return Xapian::Database(directory.string());
  } catch (const Xapian::Error& failure) {
    throw std::runtime_error(
        describe_database_error("cannot open database " + database.string(), failure));
  }
}

std::chrono::system_clock::time_point last_commit_time(const fs::path& directory) {
  // Glass rewrites its version file on every commit.
  struct stat info {};
  if (::stat((directory / "iamglass").c_str(), &info) != 0 &&
      ::stat(directory.c_str(), &info) != 0) {
    return {};
  }
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(info.st_mtim.tv_sec) +
          std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
}

StoredDocument decode_stored_record(std::string_view data) {
  const schema::StoredRecordParts parts = schema::split_stored_record(data);
  const nlohmann::json record =
      nlohmann::json::parse(parts.header_json, nullptr, /*allow_exceptions=*/false);
  StoredDocument document;
  document.body = std::string(parts.body);
  if (!record.is_object()) return document;
  document.id = string_field(record, "id");
  document.title = string_field(record, "title");
  document.description = string_field(record, "description");
  document.date = string_field(record, "date");
  document.source = string_field(record, "source");
  document.url = string_field(record, "url");
  document.author = string_field(record, "author");
  document.category = string_field(record, "category");
  const auto tags = record.find("tags");
  if (tags != record.end() && tags->is_array()) {
    for (const auto& tag : *tags) {
      if (tag.is_string()) document.tags.push_back(tag.get<std::string>());
    }
  }
  return document;
}

Hit hit_from_record(StoredDocument& stored, double score) {
  Hit hit;
  hit.id = std::move(stored.id);
  hit.score = score;
  hit.title = std::move(stored.title);
  hit.date = std::move(stored.date);
  hit.source = std::move(stored.source);
  hit.url = std::move(stored.url);
  hit.category = std::move(stored.category);
  hit.description = std::move(stored.description);
  hit.author = std::move(stored.author);
  hit.tags = std::move(stored.tags);
  return hit;
}

IndexOverview overview_of(const Xapian::Database& db, const fs::path& directory,
                          const OverviewOptions& options) {
  IndexOverview overview;
  if (options.count_terms) {
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) ++overview.terms;
  }
  overview.documents = db.get_doccount();
  overview.revision = db.get_revision();
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(directory, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) overview.bytes_on_disk += it->file_size(error);
  }
  // First and last day present, from the day terms (kept sorted by Xapian).
  const std::string prefix(schema::kDay);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    const std::string day = (*term).substr(prefix.size());
    if (day.size() != 8) continue;
    const std::string iso = day.substr(0, 4) + "-" + day.substr(4, 2) + "-" + day.substr(6, 2);
    if (overview.first_date.empty()) overview.first_date = iso;
    overview.last_date = iso;
    overview.dated_documents += term.get_termfreq();
  }
  overview.per_source = count_values(db, schema::kSlotSource);
  overview.per_category = count_values(db, schema::kSlotCategory);
  overview.per_year = count_values(db, schema::kSlotYear);
  return overview;
}

}  // namespace vnsearch::query

namespace vnsearch {

IndexOverview read_overview(const std::filesystem::path& database, const OverviewOptions& options) {
  const std::filesystem::path directory = query::live_directory_or_throw(database);
  try {
    return query::overview_of(query::open_database(database, directory), directory, options);
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(
        query::describe_database_error("cannot read database " + database.string(), error));
  }
}

}  // namespace vnsearch
