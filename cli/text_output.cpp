#include "text_output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "output.h"

namespace vnsearch::cli {

TextStyle style_for_stdout() {
  TextStyle style;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  style.bold = ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0') &&
               (term == nullptr || std::strcmp(term, "dumb") != 0);
  return style;
}

std::string vietnamese_date(std::string_view iso) {
  auto digits = [&](std::size_t at, std::size_t count) {
    if (iso.size() < at + count) return false;
    return std::all_of(iso.begin() + at, iso.begin() + at + count,
                       [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  if (!digits(0, 4) || !digits(5, 2) || !digits(8, 2) || iso[4] != '-' || iso[7] != '-') {
    return printable(iso);
  }
  const int month = std::stoi(std::string(iso.substr(5, 2)));
  const int day = std::stoi(std::string(iso.substr(8, 2)));
  if (month < 1 || month > 12 || day < 1 || day > 31) return printable(iso);
  // Vietnamese writes day/month/year without leading zeros: "ngày 12/3/2024".
  return "ngày " + std::to_string(day) + "/" + std::to_string(month) + "/" +
         std::string(iso.substr(0, 4));
}

std::string terminal_snippet(const Snippet& snippet, const TextStyle& style) {
  // SGR 22 ends bold without resetting anything else the terminal had on.
  const std::string open = style.bold ? "\x1b[1m" : "«";
  const std::string close = style.bold ? "\x1b[22m" : "»";
  const std::vector<SnippetPiece> pieces = snippet_pieces(snippet);
  // Words matched side by side read as one phrase: «thi đua», not «thi» «đua».
  auto inside = [&](std::size_t i) {
    if (pieces[i].match) return true;
    const bool blank = pieces[i].text.find_first_not_of(' ') == std::string_view::npos;
    return blank && i > 0 && i + 1 < pieces.size() && pieces[i - 1].match && pieces[i + 1].match;
  };
  std::string out;
  bool marked = false;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool in = inside(i);
    if (in != marked) out += in ? open : close;
    marked = in;
    // The marks go around printable text, so only they can reach the terminal as codes.
    out += printable(pieces[i].text);
  }
  if (marked) out += close;
  return out;
}

void print_timeline(std::ostream& out, const Timeline& timeline) {
  const std::uint64_t dated = timeline.total - timeline.undated;
  out << "\ntimeline (per " << timeline.unit << ", "
      << counted(dated, "dated match", "dated matches");
  if (timeline.undated > 0) out << "; " << timeline.undated << " undated";
  if (!timeline.complete) out << "; stopped early, counts are a lower bound";
  out << "):\n";
  std::uint64_t largest = 0;
  for (const TimelineBucket& bucket : timeline.buckets) largest = std::max(largest, bucket.count);
  for (const TimelineBucket& bucket : timeline.buckets) {
    std::size_t cells = 0;
    if (bucket.count > 0) {
      cells = std::max<std::size_t>(
          1, static_cast<std::size_t>(bucket.count * kTimelineBarWidth / largest));
    }
    std::string bar;
    for (std::size_t i = 0; i < cells; ++i) bar += "█";
    out << "  " << bucket.period << "  " << bar << (bar.empty() ? "" : " ") << bucket.count << "\n";
  }
}

}  // namespace vnsearch::cli
