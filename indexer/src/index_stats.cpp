// `vnsearch stats`: what is in a database, read from its terms and values.
#include <stdexcept>

#include <xapian.h>

#include "vnsearch/database_layout.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/schema.h"

namespace vnsearch {

namespace fs = std::filesystem;

namespace {

std::uint64_t directory_size(const fs::path& directory) {
  std::uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

std::map<std::string, std::uint64_t> count_values(const Xapian::Database& db,
                                                  Xapian::valueno slot) {
  std::map<std::string, std::uint64_t> counts;
  for (auto value = db.valuestream_begin(slot); value != db.valuestream_end(slot); ++value) {
    ++counts[*value];
  }
  return counts;
}

// First and last day present, from the `D` terms (kept sorted by Xapian).
void date_range(const Xapian::Database& db, IndexStats& stats) {
  const std::string prefix(schema::kDay);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    const std::string day = (*term).substr(prefix.size());
    if (day.size() != 8) continue;
    const std::string iso = day.substr(0, 4) + "-" + day.substr(4, 2) + "-" + day.substr(6, 2);
    if (stats.first_date.empty()) stats.first_date = iso;
    stats.last_date = iso;
    stats.dated_documents += term.get_termfreq();
  }
}

}  // namespace

IndexStats collect_stats(const fs::path& database) {
  // Says what is there instead when it is not a database (a file, an empty folder...).
  const fs::path directory = layout::live_directory_for_reading(database);
  IndexStats stats;
  try {
    const Xapian::Database db(directory.string());
    stats.documents = db.get_doccount();
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) ++stats.terms;
    stats.bytes_on_disk = directory_size(directory);
    date_range(db, stats);
    stats.per_source = count_values(db, schema::kSlotSource);
    stats.per_category = count_values(db, schema::kSlotCategory);
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(layout::describe_database_error(
        "cannot read database " + database.string(), error.get_type(), error.get_description()));
  }
  return stats;
}

}  // namespace vnsearch
