// Exact and folded forms of one word: the per-token normalization at the heart of the pipeline.
#pragma once

#include <string>
#include <string_view>

namespace vnsearch::detail {

/// Writes the exact and folded forms of `word` (one run of letters or digits, possibly with
/// combining marks, invisible characters and — for a re-attached stray mark — a space) into
/// `exact` and `folded`, replacing their contents.
///
/// Vietnamese and ASCII letters take a table-driven fast path; anything else (full-width forms,
/// other scripts, Latin letters outside Vietnamese) goes through ICU's NFKC_Casefold and, for the
/// folded form, the Latin-ASCII transliterator.
void normalize_word(std::string_view word, std::string& exact, std::string& folded);

}  // namespace vnsearch::detail
