// Time in search results: the freshness boost of `--sort fresh` and the timeline of a query's
// matches (counts per month or year). docs/query.md ("Time") documents both for users.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vnsearch {

/// The freshness boost: a hit's relevance score is multiplied by
///   1 + kFreshnessBoost × 2^(−age / half-life)
/// where age is measured back from the reference time (the newest dated article in the index,
/// or now when that is in the future), never below zero. A new article counts up to twice its
/// relevance, one a half-life older 1.5 times, an old one about its relevance alone. An undated
/// article gets the neutral multiplier 1: the same as an article far older than the half-life,
/// so it is neither lifted nor pushed out.
struct Freshness {
  /// A news story's interest halves in about a month.
  static constexpr double kDefaultHalfLifeDays = 30;
  static constexpr double kMinHalfLifeDays = 0.01;
  static constexpr double kMaxHalfLifeDays = 36500;  // a century: freshness barely matters
  /// The largest extra share of relevance a new article gets.
  static constexpr double kBoost = 1.0;
  /// Only this many of the most relevant matches (per reading) are re-ordered by freshness: a
  /// fresh article less relevant than that is not lifted onto the page.
  static constexpr std::size_t kDepth = 1000;
};

/// The multiplier above for an article `age_seconds` older than the reference time (no value:
/// undated, multiplier 1).
[[nodiscard]] double freshness_multiplier(std::optional<double> age_seconds, double half_life_days);

/// One bar of a timeline: a month `2024-03` or a year `2024` (Vietnam time, UTC+7, as the date
/// filters read dates) and how many matches were published in it.
struct TimelineBucket {
  std::string period;
  std::uint64_t count = 0;
};

/// Matches per month, or per year when the dated matches span more than kMonthlySpan months.
/// Buckets are consecutive from the first period with a match to the last (empty ones with
/// count 0), so they can be drawn as they are.
struct Timeline {
  static constexpr int kMonthlySpan = 36;
  std::string unit = "month";  ///< "month" or "year"
  std::vector<TimelineBucket> buckets;
  std::uint64_t undated = 0;  ///< matches without a publication date
  std::uint64_t total = 0;    ///< every match counted: the buckets' sum plus `undated`
  /// False when the matcher stopped early (a time limit): the counts are then a lower bound.
  bool complete = true;
};

/// Counts publication times (unix seconds) into a Timeline: month keys are year × 12 + month − 1.
class TimelineCounter {
 public:
  void add(std::optional<double> unix_seconds);
  [[nodiscard]] Timeline finish(bool complete) const;

 private:
  std::map<int, std::uint64_t> months_;  ///< by month key
  std::uint64_t undated_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace vnsearch
