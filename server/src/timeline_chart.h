// The search page's time parts: the words of the extra sort orders and the timeline, drawn as a
// small bar chart in inline SVG. The page's Content-Security-Policy allows no inline style or
// script, so the chart uses SVG geometry attributes and classes of /static/style.css only.
#pragma once

#include <string>

#include "messages.h"
#include "vnsearch/time_ranking.h"

namespace vnsearch::server {

/// Words of the time features, in the page's language. Kept beside the chart rather than in
/// Messages so the time features stay in one place.
struct TimeWords {
  const char* sort_oldest;
  const char* sort_fresh;
  const char* timeline;  ///< the chart's caption
  const char* per_month;
  const char* per_year;
  const char* undated;  ///< after the count of matches without a date
};

[[nodiscard]] const TimeWords& time_words(const Messages& messages);

/// `<figure class="timeline">` with one bar per bucket (each with a <title> tooltip naming the
/// period and its count), the first and last period under it, and the undated count; "" for a
/// timeline without dated matches.
[[nodiscard]] std::string timeline_chart(const Timeline& timeline, const Messages& messages);

}  // namespace vnsearch::server
