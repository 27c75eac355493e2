// The positions the re-ranker needs for its top hits, read in one pass per query term.
//
// Xapian 1.4's Database::positionlist_begin(docid, term) opens a new B-tree cursor for every
// call, and with no block cache in user space each call re-reads the blocks from the root down
// (pread): about a quarter of a question's CPU time when the top 100 hits each read a dozen
// lists (bench/README.md, "Query latency"). Glass keys positions by term, then docid, so walking
// each term's posting list in ascending docid order and asking the posting iterator for its
// positions keeps one cursor per term moving forward: blocks are read once, absent terms are
// known from the posting list without a position lookup, and the result is the same.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

namespace vnsearch::query {

/// One hit's positions of each query term and its title length (kSlotTitleLength).
struct HitPositions {
  Xapian::termpos title_length = 0;
  /// One ascending list per entry of `terms` (empty where the document lacks the term).
  std::vector<std::vector<Xapian::termpos>> positions;
};

/// Positions of every term of `terms` in every document of `docids` (in the order given; the
/// docids need not be sorted or distinct). A term repeated in `terms` is read once.
[[nodiscard]] std::vector<HitPositions> read_hit_positions(const Xapian::Database& db,
                                                           const std::vector<Xapian::docid>& docids,
                                                           const std::vector<std::string>& terms);

}  // namespace vnsearch::query
