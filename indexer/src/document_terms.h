// Turns one Document into a Xapian::Document following the schema (schema.h, docs/schema.md).
// Pure and thread-safe: the indexer runs it in worker threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <xapian.h>

#include "near_duplicates.h"
#include "vnsearch/document.h"

namespace vnsearch::indexing {

/// Hash of everything that is indexed from `document` plus the schema version (FNV-1a, 64 bit),
/// as 16 hex digits: equal hashes mean re-indexing would write the same document.
[[nodiscard]] std::string content_hash(const Document& document);

/// The Xapian document for `document`: terms with positions, derived terms, boolean terms,
/// values (including `hash` in the content-hash slot) and the stored JSON record.
[[nodiscard]] Xapian::Document build_xapian_document(const Document& document,
                                                     const std::string& hash);

/// Adds the near-duplicate sketch and its band terms (when there is one) and a provisional
/// story key, the document's own id, which the writer corrects (story_groups.h).
void add_story_terms(Xapian::Document& xdoc, const std::string& id,
                     const std::optional<Sketch>& sketch);

/// The stored record (document data): JSON header line + body (schema::join_stored_record).
[[nodiscard]] std::string stored_record(const Document& document);

}  // namespace vnsearch::indexing
