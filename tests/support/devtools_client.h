// A minimal Chrome DevTools Protocol client for browser tests: launches headless Chromium, talks
// to one page over a WebSocket (RFC 6455, loopback only, no extensions), sends commands and waits
// for their answers and for events.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace vnsearch::test {

class DevToolsBrowser {
 public:
  /// Starts Chromium headless with a fresh profile in `profile` and connects to its first page.
  /// Throws std::runtime_error saying why when Chromium is missing or cannot start.
  explicit DevToolsBrowser(const std::filesystem::path& profile);
  ~DevToolsBrowser();
  DevToolsBrowser(const DevToolsBrowser&) = delete;
  DevToolsBrowser& operator=(const DevToolsBrowser&) = delete;

  /// Sends a command and returns its `result`; throws on an error answer or a timeout.
  nlohmann::json call(const std::string& method,
                      const nlohmann::json& params = nlohmann::json::object());

  /// Waits for an event named `method` (events already received count). Throws on timeout.
  nlohmann::json wait_event(const std::string& method,
                            std::chrono::milliseconds timeout = std::chrono::seconds(15));

  /// Forgets events received so far (before an action whose event is awaited).
  void clear_events() { events_.clear(); }

  /// Evaluates `expression` in the page and returns its value.
  nlohmann::json evaluate(const std::string& expression);

 private:
  void send_text(const std::string& text);
  nlohmann::json read_message(std::chrono::steady_clock::time_point deadline);
  void read_exact(char* into, std::size_t size, std::chrono::steady_clock::time_point deadline);

  pid_t chromium_ = -1;
  int socket_ = -1;
  int next_id_ = 1;
  std::deque<nlohmann::json> events_;
};

}  // namespace vnsearch::test
