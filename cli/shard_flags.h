// The options `search` and `serve` share for searching several databases as one: `--db` given
// more than once (local folders, sharded folders, `host:port` of an xapian-tcpsrv, stub files),
// the syllable models of remote shards, and how long a remote shard may take (docs/scaling.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "vnsearch/search_index.h"
#include "vnsearch/shard_sources.h"

namespace vnsearch::cli {

struct ShardFlags {
  std::vector<std::string> databases;
  std::vector<std::string> models;
  long timeout_ms = 10000;
  long connect_timeout_ms = 2000;
  bool require_all = false;

  [[nodiscard]] ShardOptions options() const;
  /// True when the plain one-database path is not enough (several --db, or shard options).
  [[nodiscard]] bool sharded() const;
};

/// Adds `--db` (required, repeatable), `--model`, `--shard-timeout-ms`,
/// `--shard-connect-timeout-ms` and `--require-all-shards` to `sub`.
void add_shard_flags(CLI::App* sub, ShardFlags& flags);

/// The index the flags name, opened for searching.
[[nodiscard]] std::shared_ptr<SearchIndex> open_search_index(const ShardFlags& flags);

}  // namespace vnsearch::cli
