// GET /api/suggest and the page's completion list (docs/api.md): the JSON shape, the
// correction beside the completions, the server's limits, the combobox markup, the script
// served under the Content-Security-Policy, and a new completion table followed live.
#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "server_fixture.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/tokenizer.h"

TEST_CASE("GET /api/suggest returns completions and the correction", "[server][suggest]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();

  const auto completed = client.Get("/api/suggest?q=cum%20th");
  REQUIRE(completed);
  CHECK(completed->status == 200);
  CHECK(completed->get_header_value("Content-Type").find("application/json") == 0);
  const json body = body_json(completed);
  INFO(body.dump());
  CHECK(body["query"] == "cum th");
  REQUIRE(body["completions"].is_array());
  REQUIRE_FALSE(body["completions"].empty());
  CHECK(body["completions"].size() <= 10);
  CHECK(vnsearch::to_exact(body["completions"][0]["text"].get<std::string>())
            .find("cụm thi đua số 8") != std::string::npos);
  for (const json& completion : body["completions"]) {
    CHECK(completion["text"].is_string());
    CHECK(completion["kind"].is_string());
    CHECK(completion["count"].is_number_unsigned());
  }
  CHECK(body["correction"].is_null());

  const json accented = body_json(client.Get("/api/suggest?q=H%C3%A0%20N"));
  REQUIRE_FALSE(accented["completions"].empty());
  CHECK(accented["completions"][0]["text"] == "Hà Nội");

  const json misspelled = body_json(client.Get("/api/suggest?q=vieetj%20nam"));
  INFO(misspelled.dump());
  REQUIRE(misspelled["correction"].is_object());
  CHECK(misspelled["correction"]["text"] == "việt nam");
  CHECK(misspelled["correction"]["applied"] == true);
  CHECK(misspelled["completions"].is_array());
}

TEST_CASE("/api/suggest: nothing to complete is an empty list; limits as /api/search",
          "[server][suggest]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  for (const char* target :
       {"/api/suggest", "/api/suggest?q=", "/api/suggest?q=%FF%FE", "/api/suggest?q=%00%01",
        "/api/suggest?q=%3F%3F%3F", "/api/suggest?q=zzzzqqqq"}) {
    INFO(target);
    const auto result = client.Get(target);
    REQUIRE(result);
    CHECK(result->status == 200);
    const json body = json::parse(result->body, nullptr, false);
    CHECK(body["completions"] == json::array());
  }
  // Past /api/search's 2,000 bytes the same error; below it, never an error.
  check_error(client.Get("/api/suggest?q=" + std::string(2001, 'a')), 413, "query_too_long");
  const auto long_ok = client.Get("/api/suggest?q=" + std::string(1999, 'a'));
  REQUIRE(long_ok);
  CHECK(long_ok->status == 200);
  CHECK(json::parse(long_ok->body)["completions"] == json::array());
  check_error(client.Post("/api/suggest", "", "text/plain"), 405, "method_not_allowed");
}

TEST_CASE("the page offers completions: combobox markup and a script the CSP allows",
          "[server][suggest][page]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const auto page = client.Get("/");
  REQUIRE(page);
  const std::string html = page->body;
  CHECK(contains(html, "role=\"combobox\""));
  CHECK(contains(html, "aria-controls=\"q-suggestions\""));
  CHECK(contains(html, "aria-expanded=\"false\""));
  CHECK(contains(html, "<ul id=\"q-suggestions\" class=\"suggestions\" role=\"listbox\""));
  CHECK(contains(html, "<script src=\"/static/suggest.js\" defer></script>"));
  CHECK_FALSE(contains(html, "<script>"));  // nothing inline: the CSP forbids it
  const std::string policy = page->get_header_value("Content-Security-Policy");
  CHECK(contains(policy, "script-src 'self'"));
  CHECK(contains(policy, "connect-src 'self'"));
  const auto script = client.Get("/static/suggest.js");
  REQUIRE(script);
  CHECK(script->status == 200);
  CHECK(script->get_header_value("Content-Type").find("text/javascript") == 0);
  CHECK(contains(script->body, "/api/suggest?q="));
  CHECK(contains(script->body, "aria-activedescendant"));
}

TEST_CASE("/api/suggest follows the indexer: a new title is completed, a deleted one is gone",
          "[server][suggest][live]") {
  TempDir tmp("vnsearch-suggest-live");
  const fs::path database = tmp / "db";
  vnsearch::IndexOptions options;
  options.analysis_threads = 2;
  const auto index = [&](const std::string& name, const json& document) {
    vnsearch::index_paths(
        database, std::vector<fs::path>{tmp.write(name, document.dump() + "\n")}, options,
        [](const vnsearch::ReadIssue&) { return vnsearch::ReadFlow::kContinue; }, {});
  };
  index("a.jsonl", {{"id", "a"}, {"title", "Quả bóng vàng"}, {"body", "Nội dung."}});
  RunningServer server(on(database));
  auto client = server.client();
  const auto completions_of = [&](const std::string& q) {
    return body_json(client.Get("/api/suggest?q=" + q))["completions"];
  };
  CHECK(completions_of("qua%20bong")[0]["text"] == "Quả bóng vàng");
  index("b.jsonl", {{"id", "b"}, {"title", "Xôi gấc mùa xuân"}, {"body", "Nội dung."}});
  json seen;
  for (int i = 0; i < 100; ++i) {  // the poller looks every 100 ms
    seen = completions_of("xoi%20gac");
    if (!seen.empty()) break;
    std::this_thread::sleep_for(50ms);
  }
  REQUIRE_FALSE(seen.empty());
  CHECK(seen[0]["text"] == "Xôi gấc mùa xuân");
  CHECK(vnsearch::delete_documents(database, std::vector<std::string>{"b"}).empty());
  for (int i = 0; i < 100 && !seen.empty(); ++i) {
    std::this_thread::sleep_for(50ms);
    seen = completions_of("xoi%20gac");
  }
  CHECK(seen.empty());
}
