// The related-articles search behind Searcher::related (vnsearch/related.h).
#pragma once

#include <string_view>

#include <xapian.h>

#include "vnsearch/related.h"

namespace vnsearch::query {

/// Expansion terms taken from the document (Xapian ESet over an RSet of the document alone).
inline constexpr Xapian::termcount kRelatedExpansionTerms = 40;
/// Candidates retrieved before date proximity re-orders them.
inline constexpr Xapian::doccount kRelatedCandidates = 200;
/// Extra weight of the document's title words over the expansion terms: a headline names the
/// event in few words.
inline constexpr double kRelatedTitleWeight = 1.0;

/// Related articles of document `id` in `db` (see RelatedOptions). Throws Xapian::Error when the
/// database cannot be read.
[[nodiscard]] RelatedResult find_related(const Xapian::Database& db, std::string_view id,
                                         const RelatedOptions& options);

}  // namespace vnsearch::query
