// The Xapian side of time in search: ordering by publication time with undated articles last in
// both directions, the freshness multiplier of a matched document, and the timeline match spy.
#pragma once

#include <optional>
#include <string>

#include <xapian.h>

#include "vnsearch/time_ranking.h"

namespace vnsearch::query {

/// The publication time (unix seconds) in a document's timestamp slot, or nothing.
[[nodiscard]] std::optional<double> publication_time(const Xapian::Document& document);

/// Sort key for the date orders. Xapian sorts an empty value first in ascending order; undated
/// articles must come last in both orders, so ascending keys of undated documents sort above
/// every serialised time.
class DateSortKey : public Xapian::KeyMaker {
 public:
  explicit DateSortKey(bool newest_first) : newest_first_(newest_first) {}
  std::string operator()(const Xapian::Document& document) const override;

 private:
  bool newest_first_;
};

/// Ages of matches for the freshness boost, measured back from `reference` (unix seconds).
class FreshnessClock {
 public:
  /// The reference time of `db`: its newest dated article, or now when that is in the future
  /// (a mistyped year must not make every real article look old).
  explicit FreshnessClock(const Xapian::Database& db);
  explicit FreshnessClock(double reference) : reference_(reference) {}
  [[nodiscard]] double multiplier(const Xapian::Document& document, double half_life_days) const;

 private:
  double reference_ = 0;
};

/// Counts every match it sees into a timeline (attach it with Enquire::add_matchspy and ask for
/// an exact count, check_at_least = the document count, so it sees the whole match set).
class TimelineSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& document, double weight) override;
  [[nodiscard]] Timeline finish(bool complete) const { return counter_.finish(complete); }
  [[nodiscard]] std::string name() const override { return "vnsearch.TimelineSpy"; }
  /// Matches seen: fewer than match when a time limit stopped the count.
  [[nodiscard]] std::uint64_t seen() const { return seen_; }

 private:
  TimelineCounter counter_;
  std::uint64_t seen_ = 0;
};

}  // namespace vnsearch::query
