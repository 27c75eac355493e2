// Plain-text pages as scraped from news portals: a section header (often printed twice), the
// title, the article, sometimes a byline in parentheses, then whatever the site prints around
// articles (visit counters, menu links, section headers). The boilerplate is recognized by the
// shape of its lines, never by their words, so other portals of the same kind read the same way.
#include <regex>

#include "format_readers.h"
#include "text_util.h"
#include "vnsearch/dates.h"

namespace vnsearch::detail {

namespace {

// Lines of at most this many words, ending without sentence punctuation, read as menu links.
constexpr std::size_t kLinkLikeMaxWords = 10;
// A byline is short; a parenthesized paragraph longer than this is part of the article.
constexpr std::size_t kBylineMaxWords = 8;
// A date line, when a page has one, sits within the first few lines under the title.
constexpr std::size_t kDateSearchLines = 3;

std::size_t word_count(std::string_view line) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : line) {
    const bool space = c == ' ';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// "X X": templates print a section name twice (visible heading + hidden accessible copy).
std::optional<std::string> doubled_half(std::string_view line) {
  if (line.size() < 3 || line.size() % 2 == 0) return std::nullopt;
  const std::size_t half = line.size() / 2;
  if (line[half] != ' ' || line.substr(0, half) != line.substr(half + 1)) return std::nullopt;
  return std::string(line.substr(0, half));
}

// "Label: 12345" or "12.345" alone: hit counters and statistics boxes.
bool is_counter(const std::string& line) {
  // The label has no digits, so a time such as "16/11/2020 08:30" is not a counter.
  static const std::regex re("(?:[^:0-9]{1,40}:\\s*)?[0-9][0-9., ]*");
  return std::regex_match(line, re);
}

bool ends_sentence(std::string_view line) {
  for (std::string_view end :
       {".", "!", "?", ":", ";", "\"", ")", "\xE2\x80\x9D", "\xE2\x80\xA6"}) {
    if (line.ends_with(end)) return true;  // ” and … are the UTF-8 closers used above
  }
  return false;
}

bool is_link_like(std::string_view line) {
  return word_count(line) <= kLinkLikeMaxWords && !ends_sentence(line);
}

bool is_boilerplate(const std::string& line) {
  return doubled_half(line).has_value() || is_counter(line);
}

// "(Đội Tuyên truyền)" on a line of its own.
std::optional<std::string> byline(std::string_view line) {
  if (line.size() < 3 || line.front() != '(' || line.back() != ')') return std::nullopt;
  const std::string_view inner = line.substr(1, line.size() - 2);
  if (inner.find_first_of("()") != std::string_view::npos) return std::nullopt;
  if (word_count(inner) == 0 || word_count(inner) > kBylineMaxWords) return std::nullopt;
  return collapse_whitespace(inner);
}

std::vector<std::string> non_blank_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string line = collapse_whitespace(text.substr(0, end));
    if (!line.empty()) lines.push_back(std::move(line));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

}  // namespace

Document parse_portal_page(std::string_view text, std::vector<PageIssue>& issues) {
  Document document;
  const std::vector<std::string> lines = non_blank_lines(text);
  std::size_t i = 0;

  // The section header: a doubled line, or the same line twice in a row.
  if (i < lines.size()) {
    if (auto half = doubled_half(lines[i])) {
      document.category = std::move(*half);
      ++i;
    } else if (i + 1 < lines.size() && lines[i] == lines[i + 1] && is_link_like(lines[i])) {
      document.category = lines[i];
      i += 2;
    }
  }
  while (i < lines.size() && is_boilerplate(lines[i])) ++i;
  if (i < lines.size()) document.title = lines[i++];
  if (document.title.empty()) issues.push_back({"title", "no title line found"});

  // The article runs to the byline, or else to the first boilerplate line.
  std::size_t end = i;
  while (end < lines.size() && !is_boilerplate(lines[end])) {
    if (auto author = byline(lines[end])) {
      document.author = std::move(*author);
      break;
    }
    ++end;
  }
  // Without a byline, menu links may sit between the article and the first boilerplate line.
  if (document.author.empty()) {
    while (end > i && is_link_like(lines[end - 1])) --end;
  }

  for (std::size_t k = i; k < end; ++k) {
    if (document.date.empty() && k < i + kDateSearchLines && is_link_like(lines[k])) {
      if (auto date = find_date(lines[k])) {
        document.date = std::move(date->iso8601);
        document.timestamp = date->unix_seconds;
        continue;  // a date line is metadata, not text
      }
    }
    if (!document.body.empty()) document.body += '\n';
    document.body += lines[k];
  }
  if (document.body.empty()) issues.push_back({"body", "no article text found"});
  return document;
}

}  // namespace vnsearch::detail
