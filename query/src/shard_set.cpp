#include "shard_set.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "database_files.h"
#include "vnsearch/database_layout.h"
#include "vnsearch/large_metadata.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

namespace fs = std::filesystem;

namespace {

// A shard's model file for merging, with every triple from the counts file beside it when that
// describes the same revision: the file keeps only triples seen twice, and a triple seen once on
// each of two shards is seen twice in the whole collection, as one database's model counts it.
std::uint64_t load_for_merging(SyllableModel& part, const fs::path& file) {
  const std::uint64_t tag = part.load(file, 1);
  const fs::path counts = file.parent_path() / SyllableModel::kCountsFileName;
  std::error_code missing;
  if (!fs::exists(counts, missing)) return tag;
  try {
    if (SyllableModel::file_tag(counts) == tag && part.load_full_counts(counts) == tag) return tag;
  } catch (const std::exception&) {
    // Unreadable or rewritten meanwhile: the model file alone, below.
  }
  return part.load(file, 1);
}

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

// The directory to open for a local shard: the generation its link names, or, for a replica
// kept by xapian-replicate (a folder with an `XAPIANDB` stub naming its current copy), the folder
// itself, with the stub's content in `replica`.
fs::path local_directory(const fs::path& database, std::string& replica) {
  const fs::path stub = database / kReplicaStub;
  std::error_code error;
  if (fs::is_regular_file(stub, error)) {
    std::ifstream in(stub);
    replica.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return database;
  }
  replica.clear();
  return live_directory_or_throw(database);
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
  replicas_.resize(sources_.size());
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
      std::string replica;
      if (!source.remote) directory = local_directory(source.database, replica);
      // A replica switches to a new copy by rewriting its stub: a new handle then.
      const bool fresh_handle =
          handles_[i].size() == 0 ||
          (!source.remote && (directory != directories_[i] || replica != replicas_[i]));
      replicas_[i] = replica;
      bool changed = true;
      if (fresh_handle) {
        handles_[i] = open_one(source, directory, options_);
        directories_[i] = directory;
      } else {
        changed = handles_[i].reopen();
      }
      // The remote protocol of Xapian 1.4 has no revision (get_revision is unimplemented), so
      // a remote shard counts its reopens that saw a change instead.
      if (source.remote && changed) ++changes_[i];
      const std::uint64_t revision = source.remote ? changes_[i] : handles_[i].get_revision();
      probe.revision += revision;
      // The model: a file's identity, or (read from inside the database) the shard's revision.
      const fs::path file = directory / SyllableModel::kFileName;
      std::error_code missing;
      probe.model_identity +=
          source.name + "@" + directory.string() + ":" +
          (!source.remote && fs::exists(file, missing) ? file_identity(file)
                                                       : std::to_string(revision) + ";");
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

  for (const fs::path& file : model_files_) probe.model_identity += file_identity(file);
  probe.view = std::move(view);
  return probe;
}

std::shared_ptr<const SyllableModel> ShardSet::merged_model(std::uint64_t& tag,
                                                            std::string& problem) const {
  auto merged = std::make_shared<SyllableModel>();
  tag = 0;
  problem.clear();
  std::vector<std::string> problems;
  // Every count, rare pairs included: a pair seen once on each of two shards is seen twice in
  // the whole collection, as one database's model would count it.
  const auto add = [&](const auto& load) {
    SyllableModel part;
    try {
      tag += load(part);
      merged->merge(part);
    } catch (const std::exception& error) {
      problems.push_back(error.what());
    }
  };
  for (const fs::path& file : model_files_) {
    add([&](SyllableModel& part) { return load_for_merging(part, file); });
  }
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (handles_[i].size() == 0) continue;  // down: its documents are not searched either
    // Given model files stand for the remote shards (an older index without the copy inside).
    if (sources_[i].remote && !model_files_.empty()) continue;
    // A local shard made by `vnsearch index` reads its file (a missing or damaged one is
    // reported with its remedy, as for one database); a replica folder has none.
    if (!sources_[i].remote && replicas_[i].empty()) {
      const fs::path file = directories_[i] / SyllableModel::kFileName;
      add([&](SyllableModel& part) { return load_for_merging(part, file); });
      continue;
    }
    // The copy the indexer keeps inside the database: over the remote protocol, or in a
    // replica made by xapian-replicate (which copies only the Xapian tables).
    add([&](SyllableModel& part) -> std::uint64_t {
      std::string bytes;
      try {
        bytes = schema::get_large_metadata(handles_[i], std::string(SyllableModel::kMetadataKey));
      } catch (const Xapian::Error& failure) {
        throw std::runtime_error("cannot read the syllable model of shard " + sources_[i].name +
                                 ": " + failure.get_description());
      } catch (const std::runtime_error& damaged) {  // its parts are missing or short
        throw std::runtime_error("shard " + sources_[i].name + ": " + damaged.what());
      }
      if (bytes.empty()) {
        throw std::runtime_error("shard " + sources_[i].name +
                                 " holds no syllable model (indexed by an older vnsearch: "
                                 "rebuild its model, or give its model file with --model)");
      }
      return part.load_bytes(bytes, "of shard " + sources_[i].name, 1);
    });
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
