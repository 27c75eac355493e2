// The index as the server sees it: opened when it appears, refreshed by a poller so that new
// commits and `--fresh` swaps are served within a poll interval, and a pool of Searchers (one
// Xapian handle each) lent to worker threads for one request at a time.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vnsearch/search.h"
#include "vnsearch/search_index.h"

namespace vnsearch::server {

class LiveIndex {
 public:
  /// With `shards`, the databases searched as one (`database` then only names them).
  explicit LiveIndex(std::filesystem::path database, std::vector<std::string> shards = {},
                     ShardOptions shard_options = {});

  /// Opens the index if it was not open, or refreshes it. Never throws: when the database
  /// cannot be opened, searches answer 503 with `unavailable_reason()` until it can.
  void poll();

  /// A Searcher lent for one request; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(LiveIndex& owner, std::shared_ptr<SearchIndex> index, std::unique_ptr<Searcher> searcher)
        : owner_(owner), index_(std::move(index)), searcher_(std::move(searcher)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Searcher& operator*() { return *searcher_; }
    Searcher* operator->() { return searcher_.get(); }

   private:
    LiveIndex& owner_;
    std::shared_ptr<SearchIndex> index_;
    std::unique_ptr<Searcher> searcher_;
  };

  /// A Searcher on the current index, or null when the index is unavailable.
  [[nodiscard]] std::unique_ptr<Lease> lease();

  /// The current snapshot, or null when the index is unavailable.
  [[nodiscard]] std::shared_ptr<const IndexSnapshot> snapshot() const;

  /// Why the index is unavailable (empty while it is open).
  [[nodiscard]] std::string unavailable_reason() const;

  /// How many times a new snapshot was taken after the first open.
  [[nodiscard]] std::uint64_t reopens() const { return reopens_; }

  [[nodiscard]] const std::filesystem::path& database() const { return database_; }

 private:
  void give_back(const std::shared_ptr<SearchIndex>& index, std::unique_ptr<Searcher> searcher);

  std::filesystem::path database_;
  std::vector<std::string> shards_;
  ShardOptions shard_options_;
  std::mutex poll_mutex_;
  mutable std::mutex mutex_;  // guards the members below
  std::shared_ptr<SearchIndex> index_;
  std::vector<std::unique_ptr<Searcher>> idle_;  // Searchers on index_
  std::string unavailable_;
  std::atomic<std::uint64_t> reopens_{0};
};

}  // namespace vnsearch::server
