// Searching several databases as one: local database folders, sharded database folders (a
// shard map and one database per shard), remote shards served by `xapian-tcpsrv` (`host:port`)
// and Xapian stub database files (`auto PATH` and `remote :HOST:PORT` lines). They are opened as
// one Xapian::Database (add_database), so BM25 statistics are those of the whole collection
// (docs/scaling.md).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace vnsearch {

/// How shards are opened.
struct ShardOptions {
  /// The longest any one exchange with a remote shard may take before the shard counts as down
  /// (Xapian's remote timeout): a hung shard never hangs a search for longer.
  std::chrono::milliseconds timeout{10000};
  /// The longest connecting to a remote shard may take.
  std::chrono::milliseconds connect_timeout{2000};
  /// Search the shards that answer when some do not, flagging the results as partial and naming
  /// the missing shards; false: refuse to search (a clear error) unless every shard is up.
  bool allow_partial = true;
  /// Syllable model files for the remote shards (a remote shard's model lies beside its tables
  /// on another machine, out of reach of the remote protocol): copied from the shards or their
  /// indexing host; merged with the models of the local shards.
  std::vector<std::filesystem::path> model_files;
};

/// One shard to open.
struct ShardSource {
  std::string name;  ///< as the user named it (in messages)
  bool remote = false;
  std::filesystem::path database;  ///< local: the database path (link or folder)
  std::string host;                ///< remote
  unsigned port = 0;               ///< remote
};

/// What a list of `--db` values names, shard by shard: a sharded folder gives its shards, a stub
/// file its `auto`/`remote` lines (and `# vnsearch-model PATH` comment lines add model files to
/// `model_files`; relative paths are relative to the stub file), `host:port` one remote shard,
/// anything else one local database. Throws std::runtime_error naming what cannot be read.
[[nodiscard]] std::vector<ShardSource> expand_shard_sources(
    const std::vector<std::string>& databases, std::vector<std::filesystem::path>& model_files);

/// True when `databases` needs the shard machinery: more than one, or one that is a sharded
/// folder, a stub file or `host:port`.
[[nodiscard]] bool names_shards(const std::vector<std::string>& databases);

}  // namespace vnsearch
