// Keeps the syllable model (schema/include/vnsearch/syllable_model.h) in step with the index.
#pragma once

#include <filesystem>

namespace vnsearch::indexing {

/// True when the model beside the database in `directory` is missing or describes another
/// revision of it.
[[nodiscard]] bool syllable_model_stale(const std::filesystem::path& directory);

/// Recounts the model from the stored records of every document (all cores) and saves it in
/// `directory`, tagged with the database revision.
void rebuild_syllable_model(const std::filesystem::path& directory);

}  // namespace vnsearch::indexing
