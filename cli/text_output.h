// The parts of `vnsearch search`'s text output that are for people rather than programs: dates
// in Vietnamese form, snippets with the matches in bold (on a terminal) or in «…» (piped), and
// the timeline as a histogram. Everything taken from the index passes through printable().
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "vnsearch/search.h"

namespace vnsearch::cli {

/// How matches are marked in text output.
struct TextStyle {
  bool bold = false;  ///< ANSI bold; otherwise «…»
};

/// Bold when stdout is a terminal that can show it: not when piped or redirected, not with
/// NO_COLOR set (https://no-color.org) and not on TERM=dumb.
[[nodiscard]] TextStyle style_for_stdout();

/// `ngày 12/3/2024` for an ISO date `2024-03-12...` (the date as published, in the article's
/// own time zone); the text itself (made printable) when it is not an ISO date.
[[nodiscard]] std::string vietnamese_date(std::string_view iso);

/// The snippet as plain text with its matches marked per `style`: no HTML, no entities.
[[nodiscard]] std::string terminal_snippet(const Snippet& snippet, const TextStyle& style);

/// The timeline as one line per period, `2024-03  ██████ 12`, bars scaled to the largest count
/// (at most kTimelineBarWidth cells; a period with any match gets at least one).
inline constexpr std::size_t kTimelineBarWidth = 40;
void print_timeline(std::ostream& out, const Timeline& timeline);

}  // namespace vnsearch::cli
