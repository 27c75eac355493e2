#include "shard_flags.h"

namespace vnsearch::cli {

ShardOptions ShardFlags::options() const {
  ShardOptions options;
  options.timeout = std::chrono::milliseconds(timeout_ms);
  options.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
  options.allow_partial = !require_all;
  options.model_files.assign(models.begin(), models.end());
  return options;
}

bool ShardFlags::sharded() const {
  return databases.size() > 1 || !models.empty() || require_all || timeout_ms != 10000 ||
         connect_timeout_ms != 2000 || names_shards(databases);
}

void add_shard_flags(CLI::App* sub, ShardFlags& flags) {
  sub->add_option("--db", flags.databases,
                  "Database directory; give it again to search several as one: a sharded "
                  "folder, HOST:PORT of an xapian-tcpsrv, or a Xapian stub file "
                  "(docs/scaling.md)")
      ->required()
      ->allow_extra_args(false);
  sub->add_option("--model", flags.models,
                  "Syllable model file of remote shards (vnsearch-syllables.bin from their "
                  "database folders); repeatable, merged")
      ->allow_extra_args(false);
  sub->add_option("--shard-timeout-ms", flags.timeout_ms,
                  "A remote shard that takes longer than this to answer counts as down "
                  "(default 10000)")
      ->check(CLI::Range(1L, 3600000L));
  sub->add_option("--shard-connect-timeout-ms", flags.connect_timeout_ms,
                  "Longest wait to connect to a remote shard (default 2000)")
      ->check(CLI::Range(1L, 3600000L));
  sub->add_flag("--require-all-shards", flags.require_all,
                "Fail when a shard is down instead of answering from the others (flagged "
                "partial)");
}

std::shared_ptr<SearchIndex> open_search_index(const ShardFlags& flags) {
  if (!flags.sharded()) return std::make_shared<SearchIndex>(flags.databases.front());
  return std::make_shared<SearchIndex>(flags.databases, flags.options());
}

}  // namespace vnsearch::cli
