// Time on the server: sort=newest|oldest|fresh and half_life= on /api/search, timeline=1 in its
// JSON, and the search page's sort links and timeline bar chart (inline SVG under the page's
// Content-Security-Policy: no inline style, no script).
#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <string>

#include "server_fixture.h"

namespace {

std::uint64_t bucket_sum(const json& timeline) {
  std::uint64_t sum = 0;
  for (const auto& bucket : timeline["buckets"]) sum += bucket["count"].get<std::uint64_t>();
  return sum;
}

}  // namespace

TEST_CASE("sort=newest|oldest|fresh and half_life on /api/search", "[server][time]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const std::string zebra = "/api/search?" + kZebraQuery + "&per_page=30";
  const json newest = body_json(client.Get(zebra + "&sort=newest"));
  const json oldest = body_json(client.Get(zebra + "&sort=oldest"));
  // 26 dated zebra articles and one undated corpus article that mentions them.
  REQUIRE(newest["hits"].size() == 27);
  REQUIRE(oldest["hits"].size() == 27);
  CHECK(newest["hits"][26]["date"] == "");
  CHECK(oldest["hits"][26]["date"] == "");
  CHECK(newest["sort"] == "newest");
  CHECK(oldest["sort"] == "oldest");
  for (std::size_t i = 1; i < 26; ++i) {  // the dated ones
    CHECK(newest["hits"][i - 1]["date"].get<std::string>() >=
          newest["hits"][i]["date"].get<std::string>());
    CHECK(oldest["hits"][i - 1]["date"].get<std::string>() <=
          oldest["hits"][i]["date"].get<std::string>());
  }
  CHECK(hit_ids(body_json(client.Get(zebra + "&sort=date"))) == hit_ids(newest));
  // Filters hold in every order.
  const json odd_oldest =
      body_json(client.Get(zebra + "&sort=oldest&source=B%C3%A1o%20L%E1%BA%BB"));
  CHECK(odd_oldest["hits"].size() == 12);
  for (const auto& hit : odd_oldest["hits"]) CHECK(hit["source"] == "Báo Lẻ");

  // The zebras are equally relevant: with a year's half-life the newest (2019) come first.
  const json fresh = body_json(client.Get(zebra + "&sort=fresh&half_life=365"));
  CHECK(fresh["sort"] == "fresh");
  REQUIRE(fresh["hits"].size() == 27);
  auto first_five_2019 = [](const json& body) {
    for (std::size_t i = 0; i < 5; ++i) {
      if (body["hits"][i]["date"].get<std::string>().rfind("2019", 0) != 0) return false;
    }
    return true;
  };
  CHECK(first_five_2019(fresh));
  CHECK_FALSE(first_five_2019(body_json(client.Get(zebra))));
  for (std::size_t i = 1; i < 27; ++i) {
    CHECK(fresh["hits"][i - 1]["score"].get<double>() >= fresh["hits"][i]["score"].get<double>());
  }

  check_error(client.Get(zebra + "&sort=sideways"), 400, "bad_parameter");
  for (const char* bad : {"0", "-3", "abc", "1e3", "36501", ".5", "1..2"}) {
    INFO(bad);
    check_error(client.Get(zebra + "&sort=fresh&half_life=" + bad), 400, "bad_parameter");
  }
  CHECK(body_json(client.Get(zebra + "&sort=fresh&half_life=0.5"))["hits"].size() == 27);
}

TEST_CASE("timeline=1 on /api/search counts the whole match set", "[server][time]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const json body = body_json(client.Get("/api/search?" + kZebraQuery + "&per_page=3&timeline=1"));
  REQUIRE(body["hits"].size() == 3);
  const json& timeline = body["timeline"];
  REQUIRE(timeline.is_object());
  CHECK(timeline["unit"] == "year");  // 2015..2021
  CHECK(timeline["buckets"].front()["period"] == "2015");
  CHECK(timeline["buckets"].back()["period"] == "2021");
  CHECK(timeline["buckets"].size() == 7);
  CHECK(timeline["total"] == 27);
  CHECK(timeline["total"] == body["total"]["value"]);
  CHECK(timeline["undated"] == 1);
  CHECK(bucket_sum(timeline) == 26);
  CHECK(timeline["complete"] == true);
  // 2015: zebras 0, 5, 10, 15, 20.
  CHECK(timeline["buckets"][0]["count"] == 5);

  const json monthly =
      body_json(client.Get("/api/search?" + kZebraQuery + "&timeline=1&year=2016"));
  CHECK(monthly["timeline"]["unit"] == "month");
  CHECK(bucket_sum(monthly["timeline"]) == 5);

  CHECK_FALSE(body_json(client.Get("/api/search?" + kZebraQuery)).contains("timeline"));
  check_error(client.Get("/api/search?" + kZebraQuery + "&timeline=yes"), 400, "bad_parameter");
}

TEST_CASE("the page draws the timeline as SVG bars and links every sort order",
          "[server][page][time]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const auto page = client.Get("/?" + kZebraQuery);
  REQUIRE(page);
  const std::string& html = page->body;
  CHECK(page->get_header_value("Content-Security-Policy").find("style-src 'self'") !=
        std::string::npos);
  const std::size_t figure = html.find("<figure class=\"timeline\">");
  REQUIRE(figure != std::string::npos);
  const std::string chart = html.substr(figure, html.find("</figure>", figure) - figure);
  INFO(chart);
  CHECK(count_of(chart, "<rect class=\"bar\"") == 7);  // one bar per year 2015..2021
  CHECK(contains(chart, "<title>2015: 5</title>"));
  CHECK(contains(chart, "<figcaption>Số kết quả theo thời gian (mỗi năm)</figcaption>"));
  CHECK(contains(chart, "<span>2015</span>"));
  CHECK(contains(chart, "<span>2021</span>"));
  CHECK(contains(chart, "<span>1 không rõ ngày</span>"));  // the undated match, apart
  // The Content-Security-Policy forbids inline style and script: the chart uses neither.
  CHECK_FALSE(contains(chart, "style="));
  CHECK_FALSE(contains(chart, "<script"));
  CHECK_FALSE(contains(chart, "<style"));
  // The tallest bar (2015, five) fills the height; an empty period has none.
  CHECK(std::regex_search(chart, std::regex("height=\"60\"><title>2015: 5</title>")));

  CHECK(contains(html, "sort=date\">Mới nhất</a>"));
  CHECK(contains(html, "sort=oldest\">Cũ nhất</a>"));
  CHECK(contains(html, "sort=fresh\">Liên quan và mới</a>"));
  const auto fresh = client.Get("/?" + kZebraQuery + "&sort=fresh&half_life=7&hl=en");
  REQUIRE(fresh);
  CHECK(contains(fresh->body, "<span aria-current=\"true\">Relevant and recent</span>"));
  CHECK(contains(fresh->body, "name=\"half_life\" value=\"7\""));  // kept for the next query
  CHECK(contains(fresh->body, "Matches over time (per year)"));
  const auto newest = client.Get("/?" + kZebraQuery + "&sort=newest");
  REQUIRE(newest);
  CHECK(contains(newest->body, "<span aria-current=\"true\">Mới nhất</span>"));
  const auto none = client.Get("/?q=zzqxnothing");
  REQUIRE(none);
  CHECK_FALSE(contains(none->body, "<figure class=\"timeline\">"));
  // The stylesheet colours the bars.
  const auto style = client.Get("/static/style.css");
  REQUIRE(style);
  CHECK(contains(style->body, ".timeline .bar{fill:"));
}
