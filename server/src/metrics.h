// Request counters and a latency histogram per route, rendered in the Prometheus text format
// (version 0.0.4) with the index gauges.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace vnsearch::server {

/// What /metrics says about the index.
struct IndexGauges {
  bool open = false;
  std::uint64_t documents = 0;
  std::uint64_t revision = 0;
  std::uint64_t reopens = 0;
  double last_commit_seconds = 0;  ///< Unix time of the last commit
};

/// What /metrics says about the searches admitted or queued now (search_slots.h).
struct SearchQueueGauges {
  unsigned busy = 0;        ///< search slots held
  std::size_t waiting = 0;  ///< requests queued for a slot
};

class Metrics {
 public:
  /// Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  /// Counts one answered request. `route` is a route pattern (bounded cardinality), never a raw
  /// path.
  void observe(std::string_view route, int status, double seconds);

  /// Counts how long one request waited for a search slot.
  void observe_queue_wait(double seconds);

  [[nodiscard]] std::string render(const IndexGauges& index,
                                   const SearchQueueGauges& queue = {}) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative
    std::uint64_t count = 0;
    double sum = 0;
    void add(double seconds);
    void render(std::string& out, const std::string& name, const std::string& labels) const;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  Histogram queue_wait_;
};

}  // namespace vnsearch::server
