#include "vnsearch/search_index.h"

#include <sys/stat.h>

#include <stdexcept>

#include <xapian.h>

#include "completion_loading.h"
#include "database_files.h"
#include "ranking.h"
#include "shard_set.h"
#include "vnsearch/completion_table.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch {

namespace fs = std::filesystem;

// Identifies one version of the model file: the indexer replaces it by rename, so a new model
// is a new inode (and usually a new time and size). Outside the anonymous namespace because
// SearchIndex::Probe, a member of a class with linkage, holds it.
struct FileIdentity {
  bool exists = false;
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t modified_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

namespace {

FileIdentity identify(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return {true, info.st_ino, info.st_size,
          static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

void load_model(const fs::path& database, const fs::path& directory, IndexSnapshot& snapshot) {
  auto model = std::make_shared<SyllableModel>();
  const fs::path path = directory / SyllableModel::kFileName;
  const std::string remedy =
      "unaccented words are searched in every reading; rebuild it with "
      "`vnsearch rebuild-model --db " +
      database.string() + "`";
  snapshot.model_revision = 0;
  snapshot.model_problem.clear();
  std::error_code error;
  if (!fs::exists(path, error)) {
    snapshot.model_problem =
        "the syllable model of " + database.string() + " is missing: " + remedy;
  } else {
    try {
      snapshot.model_revision = model->load(path);
    } catch (const std::exception& failure) {
      model = std::make_shared<SyllableModel>();
      snapshot.model_problem = "the syllable model of " + database.string() + " cannot be used (" +
                               failure.what() + "): " + remedy;
    }
  }
  snapshot.model = std::move(model);
}

}  // namespace

struct SearchIndex::Probe {
  fs::path directory;
  Xapian::Database db;
  FileIdentity model_file;
  FileIdentity completions_file;
  std::unique_ptr<query::ShardSet> shards;  // set when searching several databases as one
  std::string model_identity;               // of the shards' model files
};

SearchIndex::SearchIndex(const fs::path& database) : database_(database) {
  if (names_shards({database.string()})) {
    open_shards({database.string()}, {});
    return;
  }
  auto probe = std::make_unique<Probe>();
  probe->directory = query::live_directory_or_throw(database_);
  probe->db = query::open_database(database_, probe->directory);
  probe->model_file = identify(probe->directory / SyllableModel::kFileName);
  auto snapshot = std::make_shared<IndexSnapshot>();
  snapshot->directory = probe->directory;
  snapshot->revision = probe->db.get_revision();
  snapshot->documents = probe->db.get_doccount();
  snapshot->committed = query::last_commit_time(probe->directory);
  load_model(database_, probe->directory, *snapshot);
  probe->completions_file = identify(probe->directory / CompletionTable::kFileName);
  query::load_completions(database_, probe->directory, *snapshot);
  snapshot->ranking =
      std::make_shared<const query::RankingParameters>(query::ranking_from_environment());
  probe_ = std::move(probe);
  snapshot_ = std::move(snapshot);
}

SearchIndex::SearchIndex(const std::vector<std::string>& databases, const ShardOptions& options) {
  std::string names;
  for (const std::string& name : databases) names += (names.empty() ? "" : ",") + name;
  database_ = names;
  open_shards(databases, options);
}

void SearchIndex::open_shards(const std::vector<std::string>& databases,
                              const ShardOptions& options) {
  auto probe = std::make_unique<Probe>();
  probe->shards = std::make_unique<query::ShardSet>(databases, options);
  const query::ShardProbe found = probe->shards->probe();
  auto snapshot = std::make_shared<IndexSnapshot>();
  snapshot->shards = found.view;
  snapshot->revision = found.revision;
  snapshot->documents = found.documents;
  snapshot->committed = found.committed;
  snapshot->model = probe->shards->merged_model(snapshot->model_revision, snapshot->model_problem);
  probe->model_identity = found.model_identity;
  snapshot->ranking =
      std::make_shared<const query::RankingParameters>(query::ranking_from_environment());
  probe_ = std::move(probe);
  snapshot_ = std::move(snapshot);
}

// Publishes a new snapshot when a shard committed, came back, went down or got a new model.
bool SearchIndex::refresh_shards() {
  const std::shared_ptr<const IndexSnapshot> current = snapshot();
  const query::ShardProbe found = probe_->shards->probe();
  const bool new_model = found.model_identity != probe_->model_identity;
  auto names = [](const query::ShardView& view) {
    std::vector<std::string> up;
    for (const auto& shard : view.up) up.push_back(shard.source.name + shard.directory.string());
    return up;
  };
  if (!new_model && found.revision == current->revision && found.documents == current->documents &&
      names(*found.view) == names(*current->shards)) {
    return false;
  }
  auto next = std::make_shared<IndexSnapshot>(*current);
  next->shards = found.view;
  next->revision = found.revision;
  next->documents = found.documents;
  next->committed = found.committed;
  if (new_model) {
    next->model = probe_->shards->merged_model(next->model_revision, next->model_problem);
    probe_->model_identity = found.model_identity;
  }
  next->sequence = current->sequence + 1;
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(next);
  return true;
}

SearchIndex::~SearchIndex() = default;

std::shared_ptr<const IndexSnapshot> SearchIndex::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

bool SearchIndex::refresh() {
  std::lock_guard refreshing(refresh_mutex_);
  if (probe_->shards) return refresh_shards();
  const std::shared_ptr<const IndexSnapshot> current = snapshot();
  const fs::path directory = query::live_directory_or_throw(database_);
  const bool new_generation = directory != probe_->directory;
  if (new_generation) {
    probe_->db = query::open_database(database_, directory);
    probe_->directory = directory;
  } else {
    try {
      probe_->db.reopen();
    } catch (const Xapian::Error& error) {
      throw std::runtime_error(
          query::describe_database_error("cannot re-open database " + database_.string(), error));
    }
  }
  const FileIdentity model_file = identify(directory / SyllableModel::kFileName);
  const bool new_model = new_generation || !(model_file == probe_->model_file);
  const FileIdentity completions_file = identify(directory / CompletionTable::kFileName);
  const bool new_completions = new_generation || !(completions_file == probe_->completions_file);
  const std::uint64_t revision = probe_->db.get_revision();
  if (!new_model && !new_completions && revision == current->revision) return false;

  auto next = std::make_shared<IndexSnapshot>(*current);
  next->directory = directory;
  next->revision = revision;
  next->documents = probe_->db.get_doccount();
  next->committed = query::last_commit_time(directory);
  if (new_model) {
    load_model(database_, directory, *next);
    probe_->model_file = model_file;
  }
  if (new_completions) {
    query::load_completions(database_, directory, *next);
    probe_->completions_file = completions_file;
  }
  next->sequence = current->sequence + 1;
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(next);
  return true;
}

}  // namespace vnsearch
