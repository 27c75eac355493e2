// Reading story groups (schema::kSlotStoryKey) on the query side: the copies of a document.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "vnsearch/search.h"

namespace vnsearch::query {

/// The most copies listed for one story: a story syndicated more widely than this is cut.
inline constexpr std::size_t kMaxCopiesListed = 200;

/// The story key of `docid` (empty for a document indexed before story keys existed).
[[nodiscard]] std::string story_key(const Xapian::Database& db, Xapian::docid docid);

/// The other documents of the story `key`, `docid` excluded, smallest id first.
[[nodiscard]] std::vector<StoryCopy> story_copies(const Xapian::Database& db,
                                                  const std::string& key, Xapian::docid docid);

}  // namespace vnsearch::query
