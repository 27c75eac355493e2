// The HTTP wiring of story collapsing and related articles: /api/search?collapse=1&copies=1,
// /api/related/{id} and the page's default collapsing, on a small index of real articles and
// copies made from them (support/story_fixture.h).
#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "server_fixture.h"
#include "story_fixture.h"

namespace {

std::vector<json> fixture_articles() {
  const json a = vnsearch::test::sample_article("newsmds-002-1");
  return {a,
          vnsearch::test::sample_article("newsmds-002-2"),
          vnsearch::test::syndicated_copy(a, "wire-002", "Báo Tổng Hợp"),
          vnsearch::test::sample_article("newsmds-002-3"),
          vnsearch::test::sample_article("newsmds-001-1"),
          vnsearch::test::sample_article("newsmds-001-2"),
          vnsearch::test::sample_article("newsmds-003-1")};
}

}  // namespace

TEST_CASE("API: collapse and copies on /api/search, /api/related/{id}, the page", "[stories]") {
  TempDir dir("vnsearch-stories-server");
  const fs::path database = dir / "db";
  vnsearch::test::index_file(database,
                             dir.write("a.jsonl", vnsearch::test::to_jsonl(fixture_articles())));
  RunningServer server(on(database));
  auto client = server.client();

  json body = body_json(client.Get("/api/search?q=ti%E1%BB%81n+m%E1%BB%ABng+tu%E1%BB%95i"));
  std::size_t plain_hits = body["hits"].size();
  for (const json& hit : body["hits"]) CHECK(hit["collapse_count"] == 0);

  body = body_json(
      client.Get("/api/search?q=ti%E1%BB%81n+m%E1%BB%ABng+tu%E1%BB%95i&collapse=1&copies=1"));
  CHECK(body["hits"].size() == plain_hits - 2);
  std::size_t folded = 0;
  for (const json& hit : body["hits"]) {
    folded += hit["collapse_count"].get<std::size_t>();
    if (hit["collapse_count"] == 2) {
      std::set<std::string> story = {hit["id"]};
      for (const json& copy : hit["copies"]) story.insert(copy["id"]);
      CHECK(story == std::set<std::string>{"newsmds-002-1", "newsmds-002-2", "wire-002"});
    }
  }
  CHECK(folded == 2);
  check_error(client.Get("/api/search?q=x&collapse=yes"), 400, "bad_parameter");

  body = body_json(client.Get("/api/related/newsmds-001-1?limit=3"));
  CHECK(body["found"] == true);
  REQUIRE_FALSE(body["hits"].empty());
  CHECK(body["hits"][0]["id"] == "newsmds-001-2");
  CHECK(body["hits"].size() <= 3);
  body = body_json(client.Get("/api/related/newsmds-002-1"));
  std::set<std::string> copies;
  for (const json& copy : body["copies"]) copies.insert(copy["id"]);
  CHECK(copies == std::set<std::string>{"newsmds-002-2", "wire-002"});
  for (const json& hit : body["hits"]) CHECK(copies.count(hit["id"]) == 0);
  check_error(client.Get("/api/related/no-such-id"), 404, "unknown_document");
  check_error(client.Get("/api/related/newsmds-001-1?limit=0"), 400, "bad_parameter");
  check_error(client.Get("/api/related/newsmds-001-1?limit=abc"), 400, "bad_parameter");
  check_error(client.Get("/api/related/newsmds-001-1?copies=2"), 400, "bad_parameter");

  // The page collapses by default and says so; collapse=0 shows every copy.
  auto page = client.Get("/?q=ti%E1%BB%81n+m%E1%BB%ABng+tu%E1%BB%95i&hl=en");
  REQUIRE(page);
  CHECK(contains(page->body, "+2 copies of this story"));
  page = client.Get("/?q=ti%E1%BB%81n+m%E1%BB%ABng+tu%E1%BB%95i&hl=en&collapse=0");
  REQUIRE(page);
  CHECK_FALSE(contains(page->body, "copies of this story"));
}
