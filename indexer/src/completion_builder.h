// Keeps the completion table (schema/include/vnsearch/completion_table.h) in step with the index,
// as model_builder.h does for the syllable model: by difference after small changes, by a full
// recount after large ones or when the table on disk is missing, damaged or out of date.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "model_builder.h"
#include "vnsearch/completion_table.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::indexing {

/// Calls `use(item, day)` for every completion one stored record contributes: its title, the
/// two- and three-syllable phrases of the title, and the people, places and organisations of
/// two to five syllables that the title and description name (entities.h), once each.
void for_each_completion(const std::string& record, const Analyzer& analyzer,
                         const std::function<void(const CompletionItem&, std::int32_t)>& use);

/// True when the table beside the database in `directory` is missing, unreadable or describes
/// another revision of it (reads only the file's header).
[[nodiscard]] bool completions_stale(const std::filesystem::path& directory);

/// Brings the table in `directory` to the database's current revision: by difference when the
/// table on disk describes `base_revision` and `delta` holds every change, otherwise by a
/// recount. Returns true when it recounted. Throws std::runtime_error when it cannot be written.
bool update_completions(const std::filesystem::path& directory, std::uint64_t base_revision,
                        const ModelDelta& delta);

/// Recounts the table from the stored records of every document and saves it.
void rebuild_completions(const std::filesystem::path& directory);

}  // namespace vnsearch::indexing
