// Keeps every document's story key (schema::kSlotStoryKey and its kStoryKey term) equal to the
// smallest document id of its story: the connected component of the near-duplicate graph, whose
// edges join two documents that share an LSH band and whose sketches say they are copies
// (near_duplicates(): Jaccard or containment over the thresholds in near_duplicates.h).
//
// The key is a function of the documents in the database alone, not of the order they came in:
// re-indexing the same documents, in any order, in place or with --fresh, gives the same keys.
// The writer calls `written` after each add or replace and `deleted` after deletes, before the
// commit that holds them, so every committed revision is consistent (docs/duplicates.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

namespace vnsearch::indexing {

class StoryGroups {
 public:
  explicit StoryGroups(Xapian::WritableDatabase& db) : db_(db) {}

  /// The story key stored on `docid` (read before it is replaced or deleted); empty for a
  /// document written before story keys existed.
  [[nodiscard]] std::string key_of(Xapian::docid docid) const;

  /// After document `docid` was added or replaced: joins it to the stories of its copies
  /// (merging them when it bridges two) and, when it was replaced, splits its former story if
  /// it held it together. `old_key` is its key before the replacement (empty when new).
  void written(Xapian::docid docid, const std::string& old_key);

  /// After documents were deleted: regroups the stories they belonged to (`old_keys`), whose
  /// key may have been the deleted id or which they may have held together.
  void deleted(const std::vector<std::string>& old_keys);

  /// Documents other than the one written whose key was changed (for tests and statistics).
  [[nodiscard]] std::uint64_t rekeyed() const { return rekeyed_; }

 private:
  // Recomputes the stories of the members of story `key` (but `skip`), after one of them lost
  // its edges (deleted, or replaced): the story may split.
  void split(const std::string& key, Xapian::docid skip);
  // Joins `docid` to the stories of its copies. Adding a document only ever merges stories, so
  // no component has to be recomputed: the new key is the smallest of its own id and theirs.
  void merge(Xapian::docid docid);
  // Gives `docid` the key `key` (value and term), replacing `old_key`.
  void set_key(Xapian::docid docid, const std::string& old_key, const std::string& key);

  Xapian::WritableDatabase& db_;
  std::uint64_t rekeyed_ = 0;
};

}  // namespace vnsearch::indexing
