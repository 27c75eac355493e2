// The shards of a sharded search (vnsearch/shard_sources.h) as the query side keeps them: which
// answered when last probed, one Xapian handle over all of them for each Searcher, and the
// syllable model merged from the shards' own models.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "vnsearch/shard_sources.h"

namespace vnsearch {
class SyllableModel;
}

namespace vnsearch::query {

/// A shard that answered, and where (for a local one, its generation directory).
struct OpenShard {
  ShardSource source;
  std::filesystem::path directory;
};

/// The stub file xapian-replicate keeps in a replica folder, naming the copy to open.
inline constexpr const char* kReplicaStub = "XAPIANDB";

/// The shards a snapshot searches: what every Searcher of it opens.
struct ShardView {
  std::vector<OpenShard> up;
  /// "NAME: why" for each shard that did not answer (the result is then partial).
  std::vector<std::string> down;
  ShardOptions options;
};

/// One Xapian handle over every shard of `view` that is up (add_database, in the order given, so
/// document ids interleave as Xapian numbers them). Throws std::runtime_error naming the shard
/// that cannot be opened.
[[nodiscard]] Xapian::Database open_view(const ShardView& view);

/// What a probe of all shards found.
struct ShardProbe {
  std::shared_ptr<const ShardView> view;
  std::uint64_t revision = 0;  ///< sum of the shards' revisions: changes with any commit
  std::uint64_t documents = 0;
  std::chrono::system_clock::time_point committed;  ///< the latest local commit
  /// Identities of the model files behind the merged model; a change means reloading it.
  std::string model_identity;
};

/// The shards named by a list of `--db` values, probed on demand. Not thread-safe (SearchIndex
/// calls it under its refresh lock).
class ShardSet {
 public:
  ShardSet(const std::vector<std::string>& databases, ShardOptions options);

  /// Opens or reopens every shard (trying again those that were down). Throws
  /// std::runtime_error when no shard answers, or when one does not and partial results are
  /// not allowed; the message names each shard that failed and why.
  [[nodiscard]] ShardProbe probe();

  /// The syllable model merged from every shard's model file (and the given model files):
  /// counts add up, so it equals the model of one database holding every document. Sets
  /// `problem` when some model is missing or unreadable, or remote shards have none.
  std::shared_ptr<const SyllableModel> merged_model(std::uint64_t& tag, std::string& problem) const;

  [[nodiscard]] std::string describe() const;

 private:
  std::vector<ShardSource> sources_;
  ShardOptions options_;
  std::vector<std::filesystem::path> model_files_;  // given, or from stub files
  std::vector<Xapian::Database> handles_;           // one per source; empty Database while down
  std::vector<std::filesystem::path> directories_;
  std::vector<std::uint64_t> changes_;
  std::vector<std::string> replicas_;  // per local shard kept by xapian-replicate: its stub  // per
                                       // remote shard: reopens that saw a new revision
};

}  // namespace vnsearch::query
