#include "live_index.h"

#include <stdexcept>

namespace vnsearch::server {

LiveIndex::LiveIndex(std::filesystem::path database, std::vector<std::string> shards,
                     ShardOptions shard_options)
    : database_(std::move(database)),
      shards_(std::move(shards)),
      shard_options_(std::move(shard_options)) {
  unavailable_ = "not opened yet";
  poll();
}

void LiveIndex::poll() {
  std::lock_guard polling(poll_mutex_);
  std::shared_ptr<SearchIndex> index;
  {
    std::lock_guard lock(mutex_);
    index = index_;
  }
  try {
    if (index == nullptr) {
      auto opened = shards_.empty() ? std::make_shared<SearchIndex>(database_)
                                    : std::make_shared<SearchIndex>(shards_, shard_options_);
      std::lock_guard lock(mutex_);
      index_ = std::move(opened);
      idle_.clear();
      unavailable_.clear();
    } else if (index->refresh()) {
      ++reopens_;
    }
  } catch (const std::exception& error) {
    // The database vanished or cannot be read: answer 503 until it is back, rather than serve
    // an index nobody can update any more.
    std::lock_guard lock(mutex_);
    if (index_ != nullptr) ++reopens_;
    index_ = nullptr;
    idle_.clear();
    unavailable_ = error.what();
  }
}

std::unique_ptr<LiveIndex::Lease> LiveIndex::lease() {
  std::shared_ptr<SearchIndex> index;
  std::unique_ptr<Searcher> searcher;
  {
    std::lock_guard lock(mutex_);
    if (index_ == nullptr) return nullptr;
    index = index_;
    if (!idle_.empty()) {
      searcher = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (searcher == nullptr) {
    try {
      searcher = std::make_unique<Searcher>(index);
    } catch (const std::exception& error) {
      std::lock_guard lock(mutex_);
      unavailable_ = error.what();
      return nullptr;
    }
  }
  return std::make_unique<Lease>(*this, std::move(index), std::move(searcher));
}

LiveIndex::Lease::~Lease() {
  owner_.give_back(index_, std::move(searcher_));
}

void LiveIndex::give_back(const std::shared_ptr<SearchIndex>& index,
                          std::unique_ptr<Searcher> searcher) {
  std::lock_guard lock(mutex_);
  // A Searcher of an index that was dropped meanwhile is not reused.
  if (index == index_) idle_.push_back(std::move(searcher));
}

std::shared_ptr<const IndexSnapshot> LiveIndex::snapshot() const {
  std::lock_guard lock(mutex_);
  return index_ == nullptr ? nullptr : index_->snapshot();
}

std::string LiveIndex::unavailable_reason() const {
  std::lock_guard lock(mutex_);
  return unavailable_;
}

}  // namespace vnsearch::server
