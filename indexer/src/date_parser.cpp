// Dates as Vietnamese news sites print them. Every accepted form names the year with four
// digits and puts the day before the month; anything ambiguous or impossible is refused.
#include <chrono>
#include <cstdio>
#include <regex>

#include "text_util.h"
#include "vnsearch/dates.h"

namespace vnsearch {

namespace {

// Building blocks, as ECMAScript regex source. UTF-8 words are matched as plain byte strings.
#define VN_WEEKDAY                                                                                            \
  "(?:(?:Thứ|thứ)\\s+(?:hai|ba|tư|năm|sáu|bảy|Hai|Ba|Tư|Năm|Sáu|Bảy|[2-7])|(?:Chủ|chủ)\\s+" \
  "(?:nhật|Nhật)|CN|T[2-7])\\s*[,-]?\\s*"
#define VN_TIME "(\\d{1,2})[:h](\\d{2})(?::(\\d{2}))?"
#define VN_OFFSET "\\(?\\s*(?:GMT|UTC)\\s*([+-])\\s*(\\d{1,2})(?::?(\\d{2}))?\\s*\\)?"
#define VN_DAY_WORD "(?:[Nn]gày\\s+)?"

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_minutes = kDefaultUtcOffsetMinutes;
};

int to_int(const std::ssub_match& m) {
  return m.matched ? std::stoi(m.str()) : 0;
}

// Reads "+", "7", "30" style groups starting at index `sign`; absent groups keep the default.
void read_offset(const std::smatch& m, std::size_t sign, Fields& f) {
  if (!m[sign].matched) return;
  const int minutes = to_int(m[sign + 1]) * 60 + to_int(m[sign + 2]);
  f.offset_minutes = m[sign].str() == "-" ? -minutes : minutes;
}

std::optional<ParsedDate> build(const Fields& f) {
  using namespace std::chrono;
  // Publication dates outside this range are typos, not history.
  if (f.year < 1900 || f.year > 2199) return std::nullopt;
  const year_month_day ymd{year{f.year}, month{static_cast<unsigned>(f.month)},
                           day{static_cast<unsigned>(f.day)}};
  if (f.month < 1 || f.day < 1 || !ymd.ok()) return std::nullopt;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return std::nullopt;
  if (f.offset_minutes < -14 * 60 || f.offset_minutes > 14 * 60 || f.offset_minutes % 15 != 0) {
    return std::nullopt;
  }
  const std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  ParsedDate out;
  out.unix_seconds =
      days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - std::int64_t{f.offset_minutes} * 60;
  const int offset = f.offset_minutes < 0 ? -f.offset_minutes : f.offset_minutes;
  char text[128];  // room for any int, to keep -Wformat-truncation quiet
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", f.year, f.month,
                f.day, f.hour, f.minute, f.second, f.offset_minutes < 0 ? '-' : '+', offset / 60,
                offset % 60);
  out.iso8601 = text;
  return out;
}

std::optional<ParsedDate> parse_iso(const std::string& s) {
  static const std::regex re(
      "(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d+)?)?)?"
      "\\s*(?:(Z)|([+-])(\\d{2})(?::?(\\d{2}))?)?");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  Fields f{to_int(m[1]), to_int(m[2]), to_int(m[3]), to_int(m[4]), to_int(m[5]), to_int(m[6])};
  if (m[7].matched) f.offset_minutes = 0;
  read_offset(m, 8, f);
  return build(f);
}

// "Thứ tư, 7/2/2024, 23:41 (GMT+7)", "16/11/2020", "16-11-2020 08:30".
std::optional<ParsedDate> parse_day_first(const std::string& s) {
  static const std::regex re("(?:" VN_WEEKDAY ")?" VN_DAY_WORD
                             "(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4})"
                             "(?:\\s*[,|-]?\\s*(?:lúc\\s+)?" VN_TIME
                             ")?"
                             "(?:\\s*" VN_OFFSET ")?");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  Fields f{to_int(m[4]), to_int(m[3]), to_int(m[1]), to_int(m[5]), to_int(m[6]), to_int(m[7])};
  read_offset(m, 8, f);
  return build(f);
}

// "08:30 16/11/2020", "23:41, Thứ tư, 7/2/2024 (GMT+7)".
std::optional<ParsedDate> parse_time_first(const std::string& s) {
  static const std::regex re(VN_TIME "\\s*[,|-]?\\s*(?:" VN_WEEKDAY ")?" VN_DAY_WORD
                                     "(\\d{1,2})([/.-])(\\d{1,2})\\5(\\d{4})"
                                     "(?:\\s*" VN_OFFSET ")?");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  Fields f{to_int(m[7]), to_int(m[6]), to_int(m[4]), to_int(m[1]), to_int(m[2]), to_int(m[3])};
  read_offset(m, 8, f);
  return build(f);
}

// "ngày 16 tháng 11 năm 2020", optionally after a weekday and before a time.
std::optional<ParsedDate> parse_words(const std::string& s) {
  static const std::regex re("(?:" VN_WEEKDAY
                             ")?[Nn]gày\\s+(\\d{1,2})\\s+(?:tháng|Tháng)\\s+"
                             "(\\d{1,2})\\s+(?:năm|Năm)\\s+(\\d{4})"
                             "(?:\\s*[,|-]?\\s*(?:lúc\\s+)?" VN_TIME ")?");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  Fields f{to_int(m[3]), to_int(m[2]), to_int(m[1]), to_int(m[4]), to_int(m[5]), to_int(m[6])};
  return build(f);
}

}  // namespace

std::optional<ParsedDate> parse_date(std::string_view text) {
  // Scraped dates come with no-break spaces and stray line breaks; 200 bytes is plenty for any
  // date and keeps the backtracking regex engine away from huge inputs.
  if (text.size() > 200) return std::nullopt;
  const std::string s = detail::collapse_whitespace(text);
  if (s.empty()) return std::nullopt;
  for (auto* parse : {parse_iso, parse_day_first, parse_time_first, parse_words}) {
    if (auto date = parse(s)) return date;
  }
  return std::nullopt;
}

std::optional<ParsedDate> find_date(std::string_view text) {
  // Candidates: an optional time, a numeric or ISO date, an optional time and GMT offset; or a
  // date in words. Each candidate is then validated by parse_date().
  static const std::regex numeric(
      "(?:^|[^0-9])((?:\\d{1,2}[:h]\\d{2}(?::\\d{2})?\\s*[,|-]?\\s*(?:ngày\\s+)?)?"
      "(?:\\d{1,2}([/.-])\\d{1,2}\\2\\d{4}"
      "|\\d{4}-\\d{2}-\\d{2}(?:[T "
      "]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?)"
      "(?:\\s*[,|-]?\\s*(?:lúc\\s+)?\\d{1,2}[:h]\\d{2}(?::\\d{2})?)?"
      "(?:\\s*\\(?\\s*(?:GMT|UTC)\\s*[+-]\\s*\\d{1,2}(?::?\\d{2})?\\s*\\)?)?)(?:$|[^0-9])");
  static const std::regex words(
      "[Nn]gày\\s+\\d{1,2}\\s+(?:tháng|Tháng)\\s+\\d{1,2}\\s+(?:năm|Năm)\\s+\\d{4}");
  const std::string s = detail::collapse_whitespace(text);

  std::optional<ParsedDate> best;
  std::size_t best_pos = std::string::npos;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), numeric); it != std::sregex_iterator();
       ++it) {
    if (auto date = parse_date((*it)[1].str())) {
      best = date;
      best_pos = static_cast<std::size_t>(it->position(1));
      break;
    }
  }
  for (auto it = std::sregex_iterator(s.begin(), s.end(), words); it != std::sregex_iterator();
       ++it) {
    if (static_cast<std::size_t>(it->position()) > best_pos) break;
    if (auto date = parse_date(it->str())) return date;
  }
  return best;
}

}  // namespace vnsearch
