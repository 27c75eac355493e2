// Time in search, through the library: the four orders (relevance, newest, oldest, fresh) with
// undated articles last in date orders and neutral under freshness, filters honoured by every
// order, and the timeline counting the whole match set per month or year in Vietnam time.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;

json article(const std::string& id, const std::string& date, const std::string& source,
             const std::string& body) {
  json doc = {{"id", id}, {"title", "Tin " + id}, {"body", body}, {"source", source}};
  if (!date.empty()) doc["date"] = date;
  return doc;
}

// Articles about a unicorn ("kỳ lân") over five years and two sources, two of them undated;
// k-2020 says it three times (the most relevant), k-2024b once and is the newest.
std::vector<json> unicorn_articles() {
  return {
      article("k-2019", "2019-03-03T09:00:00+07:00", "Báo A", "Người dân kể về kỳ lân năm đó."),
      article("k-2020", "2020-01-01T09:00:00+07:00", "Báo B",
              "Kỳ lân, kỳ lân và lại kỳ lân trong rừng."),
      article("k-2023", "2023-01-15T09:00:00+07:00", "Báo A", "Một bức tranh kỳ lân được bán."),
      article("k-2024a", "2024-06-01T09:00:00+07:00", "Báo B", "Lễ hội có múa kỳ lân rực rỡ."),
      article("k-2024b", "2024-06-20T09:00:00+07:00", "Báo A", "Có một con kỳ lân trong rừng."),
      article("k-u1", "", "Báo A", "Truyện cổ tích về kỳ lân trắng."),
      article("k-u2", "", "Báo B", "Hình kỳ lân trên mái đình làng."),
      // Either side of a month's end in Vietnam time: 29 Feb 23:30 and 1 Mar 00:30 (+07:00),
      // both still 29 February in UTC.
      article("b-feb", "2024-02-29T23:30:00+07:00", "Báo A", "Đi qua ranh giới tỉnh."),
      article("b-mar", "2024-03-01T00:30:00+07:00", "Báo A", "Vượt ranh giới tỉnh."),
  };
}

class TimeIndex {
 public:
  TimeIndex() : dir_("vnsearch-time") {
    std::string text;
    for (const json& doc : unicorn_articles()) text += doc.dump() + "\n";
    const fs::path input = dir_.write("input.jsonl", text);
    vnsearch::IndexOptions options;
    options.analysis_threads = 1;
    const fs::path inputs[] = {input};
    vnsearch::index_paths(dir_ / "db", inputs, options,
                          [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; },
                          {});
  }
  vnsearch::Searcher& searcher() {
    if (!searcher_) searcher_ = std::make_unique<vnsearch::Searcher>(dir_ / "db");
    return *searcher_;
  }

 private:
  vnsearch::test::TempDir dir_;
  std::unique_ptr<vnsearch::Searcher> searcher_;
};

TimeIndex& time_index() {
  static TimeIndex index;
  return index;
}

vnsearch::SearchResult search(const std::string& query, vnsearch::SearchSort sort,
                              vnsearch::SearchOptions options = {}) {
  options.sort = sort;
  options.limit = 50;
  return time_index().searcher().search(query, options);
}

std::vector<std::string> ids(const vnsearch::SearchResult& result) {
  std::vector<std::string> out;
  for (const auto& hit : result.hits) out.push_back(hit.id);
  return out;
}

std::size_t rank_of(const vnsearch::SearchResult& result, const std::string& id) {
  const auto list = ids(result);
  return static_cast<std::size_t>(std::find(list.begin(), list.end(), id) - list.begin());
}

std::map<std::string, std::uint64_t> buckets(const vnsearch::Timeline& timeline) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& bucket : timeline.buckets) out[bucket.period] = bucket.count;
  return out;
}

// Unix seconds of the ISO dates above (all +07:00).
double unix_time(const std::string& iso) {
  std::tm tm{};
  tm.tm_year = std::stoi(iso.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(iso.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(iso.substr(8, 2));
  tm.tm_hour = std::stoi(iso.substr(11, 2));
  tm.tm_min = std::stoi(iso.substr(14, 2));
  return static_cast<double>(timegm(&tm)) - 7 * 3600;
}

}  // namespace

using vnsearch::SearchSort;

TEST_CASE("sort names as the CLI and the API spell them", "[time]") {
  CHECK(vnsearch::sort_from_name("relevance") == SearchSort::kRelevance);
  CHECK(vnsearch::sort_from_name("newest") == SearchSort::kDate);
  CHECK(vnsearch::sort_from_name("date") == SearchSort::kDate);
  CHECK(vnsearch::sort_from_name("oldest") == SearchSort::kOldest);
  CHECK(vnsearch::sort_from_name("fresh") == SearchSort::kFreshness);
  CHECK_FALSE(vnsearch::sort_from_name("Newest"));
  CHECK_FALSE(vnsearch::sort_from_name(""));
}

TEST_CASE("newest and oldest order by date with undated articles last", "[time][sort]") {
  const auto newest = search("kỳ lân", SearchSort::kDate);
  REQUIRE(newest.hits.size() == 7);
  const auto newest_ids = ids(newest);
  CHECK(std::vector<std::string>(newest_ids.begin(), newest_ids.begin() + 5) ==
        std::vector<std::string>{"k-2024b", "k-2024a", "k-2023", "k-2020", "k-2019"});
  const auto oldest = search("kỳ lân", SearchSort::kOldest);
  REQUIRE(oldest.hits.size() == 7);
  const auto oldest_ids = ids(oldest);
  CHECK(std::vector<std::string>(oldest_ids.begin(), oldest_ids.begin() + 5) ==
        std::vector<std::string>{"k-2019", "k-2020", "k-2023", "k-2024a", "k-2024b"});
  for (const auto* result : {&newest, &oldest}) {
    CHECK(result->hits[5].date.empty());
    CHECK(result->hits[6].date.empty());
    CHECK(result->exact_count);
    CHECK(result->estimated_matches == 7);
  }
  // Paging through the oldest-first order gives the same sequence.
  vnsearch::SearchOptions page;
  page.limit = 3;
  page.offset = 3;
  page.sort = SearchSort::kOldest;
  const auto second = time_index().searcher().search("kỳ lân", page);
  CHECK(ids(second) == std::vector<std::string>(oldest_ids.begin() + 3, oldest_ids.begin() + 6));
}

TEST_CASE("date orders honour filters from the query and from options", "[time][sort]") {
  vnsearch::SearchOptions only_a;
  only_a.filters.sources = {"báo a"};  // matched however it is typed
  CHECK(ids(search("kỳ lân", SearchSort::kDate, only_a)) ==
        std::vector<std::string>{"k-2024b", "k-2023", "k-2019", "k-u1"});
  CHECK(ids(search("kỳ lân", SearchSort::kOldest, only_a)) ==
        std::vector<std::string>{"k-2019", "k-2023", "k-2024b", "k-u1"});
  // A date range leaves the undated out.
  CHECK(ids(search("kỳ lân date:2020..2023", SearchSort::kOldest)) ==
        std::vector<std::string>{"k-2020", "k-2023"});
  const auto without = ids(search("kỳ lân -rừng", SearchSort::kDate));
  REQUIRE(without.size() == 5);
  CHECK(std::vector<std::string>(without.begin(), without.begin() + 3) ==
        std::vector<std::string>{"k-2024a", "k-2023", "k-2019"});
  // Unaccented, the query is restored and still ordered by date.
  const auto unaccented = ids(search("ky lan", SearchSort::kOldest));
  REQUIRE(unaccented.size() >= 5);
  CHECK(unaccented.front() == "k-2019");
}

TEST_CASE("the freshness multiplier is the documented decay", "[time][fresh]") {
  using vnsearch::freshness_multiplier;
  CHECK(freshness_multiplier(0.0, 30) == Approx(2.0));
  CHECK(freshness_multiplier(30 * 86400.0, 30) == Approx(1.5));
  CHECK(freshness_multiplier(60 * 86400.0, 30) == Approx(1.25));
  CHECK(freshness_multiplier(-5 * 86400.0, 30) == Approx(2.0));  // dated after the reference
  CHECK(freshness_multiplier(std::nullopt, 30) == 1.0);          // undated: neutral
  CHECK(freshness_multiplier(1e10, 30) == Approx(1.0));
  CHECK(freshness_multiplier(30 * 86400.0, 0) ==  // clamped to the shortest half-life
        Approx(1.0 + std::exp2(-30.0 / vnsearch::Freshness::kMinHalfLifeDays)));
}

TEST_CASE("fresh multiplies relevance by the decay: new articles rise, undated stay neutral",
          "[time][fresh]") {
  const auto relevance = search("kỳ lân", SearchSort::kRelevance);
  REQUIRE(relevance.hits.size() == 7);
  CHECK(rank_of(relevance, "k-2020") < rank_of(relevance, "k-2024b"));

  vnsearch::SearchOptions month;
  month.half_life_days = 30;
  const auto fresh = search("kỳ lân", SearchSort::kFreshness, month);
  REQUIRE(fresh.hits.size() == 7);
  CHECK(rank_of(fresh, "k-2024b") < rank_of(fresh, "k-2020"));
  // Every score is its relevance times the multiplier of its age before the newest article.
  const double reference = unix_time("2024-06-20T09:00");
  std::map<std::string, double> relevance_score;
  for (const auto& hit : relevance.hits) relevance_score[hit.id] = hit.score;
  for (const auto& hit : fresh.hits) {
    INFO(hit.id);
    const std::optional<double> age =
        hit.date.empty() ? std::nullopt : std::optional<double>(reference - unix_time(hit.date));
    CHECK(hit.score == Approx(relevance_score[hit.id] * vnsearch::freshness_multiplier(age, 30)));
    if (hit.date.empty()) CHECK(hit.score == Approx(relevance_score[hit.id]));
  }
  for (std::size_t i = 1; i < fresh.hits.size(); ++i) {
    CHECK(fresh.hits[i - 1].score >= fresh.hits[i].score);
  }
  // A century-long half-life lifts every dated article alike: relevance order again among them.
  vnsearch::SearchOptions century;
  century.half_life_days = vnsearch::Freshness::kMaxHalfLifeDays;
  const auto flat = search("kỳ lân", SearchSort::kFreshness, century);
  CHECK(rank_of(flat, "k-2020") < rank_of(flat, "k-2024b"));
  // Filters still apply.
  vnsearch::SearchOptions only_b = month;
  only_b.filters.sources = {"Báo B"};
  for (const auto& hit : search("kỳ lân", SearchSort::kFreshness, only_b).hits) {
    CHECK(hit.source == "Báo B");
  }
}

TEST_CASE("the timeline counts every match per year over long spans, per month over short",
          "[time][timeline]") {
  vnsearch::SearchOptions options;
  options.timeline = true;
  options.limit = 2;  // the page is small; the timeline covers the whole match set
  options.sort = SearchSort::kRelevance;
  const auto yearly = time_index().searcher().search("kỳ lân", options);
  REQUIRE(yearly.timeline);
  CHECK(yearly.hits.size() == 2);
  CHECK(yearly.timeline->unit == "year");
  CHECK(buckets(*yearly.timeline) ==
        std::map<std::string, std::uint64_t>{
            {"2019", 1}, {"2020", 1}, {"2021", 0}, {"2022", 0}, {"2023", 1}, {"2024", 2}});
  CHECK(yearly.timeline->buckets.front().period == "2019");  // in order
  CHECK(yearly.timeline->undated == 2);
  CHECK(yearly.timeline->total == 7);
  CHECK(yearly.timeline->total == yearly.estimated_matches);
  CHECK(yearly.timeline->complete);

  options.filters.date_from = "2023";
  options.filters.date_to = "2024";
  options.sort = SearchSort::kDate;
  const auto monthly = time_index().searcher().search("kỳ lân", options);
  REQUIRE(monthly.timeline);
  CHECK(monthly.timeline->unit == "month");
  REQUIRE(monthly.timeline->buckets.size() == 18);  // 2023-01 .. 2024-06, empty months too
  CHECK(monthly.timeline->buckets.front().period == "2023-01");
  CHECK(monthly.timeline->buckets.front().count == 1);
  CHECK(monthly.timeline->buckets[1].period == "2023-02");
  CHECK(monthly.timeline->buckets[1].count == 0);
  CHECK(monthly.timeline->buckets.back().period == "2024-06");
  CHECK(monthly.timeline->buckets.back().count == 2);
  CHECK(monthly.timeline->undated == 0);
  CHECK(monthly.timeline->total == 3);

  // Months are Vietnam's: 1 March 00:30 (+07:00) is March, though still February in UTC.
  options.filters = {};
  const auto boundary = time_index().searcher().search("ranh giới", options);
  REQUIRE(boundary.timeline);
  CHECK(buckets(*boundary.timeline) ==
        std::map<std::string, std::uint64_t>{{"2024-02", 1}, {"2024-03", 1}});

  // No timeline unless asked for; JSON carries it when there is one.
  CHECK_FALSE(search("kỳ lân", SearchSort::kRelevance).timeline);
  const json as_json = vnsearch::result_to_json(yearly, {});
  CHECK(as_json["timeline"]["unit"] == "year");
  CHECK(as_json["timeline"]["total"] == 7);
  CHECK(as_json["timeline"]["undated"] == 2);
  CHECK(as_json["timeline"]["buckets"][0] == json({{"period", "2019"}, {"count", 1}}));
  CHECK_FALSE(
      vnsearch::result_to_json(search("kỳ lân", SearchSort::kDate), {}).contains("timeline"));
}

TEST_CASE("on the bundled corpus the timeline sums to the exact match count", "[time][corpus]") {
  vnsearch::test::TempDir dir("vnsearch-time-corpus");
  vnsearch::IndexOptions index_options;
  index_options.analysis_threads = 2;
  const fs::path inputs[] = {kSourceDir / "corpus"};
  vnsearch::index_paths(dir / "db", inputs, index_options,
                        [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; },
                        {});
  vnsearch::Searcher searcher(dir / "db");
  for (const SearchSort sort :
       {SearchSort::kRelevance, SearchSort::kDate, SearchSort::kOldest, SearchSort::kFreshness}) {
    vnsearch::SearchOptions options;
    options.timeline = true;
    options.sort = sort;
    const auto result = searcher.search("thi đua", options);
    REQUIRE(result.timeline);
    CHECK(result.exact_count);
    CHECK(result.estimated_matches > 10);
    std::uint64_t sum = result.timeline->undated;
    for (const auto& bucket : result.timeline->buckets) sum += bucket.count;
    CHECK(sum == result.timeline->total);
    CHECK(result.timeline->total == result.estimated_matches);
    CHECK(result.timeline->unit == "year");  // the corpus spans 2009..2024
  }
  vnsearch::SearchOptions oldest;
  oldest.sort = SearchSort::kOldest;
  oldest.limit = 1000;
  const auto all = searcher.search("thi đua", oldest);
  bool undated_seen = false;
  for (std::size_t i = 0; i < all.hits.size(); ++i) {
    if (all.hits[i].date.empty()) {
      undated_seen = true;
    } else {
      CHECK_FALSE(undated_seen);  // no dated hit after an undated one
      if (i > 0) CHECK(all.hits[i - 1].date.substr(0, 10) <= all.hits[i].date.substr(0, 10));
    }
  }
}
