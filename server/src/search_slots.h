// The searches that may run at once, handed out first come, first served.
//
// std::counting_semaphore would bound them too, but it is not fair: a release wakes whichever
// waiter wins the race, and a new arrival can take the slot ahead of everyone queued. Under a
// saturating load (64 connections on 4 slots in the soak) an unlucky request kept losing for
// more than ten seconds while the median wait was 0.3 s. Here each waiter queues and a released
// slot goes straight to the oldest one, so no request waits longer than the queue ahead of it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace vnsearch::server {

class SearchSlots {
 public:
  explicit SearchSlots(unsigned slots);
  SearchSlots(const SearchSlots&) = delete;
  SearchSlots& operator=(const SearchSlots&) = delete;

  /// Holds one slot from construction to destruction; waits in arrival order for it.
  class Held {
   public:
    explicit Held(SearchSlots& slots);
    ~Held();
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    /// How long this request waited for its slot.
    [[nodiscard]] std::chrono::steady_clock::duration waited() const { return waited_; }

   private:
    SearchSlots& slots_;
    std::chrono::steady_clock::duration waited_{};
  };

  struct Usage {
    unsigned busy = 0;         ///< slots held now
    std::size_t waiting = 0;   ///< requests queued for one
    std::uint64_t served = 0;  ///< slots handed out since start
    /// The longest any request has waited, in seconds.
    double longest_wait_seconds = 0;
  };
  [[nodiscard]] Usage usage() const;

 private:
  struct Waiter {
    std::condition_variable turn;
    bool granted = false;
  };
  // Waits for a slot; returns how long that took.
  std::chrono::steady_clock::duration acquire();
  void release();

  const unsigned slots_;
  mutable std::mutex mutex_;
  unsigned free_;
  std::deque<Waiter*> queue_;  // oldest first; each lives on its waiting thread's stack
  std::uint64_t served_ = 0;
  double longest_wait_seconds_ = 0;
};

}  // namespace vnsearch::server
