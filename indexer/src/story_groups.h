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
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "near_duplicates.h"

namespace vnsearch::indexing {

class StoryGroups {
 public:
  explicit StoryGroups(Xapian::WritableDatabase& db) : db_(db) {}

  /// For a long run of writes: finds band candidates in `before` (the same database as committed
  /// before the run, opened read-only) plus an in-memory index of the documents written since,
  /// instead of in `db`. Reading a posting list of `db` that the run has changed makes Xapian
  /// flush that term's pending changes to disk, which for 30 band terms per document slowed a
  /// full build several-fold.
  StoryGroups(Xapian::WritableDatabase& db, const Xapian::Database& before)
      : db_(db), before_(before) {}

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

  /// After a commit: the read-only view moves to it (Xapian lets a reader fall at most one
  /// commit behind before its blocks may be reused).
  void committed() {
    if (before_) before_->reopen();
  }

  /// Documents other than the one written whose key was changed (for tests and statistics).
  [[nodiscard]] std::uint64_t rekeyed() const { return rekeyed_; }

 private:
  // Recomputes the stories of the members of story `key` (but `skip`), after one of them lost
  // its edges (deleted, or replaced): the story may split.
  void split(const std::string& key, Xapian::docid skip);
  // Joins `docid` to the stories of its copies. Adding a document only ever merges stories, so
  // no component has to be recomputed: the new key is the smallest of its own id and theirs.
  void merge(Xapian::docid docid);
  // The sketch of `docid`, read once: a document's band candidates include many unrelated
  // documents whose sketches are checked again and again while a run adds documents.
  const std::optional<Sketch>& sketch_of(Xapian::docid docid);
  // Gives `docid` the key `key` (value and term), replacing `old_key`.
  void set_key(Xapian::docid docid, const std::string& old_key, const std::string& key);

  Xapian::WritableDatabase& db_;
  std::uint64_t rekeyed_ = 0;
  // Sketches by docid. A replaced document keeps its docid, so written() drops its entry; a
  // deleted docid is never used again by Xapian.
  std::unordered_map<Xapian::docid, std::optional<Sketch>> sketches_;
  // With a `before` snapshot: band key -> documents written in this run with that band.
  std::optional<Xapian::Database> before_;
  std::unordered_map<std::uint64_t, std::vector<Xapian::docid>> written_bands_;
};

}  // namespace vnsearch::indexing
