// Turns one Document into a Xapian::Document following the schema (schema.h, docs/schema.md).
// Pure and thread-safe: the indexer runs it in worker threads.
#pragma once

#include <cstdint>
#include <string>

#include <xapian.h>

#include "vnsearch/document.h"

namespace vnsearch::indexing {

/// Hash of everything that is indexed from `document` plus the schema version (FNV-1a, 64 bit),
/// as 16 hex digits: equal hashes mean re-indexing would write the same document.
[[nodiscard]] std::string content_hash(const Document& document);

/// The Xapian document for `document`: terms with positions, derived terms, boolean terms,
/// values (including `hash` in the content-hash slot) and the stored JSON record.
[[nodiscard]] Xapian::Document build_xapian_document(const Document& document,
                                                     const std::string& hash);

/// The stored record (document data): JSON header line + body (schema::join_stored_record).
[[nodiscard]] std::string stored_record(const Document& document);

}  // namespace vnsearch::indexing
