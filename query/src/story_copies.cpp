#include "story_copies.h"

#include <algorithm>

#include "database_files.h"
#include "vnsearch/schema.h"

namespace vnsearch::query {

std::string story_key(const Xapian::Database& db, Xapian::docid docid) {
  return db.get_document(docid).get_value(schema::kSlotStoryKey);
}

std::vector<StoryCopy> story_copies(const Xapian::Database& db, const std::string& key,
                                    Xapian::docid docid) {
  std::vector<StoryCopy> copies;
  if (key.empty()) return copies;
  const std::string term = std::string(schema::kStoryKey) + key;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    if (*it == docid) continue;
    if (copies.size() == kMaxCopiesListed) break;
    StoredDocument stored = decode_stored_record(db.get_document(*it).get_data());
    copies.push_back({std::move(stored.id), std::move(stored.title), std::move(stored.date),
                      std::move(stored.source), std::move(stored.url)});
  }
  std::sort(copies.begin(), copies.end(),
            [](const StoryCopy& a, const StoryCopy& b) { return a.id < b.id; });
  return copies;
}

}  // namespace vnsearch::query
