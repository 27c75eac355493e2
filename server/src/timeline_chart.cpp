#include "timeline_chart.h"

#include <algorithm>
#include <cstdio>

#include "html.h"

namespace vnsearch::server {

namespace {

// Geometry in SVG user units; CSS stretches the drawing to the column's width.
constexpr int kBarWidth = 10;
constexpr int kGap = 2;
constexpr int kHeight = 60;

}  // namespace

const TimeWords& time_words(const Messages& messages) {
  static const TimeWords vi{"Cũ nhất",   "Liên quan và mới", "Số kết quả theo thời gian",
                            "mỗi tháng", "mỗi năm",          "không rõ ngày"};
  static const TimeWords en{
      "Oldest", "Relevant and recent", "Matches over time", "per month", "per year", "undated"};
  return std::string(messages.lang) == "vi" ? vi : en;
}

std::string timeline_chart(const Timeline& timeline, const Messages& messages) {
  if (timeline.buckets.empty()) return "";
  const TimeWords& words = time_words(messages);
  std::uint64_t largest = 0;
  for (const TimelineBucket& bucket : timeline.buckets) largest = std::max(largest, bucket.count);
  const int width = static_cast<int>(timeline.buckets.size()) * (kBarWidth + kGap) - kGap;
  const std::string unit = timeline.unit == "year" ? words.per_year : words.per_month;
  const std::string caption = std::string(words.timeline) + " (" + unit + ")";
  std::string out = "<figure class=\"timeline\">\n<figcaption>" + escape_html(caption) +
                    "</figcaption>\n<svg role=\"img\" aria-label=\"" + escape_html(caption) +
                    "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(kHeight) +
                    "\" preserveAspectRatio=\"none\">\n";
  int x = 0;
  for (const TimelineBucket& bucket : timeline.buckets) {
    // A period with any match shows at least a visible sliver (2 of 60 units, about 2 px), so
    // it is told apart from an empty one.
    int height = 0;
    if (bucket.count > 0) {
      height = std::max(2, static_cast<int>(bucket.count * kHeight / largest));
    }
    out += "<rect class=\"bar\" x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(kHeight - height) + "\" width=\"" + std::to_string(kBarWidth) +
           "\" height=\"" + std::to_string(height) + "\"><title>" + escape_html(bucket.period) +
           ": " + format_count(bucket.count, messages.thousands) + "</title></rect>\n";
    x += kBarWidth + kGap;
  }
  out += "</svg>\n<p class=\"timeline-range\"><span>" +
         escape_html(timeline.buckets.front().period) + "</span>";
  if (timeline.undated > 0) {
    out += "<span>" + format_count(timeline.undated, messages.thousands) + " " +
           escape_html(words.undated) + "</span>";
  }
  out += "<span>" + escape_html(timeline.buckets.back().period) + "</span></p>\n</figure>\n";
  return out;
}

}  // namespace vnsearch::server
