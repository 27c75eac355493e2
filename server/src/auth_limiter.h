// Slows down guessing the admin token: after a few failed attempts from one client address, that
// address is refused (429 with Retry-After) for the rest of a window, right token or not, so a
// brute force over HTTP gets a handful of tries a minute instead of thousands a second.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vnsearch::server {

struct AuthLimitOptions {
  std::size_t failures_allowed = 10;          ///< per client address and window
  std::chrono::seconds window{60};            ///< counting restarts after this long
  std::size_t addresses_remembered = 10'000;  ///< older entries are dropped beyond this
};

class AuthLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AuthLimiter(AuthLimitOptions options = {}) : options_(options) {}

  /// When `client` is refused now: how long until it may try again (whole seconds, at least 1).
  [[nodiscard]] std::optional<std::chrono::seconds> refused(const std::string& client,
                                                            Clock::time_point now);

  /// Counts a failed attempt from `client`.
  void failed(const std::string& client, Clock::time_point now);

 private:
  struct Record {
    Clock::time_point window_start;
    std::size_t failures = 0;
  };
  void forget_old(Clock::time_point now);

  AuthLimitOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace vnsearch::server
