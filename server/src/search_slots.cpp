#include "search_slots.h"

#include <algorithm>

namespace vnsearch::server {

SearchSlots::SearchSlots(unsigned slots) : slots_(std::max(slots, 1u)), free_(slots_) {}

SearchSlots::Held::Held(SearchSlots& slots) : slots_(slots), waited_(slots.acquire()) {}

SearchSlots::Held::~Held() {
  slots_.release();
}

std::chrono::steady_clock::duration SearchSlots::acquire() {
  const auto arrived = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  // A free slot is taken at once only when nobody is queued: otherwise a new arrival would pass
  // requests that have waited longer.
  if (free_ > 0 && queue_.empty()) {
    --free_;
  } else {
    Waiter waiter;
    queue_.push_back(&waiter);
    waiter.turn.wait(lock, [&] { return waiter.granted; });
  }
  ++served_;
  const auto waited = std::chrono::steady_clock::now() - arrived;
  longest_wait_seconds_ =
      std::max(longest_wait_seconds_, std::chrono::duration<double>(waited).count());
  return waited;
}

void SearchSlots::release() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) {
    ++free_;
    return;
  }
  // Hand the slot over directly: `free_` stays as it is, so nobody can take it in between.
  Waiter* oldest = queue_.front();
  queue_.pop_front();
  oldest->granted = true;
  oldest->turn.notify_one();
}

SearchSlots::Usage SearchSlots::usage() const {
  std::lock_guard lock(mutex_);
  return {slots_ - free_, queue_.size(), served_, longest_wait_seconds_};
}

}  // namespace vnsearch::server
