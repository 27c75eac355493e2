#include "shard_set.h"

#include <sys/stat.h>

#include <stdexcept>

#include "database_files.h"
#include "vnsearch/database_layout.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

namespace fs = std::filesystem;

namespace {

// Xapian's remote timeouts are in milliseconds; 0 would mean "wait for ever".
unsigned milliseconds(std::chrono::milliseconds value) {
  return static_cast<unsigned>(std::max<std::chrono::milliseconds::rep>(1, value.count()));
}

Xapian::Database open_one(const ShardSource& source, const fs::path& directory,
                          const ShardOptions& options) {
  if (!source.remote) return open_database(source.database, directory);
  try {
    return Xapian::Remote::open(source.host, source.port, milliseconds(options.timeout),
                                milliseconds(options.connect_timeout));
  } catch (const Xapian::Error& error) {
    throw std::runtime_error("cannot reach remote shard " + source.name + ": " +
                             error.get_description());
  }
}

std::string file_identity(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return path.string() + ":none;";
  return path.string() + ":" + std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) +
         ":" + std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec) +
         ";";
}

}  // namespace

Xapian::Database open_view(const ShardView& view) {
  Xapian::Database combined;
  for (const OpenShard& shard : view.up) {
    combined.add_database(open_one(shard.source, shard.directory, view.options));
  }
  return combined;
}

ShardSet::ShardSet(const std::vector<std::string>& databases, ShardOptions options)
    : options_(std::move(options)) {
  model_files_ = options_.model_files;
  sources_ = expand_shard_sources(databases, model_files_);
  handles_.resize(sources_.size());
  directories_.resize(sources_.size());
  changes_.resize(sources_.size());
}

std::string ShardSet::describe() const {
  std::string text;
  for (const ShardSource& source : sources_) text += (text.empty() ? "" : ", ") + source.name;
  return text;
}

ShardProbe ShardSet::probe() {
  auto view = std::make_shared<ShardView>();
  view->options = options_;
  ShardProbe probe;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const ShardSource& source = sources_[i];
    try {
      fs::path directory;
      if (!source.remote) directory = live_directory_or_throw(source.database);
      const bool fresh_handle = source.remote
                                    ? handles_[i].size() == 0
                                    : directory != directories_[i] || handles_[i].size() == 0;
      bool changed = true;
      if (fresh_handle) {
        handles_[i] = open_one(source, directory, options_);
        directories_[i] = directory;
      } else {
        changed = handles_[i].reopen();
      }
      // The remote protocol of Xapian 1.4 has no revision (get_revision is unimplemented), so
      // a remote shard counts its reopens that saw a change instead.
      if (source.remote) {
        if (changed) ++changes_[i];
        probe.revision += changes_[i];
      } else {
        probe.revision += handles_[i].get_revision();
      }
      probe.documents += handles_[i].get_doccount();
      if (!source.remote) probe.committed = std::max(probe.committed, last_commit_time(directory));
      view->up.push_back({source, directory});
    } catch (const Xapian::Error& error) {
      handles_[i] = Xapian::Database();
      directories_[i].clear();
      view->down.push_back(source.name + ": " + error.get_description());
    } catch (const std::exception& error) {
      handles_[i] = Xapian::Database();
      directories_[i].clear();
      view->down.push_back(source.name + ": " + error.what());
    }
  }
  if (view->up.empty() || (!view->down.empty() && !options_.allow_partial)) {
    std::string text;
    for (const std::string& down : view->down) text += (text.empty() ? "" : "; ") + down;
    throw std::runtime_error(std::to_string(view->down.size()) + " of " +
                             std::to_string(sources_.size()) +
                             " shards cannot be searched: " + text);
  }
  for (const OpenShard& shard : view->up) {
    if (!shard.source.remote) {
      probe.model_identity += file_identity(shard.directory / SyllableModel::kFileName);
    }
  }
  for (const fs::path& file : model_files_) probe.model_identity += file_identity(file);
  probe.view = std::move(view);
  return probe;
}

std::shared_ptr<const SyllableModel> ShardSet::merged_model(std::uint64_t& tag,
                                                            std::string& problem) const {
  auto merged = std::make_shared<SyllableModel>();
  tag = 0;
  problem.clear();
  std::vector<fs::path> files = model_files_;
  bool any_remote = false;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i].remote) {
      any_remote = true;
    } else if (!directories_[i].empty()) {
      files.push_back(directories_[i] / SyllableModel::kFileName);
    }
  }
  std::vector<std::string> problems;
  if (any_remote && model_files_.empty()) {
    problems.push_back(
        "the syllable model of the remote shards is not known (give their model files with "
        "--model, or `# vnsearch-model PATH` lines in the stub file)");
  }
  for (const fs::path& file : files) {
    SyllableModel part;
    try {
      // Every count, rare pairs included: a pair seen once on each of two shards is seen twice
      // in the whole collection, as one database's model would count it.
      tag += part.load(file, /*min_bigram_count=*/1);
      merged->merge(part);
    } catch (const std::exception& error) {
      problems.push_back(error.what());
    }
  }
  merged->prune_bigrams(SyllableModel::kSearchMinBigramCount);
  merged->index_readings();
  for (const std::string& text : problems) problem += (problem.empty() ? "" : "; ") + text;
  if (!problem.empty()) {
    problem +=
        ": unaccented words are searched with the models that could be read; rebuild a "
        "shard's model with `vnsearch rebuild-model --db SHARD`";
  }
  return merged;
}

}  // namespace vnsearch::query
