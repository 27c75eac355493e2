#include "time_order.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "vnsearch/schema.h"
#include "vnsearch/search.h"

namespace vnsearch {

namespace {

// Dates are read in Vietnam time, as the indexer's Y/M/D terms and the date filters read them.
constexpr double kVietnamOffsetSeconds = 7 * 3600;
// Times outside years 100..9999 (a damaged value) are counted at the nearest end, keeping the
// calendar arithmetic in range.
constexpr double kEarliest = -58e9, kLatest = 253e9;

std::string month_label(int key) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", key / 12, key % 12 + 1);
  return buffer;
}

}  // namespace

std::optional<SearchSort> sort_from_name(std::string_view name) {
  if (name == "relevance") return SearchSort::kRelevance;
  if (name == "newest" || name == "date") return SearchSort::kDate;
  if (name == "oldest") return SearchSort::kOldest;
  if (name == "fresh") return SearchSort::kFreshness;
  return std::nullopt;
}

double freshness_multiplier(std::optional<double> age_seconds, double half_life_days) {
  if (!age_seconds) return 1.0;  // undated: neutral, like a very old article
  const double half_life =
      std::clamp(half_life_days, Freshness::kMinHalfLifeDays, Freshness::kMaxHalfLifeDays) *
      86400.0;
  const double age = std::max(0.0, *age_seconds);
  return 1.0 + Freshness::kBoost * std::exp2(-age / half_life);
}

void TimelineCounter::add(std::optional<double> unix_seconds) {
  ++total_;
  if (!unix_seconds || !std::isfinite(*unix_seconds)) {
    ++undated_;
    return;
  }
  using namespace std::chrono;
  const auto local = sys_seconds(seconds(static_cast<long long>(
      std::floor(std::clamp(*unix_seconds, kEarliest, kLatest) + kVietnamOffsetSeconds))));
  const year_month_day day{floor<days>(local)};
  const int key = static_cast<int>(day.year()) * 12 + static_cast<int>(unsigned(day.month())) - 1;
  ++months_[key];
}

Timeline TimelineCounter::finish(bool complete) const {
  Timeline timeline;
  timeline.undated = undated_;
  timeline.total = total_;
  timeline.complete = complete;
  if (months_.empty()) return timeline;
  const int first = months_.begin()->first, last = months_.rbegin()->first;
  if (last - first + 1 > Timeline::kMonthlySpan) {
    timeline.unit = "year";
    const int first_year = first / 12, last_year = last / 12;
    for (int year = first_year; year <= last_year; ++year) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "%04d", year);
      timeline.buckets.push_back({buffer, 0});
    }
    for (const auto& [key, count] : months_) {
      timeline.buckets[static_cast<std::size_t>(key / 12 - first_year)].count += count;
    }
    return timeline;
  }
  for (int key = first; key <= last; ++key) {
    const auto found = months_.find(key);
    timeline.buckets.push_back({month_label(key), found == months_.end() ? 0 : found->second});
  }
  return timeline;
}

}  // namespace vnsearch

namespace vnsearch::query {

std::optional<double> publication_time(const Xapian::Document& document) {
  const std::string value = document.get_value(schema::kSlotTimestamp);
  if (value.empty()) return std::nullopt;
  return Xapian::sortable_unserialise(value);
}

std::string DateSortKey::operator()(const Xapian::Document& document) const {
  std::string value = document.get_value(schema::kSlotTimestamp);
  // sortable_serialise never writes more than 9 bytes, so ten 0xFF bytes sort after any time.
  if (value.empty() && !newest_first_) return std::string(10, '\xFF');
  return value;  // newest first sorts descending: an empty value is already last
}

FreshnessClock::FreshnessClock(const Xapian::Database& db) {
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  const std::string newest = db.get_value_upper_bound(schema::kSlotTimestamp);
  reference_ = newest.empty() ? now : std::min(now, Xapian::sortable_unserialise(newest));
}

double FreshnessClock::multiplier(const Xapian::Document& document, double half_life_days) const {
  const std::optional<double> time = publication_time(document);
  if (!time) return freshness_multiplier(std::nullopt, half_life_days);
  return freshness_multiplier(reference_ - *time, half_life_days);
}

void TimelineSpy::operator()(const Xapian::Document& document, double /*weight*/) {
  counter_.add(publication_time(document));
  ++seen_;
}

}  // namespace vnsearch::query
