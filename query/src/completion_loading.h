// Loads the completion table beside a database into a snapshot (search_index.cpp).
#pragma once

#include <filesystem>

#include "vnsearch/search_index.h"

namespace vnsearch::query {

/// Fills `snapshot.completions` from the table in `directory`, or with an empty table and
/// `snapshot.completions_problem` (what is wrong and the command that mends it) when the file
/// is missing or damaged: completions are a convenience, never a reason to fail a search.
void load_completions(const std::filesystem::path& database, const std::filesystem::path& directory,
                      IndexSnapshot& snapshot);

}  // namespace vnsearch::query
