// Dates as news sites print them: every accepted form, and the refusals that keep us from
// guessing.
#include <catch2/catch.hpp>

#include "vnsearch/dates.h"

using vnsearch::find_date;
using vnsearch::parse_date;

namespace {

std::string iso(std::string_view text) {
  const auto date = parse_date(text);
  return date ? date->iso8601 : "unparseable";
}

}  // namespace

TEST_CASE("ISO 8601 with offset keeps the offset", "[dates]") {
  const auto date = parse_date("2024-02-07T23:41:00+07:00");
  REQUIRE(date);
  CHECK(date->iso8601 == "2024-02-07T23:41:00+07:00");
  CHECK(date->unix_seconds == 1707324060);  // 2024-02-07T16:41:00Z
}

TEST_CASE("ISO 8601 variants", "[dates]") {
  CHECK(iso("2024-02-07") == "2024-02-07T00:00:00+07:00");
  CHECK(iso("2024-02-07 23:41") == "2024-02-07T23:41:00+07:00");
  CHECK(iso("2024-02-07T16:41:00Z") == "2024-02-07T16:41:00+00:00");
  CHECK(iso("2024-02-07T16:41:00.123Z") == "2024-02-07T16:41:00+00:00");
  CHECK(iso("2024-02-07T09:41:00-0500") == "2024-02-07T09:41:00-05:00");
  CHECK(parse_date("2024-02-07T16:41:00Z")->unix_seconds ==
        parse_date("2024-02-07T23:41:00+07:00")->unix_seconds);
}

TEST_CASE("Vietnamese weekday, day/month/year, time and GMT offset", "[dates]") {
  const auto date = parse_date("Thứ tư, 7/2/2024, 23:41 (GMT+7)");
  REQUIRE(date);
  CHECK(date->iso8601 == "2024-02-07T23:41:00+07:00");
  CHECK(date->unix_seconds == 1707324060);
  CHECK(iso("Chủ nhật, 11/2/2024, 08:05 (GMT+7)") == "2024-02-11T08:05:00+07:00");
  CHECK(iso("Thứ Hai, 12/02/2024 - 10:15") == "2024-02-12T10:15:00+07:00");
}

TEST_CASE("Day-first numeric dates put the day before the month", "[dates]") {
  CHECK(iso("16/11/2020") == "2020-11-16T00:00:00+07:00");
  CHECK(iso("16-11-2020 08:30") == "2020-11-16T08:30:00+07:00");
  CHECK(iso("3/4/2021") == "2021-04-03T00:00:00+07:00");  // 3 April, not March 4
  CHECK(iso("08:30 16/11/2020") == "2020-11-16T08:30:00+07:00");
  CHECK(iso("16/11/2020 08h30") == "2020-11-16T08:30:00+07:00");
  CHECK(iso("  16/11/2020\xC2\xA0 08:30 ") == "2020-11-16T08:30:00+07:00");  // no-break space
}

TEST_CASE("Dates written in words", "[dates]") {
  CHECK(iso("ngày 16 tháng 11 năm 2020") == "2020-11-16T00:00:00+07:00");
  CHECK(iso("Ngày 2 tháng 9 năm 2023") == "2023-09-02T00:00:00+07:00");
  CHECK(iso("Thứ hai, ngày 16 tháng 11 năm 2020") == "2020-11-16T00:00:00+07:00");
}

TEST_CASE("Impossible dates are refused, not corrected", "[dates]") {
  CHECK(iso("31/2/2024") == "unparseable");
  CHECK(iso("29/2/2023") == "unparseable");  // 2023 is not a leap year
  CHECK(iso("29/2/2024") == "2024-02-29T00:00:00+07:00");
  CHECK(iso("2024-13-01") == "unparseable");
  CHECK(iso("2024-02-30") == "unparseable");
  CHECK(iso("0/1/2024") == "unparseable");
  CHECK(iso("16/11/2020 25:00") == "unparseable");
  CHECK(iso("16/11/2020 23:60") == "unparseable");
  CHECK(iso("ngày 31 tháng 4 năm 2020") == "unparseable");
  CHECK(iso("2024-02-07T10:00:00+15:00") == "unparseable");
}

TEST_CASE("Ambiguous or incomplete text is refused", "[dates]") {
  CHECK(iso("") == "unparseable");
  CHECK(iso("hôm qua") == "unparseable");
  CHECK(iso("16/11") == "unparseable");     // no year: never guessed
  CHECK(iso("16/11/20") == "unparseable");  // two-digit year
  CHECK(iso("2020/11/16") == "unparseable");
  CHECK(iso("16/11-2020") == "unparseable");  // mixed separators
  CHECK(iso("1700-01-01") == "unparseable");  // not a publication date
  CHECK(iso(std::string(1000, '1')) == "unparseable");
}

TEST_CASE("find_date picks a date out of running text", "[dates]") {
  auto found = find_date("Cập nhật lúc 08:30 16/11/2020 | Thời sự");
  REQUIRE(found);
  CHECK(found->iso8601 == "2020-11-16T08:30:00+07:00");
  found = find_date("Tin tức | Thứ tư, 7/2/2024, 23:41 (GMT+7) | Thế giới");
  REQUIRE(found);
  CHECK(found->iso8601 == "2024-02-07T23:41:00+07:00");
  found = find_date("Hà Nội, ngày 16 tháng 11 năm 2020");
  REQUIRE(found);
  CHECK(found->iso8601 == "2020-11-16T00:00:00+07:00");
  // An impossible date is skipped in favour of the next good one.
  found = find_date("31/2/2024 rồi 1/3/2024");
  REQUIRE(found);
  CHECK(found->iso8601 == "2024-03-01T00:00:00+07:00");
  CHECK_FALSE(find_date("Sáng ngày 16/11, tại hội trường"));
  CHECK_FALSE(find_date("mã số 123/45/67890"));
}
