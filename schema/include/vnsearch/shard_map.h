// How a sharded database lies on disk, shared by the writer (indexer/) and the readers (query/):
// a folder holding a shard map file and one ordinary vnsearch database per shard
// (`DIR/shard-0`, `DIR/shard-1`, ...), each with its own generations, lock and syllable model.
// Documents go to a shard by a stable hash of their id (docs/scaling.md).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace vnsearch::shards {

/// The map file inside a sharded database folder.
inline constexpr std::string_view kMapFileName = "vnsearch-shards";

/// The most shards one map may name (a typo such as `--shards 3000` is refused).
inline constexpr std::size_t kMaxShards = 256;

/// The shard of `count` that holds the document `id`: FNV-1a 64 of the id's bytes, modulo
/// `count`. FNV-1a is fixed by its definition (unlike std::hash, which may differ between
/// compilers, library versions and runs), so a document stays on its shard for as long as the
/// shard count is unchanged.
[[nodiscard]] std::size_t shard_of(std::string_view id, std::size_t count);

/// Where shard `index` of the sharded database `root` lives: `root/shard-<index>`.
[[nodiscard]] std::filesystem::path shard_path(const std::filesystem::path& root,
                                               std::size_t index);

struct ShardMap {
  std::size_t count = 0;  ///< number of shards, 1..kMaxShards
};

/// The shard map of `root`, or nothing when `root` holds none (not a sharded database). Throws
/// std::runtime_error naming the file when it exists but cannot be read or is not a shard map.
[[nodiscard]] std::optional<ShardMap> read_shard_map(const std::filesystem::path& root);

/// Writes the shard map of `root` (atomically: temporary file and rename), creating `root`.
/// Throws std::runtime_error naming the file on I/O errors.
void write_shard_map(const std::filesystem::path& root, const ShardMap& map);

}  // namespace vnsearch::shards
