#include "auth_limiter.h"

namespace vnsearch::server {

std::optional<std::chrono::seconds> AuthLimiter::refused(const std::string& client,
                                                         Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(client);
  if (it == records_.end()) return std::nullopt;
  const Clock::time_point ends = it->second.window_start + options_.window;
  if (now >= ends) {
    records_.erase(it);
    return std::nullopt;
  }
  if (it->second.failures < options_.failures_allowed) return std::nullopt;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(ends - now));
}

void AuthLimiter::failed(const std::string& client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (records_.size() >= options_.addresses_remembered) forget_old(now);
  Record& record = records_[client];
  if (record.failures == 0 || now >= record.window_start + options_.window) {
    record = {now, 0};
  }
  ++record.failures;
}

void AuthLimiter::forget_old(Clock::time_point now) {
  for (auto it = records_.begin(); it != records_.end();) {
    it = now >= it->second.window_start + options_.window ? records_.erase(it) : std::next(it);
  }
  // Still full (a flood from many addresses inside one window): start over rather than grow
  // without bound; a guesser gains at most one more window of tries.
  if (records_.size() >= options_.addresses_remembered) records_.clear();
}

}  // namespace vnsearch::server
