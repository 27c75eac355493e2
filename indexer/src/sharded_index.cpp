#include "vnsearch/sharded_index.h"

#include <stdexcept>
#include <unordered_map>

#include "vnsearch/database_layout.h"
#include "vnsearch/shard_map.h"

namespace vnsearch {

namespace fs = std::filesystem;

namespace {

// The shard count to use: the map's when there is one (a different `wanted` is refused, since
// it would route known ids to other shards and leave their old copies behind), otherwise
// `wanted`, after checking that `root` may become a sharded database.
std::size_t prepare_root(const fs::path& root, std::size_t wanted) {
  if (const auto map = shards::read_shard_map(root)) {
    if (wanted != 0 && wanted != map->count) {
      throw std::runtime_error(
          root.string() + " is a sharded database of " + std::to_string(map->count) +
          " shards: --shards " + std::to_string(wanted) +
          " would send documents to other shards than the ones holding them. Index into a new "
          "--db with --shards " +
          std::to_string(wanted) + " to reshard");
    }
    return map->count;
  }
  if (wanted == 0) {
    throw std::runtime_error(root.string() +
                             " is not a sharded database (it has no shard map); give --shards N "
                             "to create one");
  }
  if (wanted > shards::kMaxShards) {
    throw std::runtime_error("--shards " + std::to_string(wanted) + " is more than " +
                             std::to_string(shards::kMaxShards));
  }
  const layout::PathState state = layout::inspect_database_path(root);
  if (state != layout::PathState::kMissing && state != layout::PathState::kEmptyFolder) {
    throw std::runtime_error(
        root.string() +
        " is not empty and not a sharded database: a sharded database is created in a new or "
        "empty folder");
  }
  shards::write_shard_map(root, {wanted});
  return wanted;
}

std::size_t existing_shards(const fs::path& root) {
  const auto map = shards::read_shard_map(root);
  if (!map) {
    throw std::runtime_error(root.string() + " is not a sharded database (it has no " +
                             std::string(shards::kMapFileName) + ")");
  }
  return map->count;
}

}  // namespace

bool is_sharded_database(const fs::path& database) {
  std::error_code error;
  return fs::is_regular_file(database / shards::kMapFileName, error);
}

IndexSummary index_sharded(const fs::path& root, std::span<const fs::path> inputs,
                           std::size_t shards, const IndexOptions& options, const IssueSink& issues,
                           const IndexProgressSink& progress) {
  const fs::path normalized = layout::normalize_database_path(root);
  const std::size_t count = prepare_root(normalized, shards);
  IndexSummary total;
  const IssueSink quiet = [](const ReadIssue&) { return ReadFlow::kContinue; };
  for (std::size_t shard = 0; shard < count; ++shard) {
    IndexOptions pass = options;
    pass.keep = [shard, count](std::string_view id) {
      return shards::shard_of(id, count) == shard;
    };
    // Every pass reads the same inputs and meets the same problems: the first one reports them.
    const IndexSummary part = index_paths(shards::shard_path(normalized, shard), inputs, pass,
                                          shard == 0 ? issues : quiet, progress);
    total.added += part.added;
    total.replaced += part.replaced;
    total.unchanged += part.unchanged;
    total.documents_in_index += part.documents_in_index;
    total.model_recounted = total.model_recounted || part.model_recounted;
    total.seconds += part.seconds;
    if (shard == 0) {
      total.rejected = part.rejected;
      total.warnings = part.warnings;
      total.incomplete_inputs = part.incomplete_inputs;
      total.stopped_early = part.stopped_early;
    }
    if (!part.fresh_not_published.empty()) {
      total.fresh_not_published += (total.fresh_not_published.empty() ? "" : "; ") +
                                   std::string("shard ") + std::to_string(shard) + ": " +
                                   part.fresh_not_published;
    }
  }
  return total;
}

std::vector<std::string> delete_sharded(const fs::path& root, std::span<const std::string> ids,
                                        const WriteOptions& options) {
  const fs::path normalized = layout::normalize_database_path(root);
  const std::size_t count = existing_shards(normalized);
  std::unordered_map<std::size_t, std::vector<std::string>> by_shard;
  for (const std::string& id : ids) by_shard[shards::shard_of(id, count)].push_back(id);
  std::vector<std::string> missing;
  for (std::size_t shard = 0; shard < count; ++shard) {
    const auto found = by_shard.find(shard);
    if (found == by_shard.end()) continue;
    const fs::path database = shards::shard_path(normalized, shard);
    if (layout::inspect_database_path(database) != layout::PathState::kDatabase) {
      // A shard that never received a document: none of these ids can be in the index.
      missing.insert(missing.end(), found->second.begin(), found->second.end());
      continue;
    }
    const auto not_there = delete_documents(database, found->second, options);
    missing.insert(missing.end(), not_there.begin(), not_there.end());
  }
  return missing;
}

std::uint64_t rebuild_sharded_models(const fs::path& root, const WriteOptions& options,
                                     const IndexProgressSink& progress) {
  const fs::path normalized = layout::normalize_database_path(root);
  const std::size_t count = existing_shards(normalized);
  std::uint64_t documents = 0;
  for (std::size_t shard = 0; shard < count; ++shard) {
    documents += rebuild_model(shards::shard_path(normalized, shard), options, progress);
  }
  return documents;
}

}  // namespace vnsearch
