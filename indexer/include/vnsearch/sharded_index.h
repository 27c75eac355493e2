// Writing a sharded database: a folder with a shard map and one ordinary vnsearch database per
// shard (vnsearch/shard_map.h). Each document goes to the shard its id hashes to, so reindexing
// and deleting it always reach the shard that holds it; each shard keeps the crash safety,
// generations and syllable model of a single database.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "vnsearch/index_writer.h"

namespace vnsearch {

/// True when `database` is a sharded database folder (it holds a shard map).
[[nodiscard]] bool is_sharded_database(const std::filesystem::path& database);

/// Indexes `inputs` into the sharded database `root` with `shards` shards (0: as many as its
/// map says). Creates the folder and its map when `root` is missing or an empty folder; refuses
/// (std::runtime_error) a `shards` count other than the map's — that would move documents — and
/// a `root` that is anything else. The inputs are read once per shard, each pass indexing the
/// documents of its shard; problems with the input are reported once (by the first pass), and
/// the summary counts each document once. With `options.fresh` every shard is rebuilt and
/// published on its own (docs/scaling.md says why that is enough).
IndexSummary index_sharded(const std::filesystem::path& root,
                           std::span<const std::filesystem::path> inputs, std::size_t shards,
                           const IndexOptions& options, const IssueSink& issues,
                           const IndexProgressSink& progress);

/// Deletes documents by id from the shards that hold them; returns the ids that were in none.
std::vector<std::string> delete_sharded(const std::filesystem::path& root,
                                        std::span<const std::string> ids,
                                        const WriteOptions& options = {});

/// Recounts the syllable model of every shard; returns the documents counted.
std::uint64_t rebuild_sharded_models(const std::filesystem::path& root, const WriteOptions& options,
                                     const IndexProgressSink& progress);

}  // namespace vnsearch
