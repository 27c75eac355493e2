// The HTTP server driven as its clients drive it: every endpoint and every error of docs/api.md,
// caching, CORS, the access log, metrics (through promtool when installed), escaping, the search
// page, admin writes, live reopen while indexing, and a clean stop on SIGTERM. Servers run
// in-process on an ephemeral loopback port (the `vnsearch serve` binary for the SIGTERM test).
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "devtools_client.h"
#include "html.h"
#include "messages.h"
#include "server_fixture.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/server.h"
#include "vnsearch/tokenizer.h"

TEST_CASE("GET /api/search answers the documented shape", "[server][api]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const json body =
      body_json(client.Get("/api/search?q=cum%20thi%20dua%20so%208&facets=1&per_page=5"));
  INFO(body.dump().substr(0, 500));
  CHECK(body["query"] == "cum thi dua so 8");
  CHECK(body["readings"][0] == "cụm thi đua số 8");
  CHECK(body["total"]["value"].get<std::uint64_t>() > 0);
  CHECK((body["total"]["relation"] == "eq" || body["total"]["relation"] == "gte"));
  CHECK(body["took_ms"].is_number());
  CHECK(body["page"] == 1);
  CHECK(body["per_page"] == 5);
  REQUIRE(body["hits"].size() == 5);
  const json& first = body["hits"][0];
  CHECK(first["id"] == kPortalId);
  for (const char* field : {"id", "title", "url", "date", "source", "category", "snippet"}) {
    CHECK(first[field].is_string());
  }
  CHECK(first["score"].is_number());
  CHECK(contains(first["snippet"], "<mark>"));
  for (const char* facet : {"source", "category", "year"}) CHECK(body["facets"][facet].is_array());
  CHECK(body["message"].is_string());

  // Forms send spaces as '+': decoded as such (a literal plus arrives as %2B).
  auto raw = server.client();
  raw.set_url_encode(false);
  CHECK(body_json(raw.Get("/api/search?q=cum+thi+dua+so+8&per_page=1"))["query"] ==
        "cum thi dua so 8");
  CHECK(body_json(raw.Get("/api/search?q=a%2Bb&per_page=1"))["query"] == "a+b");

  // Page 2 continues page 1.
  const json one = body_json(client.Get("/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n&per_page=4"));
  const json two =
      body_json(client.Get("/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n&per_page=4&page=2"));
  const json both = body_json(client.Get("/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n&per_page=8"));
  auto joined = hit_ids(one);
  for (const auto& id : hit_ids(two)) joined.push_back(id);
  CHECK(joined == hit_ids(both));
}

TEST_CASE("sort and filters of /api/search", "[server][api]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const std::string zebra = "/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n&per_page=30";
  const json by_date = body_json(client.Get(zebra + "&sort=date"));
  REQUIRE(by_date["hits"].size() >= 25);
  for (std::size_t i = 1; i < by_date["hits"].size(); ++i) {
    const std::string previous = by_date["hits"][i - 1]["date"],
                      current = by_date["hits"][i]["date"];
    if (!current.empty()) CHECK(previous >= current);
  }
  CHECK(by_date["sort"] == "date");

  const json odd = body_json(client.Get(zebra + "&source=B%C3%A1o%20L%E1%BA%BB"));
  CHECK(odd["hits"].size() == 12);
  for (const auto& hit : odd["hits"]) CHECK(hit["source"] == "Báo Lẻ");
  const json animals = body_json(client.Get(zebra + "&category=%C4%90%E1%BB%99ng%20v%E1%BA%ADt"));
  CHECK(animals["hits"].size() == 9);
  const json year = body_json(client.Get(zebra + "&year=2016"));
  CHECK(year["hits"].size() == 5);
  const json range = body_json(client.Get(zebra + "&date_from=2017-01-01&date_to=2018-12"));
  CHECK(range["hits"].size() == 10);
  for (const auto& hit : range["hits"]) {
    const std::string date = hit["date"];
    CHECK((date.rfind("2017", 0) == 0 || date.rfind("2018", 0) == 0));
  }
  // Filters alone are a search.
  const json only = body_json(client.Get("/api/search?source=B%C3%A1o%20L%E1%BA%BB&per_page=30"));
  CHECK(only["hits"].size() == 12);
  // Operators in q still work.
  const json operators = body_json(client.Get(
      "/api/"
      "search?q=ng%E1%BB%B1a%20v%E1%BA%B1n%20source%3A%22B%C3%A1o%20Ch%E1%BA%B5n%22&per_page=30"));
  CHECK(operators["hits"].size() == 13);
}

TEST_CASE("client mistakes are JSON errors with the right status, never 500", "[server][errors]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  check_error(client.Get("/api/search?q=x&page=0"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&page=abc"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&page=-1"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&per_page=0"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&per_page=101"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&page=99999999999999999999"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&page=101&per_page=100"), 400, "result_window_too_large");
  CHECK(client.Get("/api/search?q=x&page=100&per_page=100")->status == 200);  // exactly the cap
  check_error(client.Get("/api/search?q=x&sort=popular"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&date_from=2020-13"), 400, "bad_date");
  check_error(client.Get("/api/search?q=x&date_to=yesterday"), 400, "bad_date");
  check_error(client.Get("/api/search?q=x&date_from=2021&date_to=2020"), 400, "bad_date");
  check_error(client.Get("/api/search?q=x&year=20x0"), 400, "bad_parameter");
  check_error(client.Get("/api/search?q=x&facets=maybe"), 400, "bad_parameter");
  check_error(client.Get("/api/search"), 400, "missing_parameter");
  check_error(client.Get("/api/search?q=" + std::string(2001, 'a')), 413, "query_too_long");
  CHECK(client.Get("/api/search?q=" + std::string(2000, 'a'))->status == 200);
  check_error(client.Get("/api/nothing-here"), 404, "not_found");
  check_error(client.Get("/no/such/page"), 404, "not_found");
  // A browser gets a page with the search box instead.
  const auto browser_404 = client.Get("/no/such/page", {{"Accept", "text/html,*/*;q=0.8"}});
  REQUIRE(browser_404);
  CHECK(browser_404->status == 404);
  CHECK(contains(browser_404->body, "<html lang=\"vi\">"));
  CHECK(contains(browser_404->body, "name=\"q\""));
  check_error(client.Get("/api/nothing", {{"Accept", "text/html"}}), 404, "not_found");
  check_error(client.Get("/api/documents/no-such-id"), 404, "unknown_document");
  const auto post = client.Post("/api/search", "{}", "application/json");
  check_error(post, 405, "method_not_allowed");
  CHECK(post->get_header_value("Allow") == "GET, HEAD");
  // Writes are off without a token: the route does not accept POST or DELETE.
  check_error(client.Post("/api/documents", "{}", "application/x-ndjson"), 404, "not_found");
  check_error(client.Delete("/api/documents/" + kPortalId), 405, "method_not_allowed");
  // Strange but harmless query text is a 200 with a note, not an error.
  for (const std::string q : {"%22", "%FF%FE", "-", "date%3A2020-13", "%00", "%3Cscript%3E"}) {
    const auto result = client.Get("/api/search?q=" + q);
    REQUIRE(result);
    INFO(q << ": " << result->body);
    CHECK(result->status == 200);
    CHECK(json::parse(result->body, nullptr, false).is_object());
  }
}

TEST_CASE("documents, stats, health, opensearch and static assets", "[server][api]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const json document = body_json(client.Get("/api/documents/" + kPortalId));
  CHECK(document["id"] == kPortalId);
  CHECK(contains(vnsearch::server::escape_html(document["title"].get<std::string>()),
                 "thi đua số 8"));
  CHECK_FALSE(document["body"].get<std::string>().empty());
  // Ids are path segments: percent-encoded ones are decoded.
  CHECK(body_json(client.Get("/api/documents/xss%2D1"))["id"] == "xss-1");

  const json stats = body_json(client.Get("/api/stats"));
  CHECK(stats["documents"].get<std::uint64_t>() > 400);
  CHECK(stats["sources"]["Báo Chẵn"] == 13);
  CHECK(stats["years"]["2016"].get<int>() >= 5);
  CHECK(stats["revision"].get<std::uint64_t>() >= 1);
  CHECK(stats["first_date"].is_string());

  const auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  const json healthy = json::parse(health->body);
  CHECK(healthy["status"] == "ok");
  CHECK(healthy["documents"] == stats["documents"]);
  CHECK(healthy["revision"] == stats["revision"]);
  CHECK(healthy["last_commit"].get<std::string>().size() == 20);

  const auto opensearch = client.Get("/opensearch.xml");
  REQUIRE(opensearch);
  CHECK(opensearch->status == 200);
  CHECK(contains(opensearch->get_header_value("Content-Type"), "opensearchdescription+xml"));
  CHECK(contains(opensearch->body, "template=\"http://127.0.0.1:" + std::to_string(server.port()) +
                                       "/?q={searchTerms}\""));
  for (const char* asset : {"/static/style.css", "/static/app.js"}) {
    const auto result = client.Get(asset);
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(result->body.size() > 100);
  }
  const auto head = client.Head("/api/search?q=thi");
  REQUIRE(head);
  CHECK(head->status == 200);
}

TEST_CASE("a port in use is an error, not a shared port", "[server][errors]") {
  RunningServer first(on(shared_index().database()));
  auto options = on(shared_index().database());
  options.host = "127.0.0.1";
  options.port = first.port();
  vnsearch::SearchServer second(options);
  try {
    (void)second.bind();
    FAIL("a second server bound port " << first.port());
  } catch (const std::runtime_error& error) {
    CHECK(contains(error.what(), "127.0.0.1:" + std::to_string(first.port())));
  }
}

TEST_CASE("ETag and Cache-Control follow the index revision", "[server][cache]") {
  TempDir dir("vnsearch-server-cache");
  index_into(dir / "db", dir.write("a.jsonl", jsonl(known_articles())));
  RunningServer server(on(dir / "db"));
  auto client = server.client();
  const std::string url = "/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n";
  const auto first = client.Get(url);
  REQUIRE(first);
  const std::string tag = first->get_header_value("ETag");
  CHECK_FALSE(tag.empty());
  CHECK(contains(first->get_header_value("Cache-Control"), "no-cache"));
  const auto again = client.Get(url, {{"If-None-Match", tag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  // Another query has another tag.
  CHECK(client.Get(url + "&page=2")->get_header_value("ETag") != tag);

  index_into(
      dir / "db",
      dir.write("b.jsonl", jsonl({article("zebra-new", "Ngựa vằn mới", "Ngựa vằn con mới sinh.",
                                          "2024-01-01T08:00:00+07:00", "Báo Mới", "Động vật")})));
  std::this_thread::sleep_for(400ms);  // a few poll intervals
  const auto after = client.Get(url, {{"If-None-Match", tag}});
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->get_header_value("ETag") != tag);
}

TEST_CASE("CORS headers for the configured origin only", "[server][cors]") {
  auto options = on(shared_index().database());
  options.cors_origin = "https://portal.example.vn";
  RunningServer server(options);
  auto client = server.client();
  const auto allowed = client.Get("/api/search?q=thi", {{"Origin", "https://portal.example.vn"}});
  REQUIRE(allowed);
  CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == "https://portal.example.vn");
  CHECK(contains(allowed->get_header_value("Vary"), "Origin"));
  const auto other = client.Get("/api/search?q=thi", {{"Origin", "https://evil.example"}});
  REQUIRE(other);
  CHECK_FALSE(other->has_header("Access-Control-Allow-Origin"));
  const auto preflight = client.Options("/api/search", {{"Origin", "https://portal.example.vn"},
                                                        {"Access-Control-Request-Method", "GET"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(contains(preflight->get_header_value("Access-Control-Allow-Methods"), "GET"));
  CHECK(contains(preflight->get_header_value("Access-Control-Allow-Headers"), "If-None-Match"));
}

TEST_CASE("503 while the index is missing, served once it appears", "[server][unavailable]") {
  TempDir dir("vnsearch-server-missing");
  RunningServer server(on(dir / "db"));
  auto client = server.client();
  check_error(client.Get("/api/search?q=thi"), 503, "index_unavailable");
  check_error(client.Get("/api/stats"), 503, "index_unavailable");
  check_error(client.Get("/api/documents/x"), 503, "index_unavailable");
  const auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 503);
  CHECK(contains(health->body, (dir / "db").string()));
  const auto page = client.Get("/?q=thi");
  REQUIRE(page);
  CHECK(page->status == 503);
  CHECK(contains(page->body, "chưa sẵn sàng"));
  CHECK(contains(client.Get("/metrics")->body, "vnsearch_index_up 0"));

  index_into(dir / "db", dir.write("a.jsonl", jsonl(known_articles())));
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = client.Get("/healthz")->status;
    if (status == 200) break;
    std::this_thread::sleep_for(20ms);
  }
  CHECK(status == 200);
  CHECK(body_json(client.Get("/api/search?q=ng%E1%BB%B1a"))["hits"].size() == 10);
}

TEST_CASE("/metrics is Prometheus text that promtool accepts", "[server][metrics]") {
  TempDir dir("vnsearch-server-metrics");
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  client.Get("/api/search?q=thi");
  client.Get("/api/search?q=x&page=0");
  client.Get("/nope");
  // Requests are counted just after their answer is sent (by another thread than the next
  // request's), so give the last ones a moment.
  const auto counted = [](const std::string& text) {
    return contains(text, "{route=\"/api/search\",status=\"200\"} 1") &&
           contains(text, "{route=\"/api/search\",status=\"400\"} 1") &&
           contains(text, "{route=\"{unknown}\",status=\"404\"} 1");
  };
  auto result = client.Get("/metrics");
  const auto start = std::chrono::steady_clock::now();
  while (result && !counted(result->body) && std::chrono::steady_clock::now() - start < 2s) {
    std::this_thread::sleep_for(10ms);
    result = client.Get("/metrics");
  }
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(contains(result->get_header_value("Content-Type"), "text/plain; version=0.0.4"));
  const std::string& text = result->body;
  CHECK(contains(text, "vnsearch_http_requests_total{route=\"/api/search\",status=\"200\"} 1"));
  CHECK(contains(text, "vnsearch_http_requests_total{route=\"/api/search\",status=\"400\"} 1"));
  CHECK(contains(text, "vnsearch_http_requests_total{route=\"{unknown}\",status=\"404\"} 1"));
  CHECK(contains(
      text, "vnsearch_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 2"));
  CHECK(contains(text, "vnsearch_index_documents "));
  CHECK(contains(text, "vnsearch_index_revision "));
  CHECK(contains(text, "vnsearch_index_reopens_total "));
  // The one search that ran waited for its slot (without queueing); none runs or waits now.
  CHECK(contains(text, "vnsearch_search_queue_wait_seconds_count 1\n"));
  CHECK(contains(text, "vnsearch_search_queue_wait_seconds_bucket{le=\"+Inf\"} 1\n"));
  CHECK(contains(text, "vnsearch_search_slots_busy 0\n"));
  CHECK(contains(text, "vnsearch_search_queue_waiting 0\n"));

  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    WARN("promtool not installed (Debian package prometheus): /metrics not checked by promtool");
    return;
  }
  const fs::path file = dir.write("metrics.txt", text);
  const std::string command = "promtool check metrics < '" + file.string() + "' > '" +
                              (dir / "promtool.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream out(dir / "promtool.out");
  std::stringstream said;
  said << out.rdbuf();
  INFO(said.str());
  CHECK(status == 0);
}

TEST_CASE("one access-log line per request", "[server][log]") {
  TempDir dir("vnsearch-server-log");
  auto options = on(shared_index().database());
  options.access_log = dir / "access.log";
  {
    RunningServer server(options);
    auto client = server.client();
    client.Get("/api/search?q=thi%20%C4%91ua");
    client.Get("/api/search?q=x&page=0");
    client.Get("/healthz");
  }
  std::ifstream in(dir / "access.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<std::string> searches;
  for (const auto& line : lines) {
    if (contains(line, "/api/search")) searches.push_back(line);
  }
  REQUIRE(searches.size() == 2);
  INFO(searches[0] << "\n" << searches[1]);
  // Lines are written as answers complete, so two quick requests may log in either order.
  if (contains(searches[1], "q=thi")) std::swap(searches[0], searches[1]);
  CHECK(contains(searches[0], "\"GET /api/search?q=thi%20%C4%91ua\" 200 "));
  CHECK(contains(searches[0], "ms"));
  CHECK(searches[0][4] == '-');  // starts with an ISO time
  CHECK(searches[0][10] == 'T');
  CHECK(contains(searches[1], "\"GET /api/search?q=x&page=0\" 400 "));
}

TEST_CASE("markup in articles and queries is escaped on the page and in JSON", "[server][xss]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const auto page =
      client.Get("/?q=ng%E1%BB%B1a%20v%E1%BA%B1n%20%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  REQUIRE(page);
  CHECK(page->status == 200);
  const std::string& html = page->body;
  CHECK_FALSE(contains(html, "<script>alert"));
  CHECK_FALSE(contains(html, "<script>alert(1)"));
  CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));  // the query, echoed escaped
  CHECK(contains(html, "Tin &lt;script&gt;alert(&#39;tiêu đề&#39;)&lt;/script&gt; nóng"));
  CHECK_FALSE(contains(html, "<b>Độc</b>"));
  CHECK_FALSE(contains(html, "<i>sự</i>"));
  // The only script elements are the page's own two (the shortcut and the completion list).
  std::size_t scripts = 0;
  for (std::size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1))
    ++scripts;
  CHECK(scripts == 2);
  CHECK(contains(html, "<script src=\"/static/app.js\" defer></script>"));
  CHECK(contains(html, "<script src=\"/static/suggest.js\" defer></script>"));

  const json api =
      body_json(client.Get("/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n%20script&per_page=30"));
  bool found = false;
  for (const auto& hit : api["hits"]) {
    if (hit["id"] != "xss-1") continue;
    found = true;
    CHECK(hit["title"] == "Tin <script>alert('tiêu đề')</script> nóng");  // data, as stored
    CHECK_FALSE(contains(hit["snippet"], "<script>"));                    // HTML form, escaped
    CHECK(contains(hit["snippet_text"], "<script>"));                     // plain form
  }
  CHECK(found);
}

TEST_CASE("the search page: readings, results, facets, sort, pages, language", "[server][page]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const auto home = client.Get("/");
  REQUIRE(home);
  CHECK(home->status == 200);
  CHECK(contains(home->body, "<html lang=\"vi\">"));
  CHECK(contains(home->body, "name=\"q\""));

  const auto result = client.Get("/?q=cum%20thi%20dua%20so%208");
  REQUIRE(result);
  const std::string& html = result->body;
  CHECK(contains(html, "<html lang=\"vi\">"));
  CHECK(contains(html, "Kết quả cho <strong>«cụm thi đua số 8»</strong>"));
  CHECK(contains(html, "value=\"cum thi dua so 8\""));  // the query stays in the box
  const std::size_t first_hit = html.find("<ol class=\"hits\"");
  REQUIRE(first_hit != std::string::npos);
  CHECK(html.find("thi đua số 8", first_hit) < html.find("</li>", first_hit));
  CHECK(contains(html, "<mark>"));
  CHECK(contains(html, "kết quả"));
  CHECK(contains(html, "rel=\"next\""));
  CHECK(contains(html, "page=2"));
  CHECK(contains(html, "sort=date\">Mới nhất</a>"));
  CHECK(contains(html, "Liên quan"));
  CHECK(contains(html, "<aside class=\"facets\""));
  CHECK(contains(html, "source=VnExpress"));
  // 225 since the trigram model: it is sure (posterior ≥ 0.95) of more of these syllables, which
  // are then matched in that reading only, not in every reading.
  CHECK(contains(html, ">VnExpress</a> <span class=\"count\">(225)</span>"));
  CHECK(contains(html, "name=\"viewport\""));

  // An ambiguous unaccented query offers its other readings as links.
  const auto ambiguous = client.Get("/?q=qua%20dua");
  REQUIRE(ambiguous);
  CHECK(contains(ambiguous->body, "<p class=\"readings\">Hoặc tìm: <a href=\"/?q="));

  // Facet, sort and page combine in the URL, and the page shows them.
  const auto combined =
      client.Get("/?q=ng%E1%BB%B1a%20v%E1%BA%B1n&source=B%C3%A1o%20Ch%E1%BA%B5n&sort=date&page=2");
  REQUIRE(combined);
  CHECK(combined->status == 200);
  CHECK(contains(combined->body, "<ol class=\"hits\" start=\"11\">"));
  CHECK(contains(combined->body, "<span aria-current=\"true\">Mới nhất</span>"));
  CHECK(contains(combined->body, "class=\"active-filters\""));
  CHECK(contains(combined->body, "<input type=\"hidden\" name=\"source\" value=\"Báo Chẵn\">"));
  CHECK(contains(combined->body, "<time datetime="));
  CHECK(contains(combined->body, "/201"));  // dd/mm/yyyy

  // Nothing found: a helpful page.
  const auto none = client.Get("/?q=xyzzyplugh");
  REQUIRE(none);
  CHECK(none->status == 200);
  CHECK(contains(none->body, "Không tìm thấy kết quả nào cho"));

  // A bad parameter on the page is a 400 page, not a crash.
  const auto bad = client.Get("/?q=thi&page=0");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "<html lang=\"vi\">"));

  // English by ?hl=en or Accept-Language.
  CHECK(contains(client.Get("/?q=thi&hl=en")->body, "<html lang=\"en\">"));
  const auto english = client.Get("/?q=thi", {{"Accept-Language", "en-GB,en;q=0.9"}});
  CHECK(contains(english->body, "Results for"));
  // A Vietnamese reader with an English browser still reads Vietnamese.
  const auto both = client.Get("/?q=thi", {{"Accept-Language", "en-US,en;q=0.9,vi;q=0.8"}});
  CHECK(contains(both->body, "<html lang=\"vi\">"));
  const auto refused = client.Get("/?q=thi", {{"Accept-Language", "vi;q=0, en"}});
  CHECK(contains(refused->body, "<html lang=\"en\">"));
}

TEST_CASE("Vietnamese number and date forms", "[server][page]") {
  CHECK(vnsearch::server::format_count(1234, '.') == "1.234");
  CHECK(vnsearch::server::format_count(1234567, '.') == "1.234.567");
  CHECK(vnsearch::server::format_count(999, '.') == "999");
  CHECK(vnsearch::server::format_count(13, '.') == "13");
  CHECK(vnsearch::server::format_count(0, '.') == "0");
  CHECK(vnsearch::server::format_count(12345, ',') == "12,345");
  CHECK(vnsearch::server::format_count(100000, '.') == "100.000");
  CHECK(vnsearch::server::format_date("2020-11-16T08:00:00+07:00", true) == "16/11/2020");
  CHECK(vnsearch::server::format_date("2020-11-16", false) == "16 Nov 2020");
  CHECK(vnsearch::server::format_date("not a date", true) == "not a date");
  CHECK(vnsearch::server::escape_html("<a href='x'>&\"") ==
        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
}

TEST_CASE("did you mean: the page and the API carry the correction and the way back",
          "[server][page][correction]") {
  RunningServer server(on(shared_index().database()));
  auto client = server.client();
  const auto api = client.Get("/api/search?q=vieetj%20nam&per_page=1");
  REQUIRE(api);
  REQUIRE(api->status == 200);
  const json applied = json::parse(api->body);
  CHECK(applied["correction"]["text"] == "việt nam");
  CHECK(applied["correction"]["original"] == "vieetj nam");
  CHECK(applied["correction"]["applied"] == true);
  CHECK(applied["readings"][0] == "việt nam");

  const auto exact = client.Get("/api/search?q=vieetj%20nam&per_page=1&exact=1");
  REQUIRE(exact);
  const json offered = json::parse(exact->body);
  CHECK(offered["correction"]["applied"] == false);
  CHECK(offered["readings"][0] != "việt nam");
  const auto bad = client.Get("/api/search?q=x&exact=maybe");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  const auto fine = client.Get("/api/search?q=cum%20thi%20dua%20so%208");
  REQUIRE(fine);
  CHECK(json::parse(fine->body)["correction"].is_null());

  const auto page = client.Get("/?q=vieetj%20nam");
  REQUIRE(page);
  CHECK(contains(page->body, "Đang hiển thị kết quả cho"));
  CHECK(contains(page->body, "«việt nam»"));
  CHECK(contains(page->body, "tìm chính xác"));
  CHECK(contains(page->body, "exact=1"));  // the way back
  const auto back = client.Get("/?q=vieetj%20nam&exact=1");
  REQUIRE(back);
  CHECK(contains(back->body, "Có phải bạn muốn tìm"));
  CHECK_FALSE(contains(back->body, "Đang hiển thị kết quả cho"));
  const auto right = client.Get("/?q=cum%20thi%20dua%20so%208");
  REQUIRE(right);
  CHECK_FALSE(contains(right->body, "class=\"correction\""));
}

TEST_CASE("admin writes: bearer token, per-line errors, delete, 409 while the CLI writes",
          "[server][admin]") {
  TempDir dir("vnsearch-server-admin");
  const fs::path database = dir / "db";
  index_into(database, dir.write("a.jsonl", jsonl(known_articles())));
  auto options = on(database);
  options.admin_token = kToken;
  options.max_body_bytes = 64 * 1024;
  RunningServer server(options);
  auto client = server.client();
  const std::string upload = jsonl({article("giraffe-1", "Hươu cao cổ", "Hươu cao cổ ăn lá.",
                                            "2024-01-02T08:00:00+07:00", "Báo Mới", "Động vật")}) +
                             "{\"id\": \"broken\", \"title\": \n" +
                             json{{"title", "không có id"}}.dump() + "\n";
  const httplib::Headers authorised = {{"Authorization", "Bearer " + kToken}};

  check_error(client.Post("/api/documents", upload, "application/x-ndjson"), 401, "unauthorized");
  check_error(client.Post("/api/documents", {{"Authorization", "Bearer wrong-token-0123456789ab"}},
                          upload, "application/x-ndjson"),
              401, "unauthorized");
  const auto added = client.Post("/api/documents", authorised, upload, "application/x-ndjson");
  const json answer = body_json(added);
  INFO(answer.dump());
  CHECK(added->status == 200);
  CHECK(answer["added"] == 1);
  CHECK(answer["rejected"] == 2);
  REQUIRE(answer["issues"].size() >= 2);
  CHECK(answer["issues"][0]["line"] == 2);
  CHECK(answer["issues"][1]["line"] == 3);
  CHECK(answer["issues"][1]["field"] == "id");
  CHECK(body_json(client.Get("/api/search?q=h%C6%B0%C6%A1u%20cao%20c%E1%BB%95"))["hits"][0]["id"] ==
        "giraffe-1");

  check_error(client.Post("/api/documents", authorised, std::string(65 * 1024, 'x'),
                          "application/x-ndjson"),
              413, "body_too_large");

  CHECK(client.Delete("/api/documents/giraffe-1", authorised)->status == 200);
  check_error(client.Delete("/api/documents/giraffe-1", authorised), 404, "unknown_document");
  check_error(client.Get("/api/documents/giraffe-1"), 404, "unknown_document");

  // The CLI's writer lock is held: writes answer 409 at once, searches go on.
  const int fd = ::open((database.string() + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  const auto busy = client.Post("/api/documents", authorised, upload, "application/x-ndjson");
  check_error(busy, 409, "writer_busy");
  CHECK(busy->get_header_value("Retry-After") == "5");
  check_error(client.Delete("/api/documents/zebra-1", authorised), 409, "writer_busy");
  CHECK(client.Get("/api/search?q=ng%E1%BB%B1a")->status == 200);
  ::close(fd);
  CHECK(client.Delete("/api/documents/zebra-1", authorised)->status == 200);
}

TEST_CASE("live reopen: new commits and --fresh swaps served within 2 s, no failed request",
          "[server][live]") {
  TempDir dir("vnsearch-server-live");
  const fs::path database = dir / "db";
  index_into(database, dir.write("base.jsonl", jsonl(known_articles())));
  RunningServer server(on(database));

  std::atomic<bool> done{false};
  std::atomic<int> requests{0}, failures{0};
  std::mutex first_failure_mutex;
  std::string first_failure;  // what the first failed request got, for the report
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&, c] {
      auto client = server.client();
      const std::string queries[] = {"/api/search?q=ng%E1%BB%B1a%20v%E1%BA%B1n&facets=1",
                                     "/api/search?q=batch&sort=date", "/?q=ngua%20van"};
      while (!done) {
        const std::string& query = queries[(requests + c) % 3];
        const auto result = client.Get(query);
        ++requests;
        if (!result || result->status != 200) {
          if (failures++ == 0) {
            std::lock_guard lock(first_failure_mutex);
            first_failure = query + ": " +
                            (result ? std::to_string(result->status) + " " + result->body
                                    : "no answer (" + httplib::to_string(result.error()) + ")");
          }
        }
      }
    });
  }
  auto client = server.client();
  auto wait_for = [&](const std::string& id) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < 2s) {
      const auto result = client.Get("/api/documents/" + id);
      if (result && result->status == 200) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  };
  for (int round = 0; round < 4; ++round) {
    const std::string id = "batch-" + std::to_string(round);
    index_into(database,
               dir.write(id + ".jsonl", jsonl({article(id, "Batch mới " + std::to_string(round),
                                                       "Ngựa vằn batch " + std::to_string(round),
                                                       "", "Báo Mới", "Động vật")})));
    CHECK(wait_for(id));
  }
  // A --fresh build replaces everything.
  index_into(database,
             dir.write("fresh.jsonl",
                       jsonl({article("fresh-only", "Chỉ có tôi", "Ngựa vằn batch mới tinh.", "",
                                      "Báo Mới", "Động vật")})),
             /*fresh=*/true);
  CHECK(wait_for("fresh-only"));
  const auto start = std::chrono::steady_clock::now();
  while (client.Get("/api/documents/batch-0")->status != 404 &&
         std::chrono::steady_clock::now() - start < 2s) {
    std::this_thread::sleep_for(20ms);
  }
  CHECK(client.Get("/api/documents/batch-0")->status == 404);
  done = true;
  for (auto& thread : clients) thread.join();
  CHECK(requests > 20);
  INFO(first_failure);
  CHECK(failures == 0);
  const std::string metrics = client.Get("/metrics")->body;
  CHECK_FALSE(contains(metrics, "vnsearch_index_reopens_total 0\n"));
}

TEST_CASE("vnsearch serve stops cleanly on SIGTERM and SIGINT with exit status 0",
          "[server][signals]") {
  for (const int signal_number : {SIGTERM, SIGINT}) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const std::string db = shared_index().database().string();
      ::execl(kBinary.c_str(), "vnsearch", "serve", "--db", db.c_str(), "--port", "0", "--threads",
              "2", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char ch = 0;
    while (::read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    ::close(out[0]);
    INFO(line);
    const std::size_t colon = line.rfind(':');
    REQUIRE(colon != std::string::npos);
    const int port = std::atoi(line.c_str() + colon + 1);
    REQUIRE(port > 0);
    httplib::Client client("127.0.0.1", port);
    const auto result = client.Get("/api/search?q=thi");
    REQUIRE(result);
    CHECK(result->status == 200);
    ::kill(child, signal_number);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

TEST_CASE("vnsearch search --sort date and --format json use the shared JSON form",
          "[server][cli]") {
  TempDir dir("vnsearch-server-cli");
  const std::string command =
      "'" + kBinary.string() + "' search --db '" + shared_index().database().string() +
      "' --format json --sort date --limit 5 'ngựa vằn' > '" + (dir / "out.json").string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(dir / "out.json");
  const json body = json::parse(in, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["sort"] == "date");
  CHECK(body["total"]["value"].get<std::uint64_t>() >= 25);
  REQUIRE(body["hits"].size() == 5);
  for (std::size_t i = 1; i < 5; ++i) {
    CHECK(body["hits"][i - 1]["date"].get<std::string>() >=
          body["hits"][i]["date"].get<std::string>());
  }
  CHECK(contains(body["hits"][0]["snippet"], "<mark>"));
}

// ---------------------------------------------------------------------------------------------
// The page as a person uses it, in headless Chromium over the DevTools protocol.

namespace {

std::string base64_decode(const std::string& text) {
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (char ch : text) {
    int digit = -1;
    if (ch >= 'A' && ch <= 'Z') digit = ch - 'A';
    if (ch >= 'a' && ch <= 'z') digit = ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') digit = ch - '0' + 52;
    if (ch == '+') digit = 62;
    if (ch == '/') digit = 63;
    if (digit < 0) continue;
    value = (value << 6) | static_cast<unsigned>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xFF);
    }
  }
  return out;
}

void screenshot(vnsearch::test::DevToolsBrowser& browser, const std::string& name, int width,
                int height, bool mobile) {
  browser.call(
      "Emulation.setDeviceMetricsOverride",
      {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}});
  const json shot = browser.call("Page.captureScreenshot", {{"format", "png"}});
  const std::string png = base64_decode(shot["data"]);
  CHECK(png.substr(1, 3) == "PNG");
  const fs::path directory = fs::path(VNSEARCH_SCREENSHOT_DIR);
  fs::create_directories(directory);
  std::ofstream(directory / name, std::ios::binary) << png;
}

// Runs `action` (a click, a key) and waits for the page it leads to.
template <typename Action>
void and_wait_for_load(vnsearch::test::DevToolsBrowser& browser, Action action) {
  browser.clear_events();
  action();
  browser.wait_event("Page.loadEventFired");
}

}  // namespace

TEST_CASE("a person searches in Chromium: type, submit, facet, next page, phone width",
          "[server][browser]") {
  RunningServer server(on(shared_index().database()));
  TempDir profile("vnsearch-chromium");
  std::unique_ptr<vnsearch::test::DevToolsBrowser> started;
  try {
    started = std::make_unique<vnsearch::test::DevToolsBrowser>(profile / "profile");
  } catch (const std::exception& error) {
    WARN("browser test skipped: Chromium cannot start here: " << error.what());
    return;
  }
  auto& browser = *started;
  browser.call("Page.enable");
  // A reader whose browser asks for Vietnamese (headless Chromium asks for en-US).
  const json version = browser.call("Browser.getVersion");
  browser.call("Network.setUserAgentOverride",
               {{"userAgent", version["userAgent"]}, {"acceptLanguage", "vi-VN,vi"}});
  const std::string home = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  and_wait_for_load(browser, [&] { browser.call("Page.navigate", {{"url", home}}); });
  CHECK(browser.evaluate("document.documentElement.lang") == "vi");
  // The box has focus on the empty page: type as a person would, then Enter.
  CHECK(browser.evaluate("document.activeElement.id") == "q");
  browser.call("Input.insertText", {{"text", "cum thi dua so 8"}});
  and_wait_for_load(browser, [&] {
    for (const char* type : {"keyDown", "keyUp"}) {
      browser.call("Input.dispatchKeyEvent", {{"type", type},
                                              {"key", "Enter"},
                                              {"code", "Enter"},
                                              {"windowsVirtualKeyCode", 13},
                                              {"text", "\r"}});
    }
  });
  CHECK(browser.evaluate("location.search") == "?q=cum+thi+dua+so+8");
  CHECK(contains(browser.evaluate("document.querySelector('h1.summary').textContent"),
                 "«cụm thi đua số 8»"));
  const std::string first_title =
      browser.evaluate("document.querySelector('ol.hits li h2').textContent");
  CHECK(contains(first_title, "thi đua số 8"));
  CHECK(browser.evaluate("document.querySelectorAll('ol.hits li:first-child mark').length")
            .get<int>() >= 3);
  CHECK(browser.evaluate("document.getElementById('q').value") == "cum thi dua so 8");
  screenshot(browser, "results-desktop.png", 1280, 900, false);
  screenshot(browser, "results-phone.png", 320, 640, true);
  // Readable at 320 px: nothing wider than the screen.
  INFO(browser
           .evaluate("[...document.querySelectorAll('body *')].filter(e => "
                     "e.getBoundingClientRect().right > 320).map(e => e.tagName + '.' + "
                     "e.className + ':' + Math.round(e.getBoundingClientRect().right))"
                     ".slice(0, 8).join(' ')")
           .dump());
  CHECK(browser.evaluate("document.documentElement.scrollWidth").get<int>() <= 320);

  // Follow the VnExpress source facet, then the next page: both stay in the URL.
  browser.call("Emulation.setDeviceMetricsOverride",
               {{"width", 1280}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", false}});
  and_wait_for_load(browser, [&] {
    browser.evaluate(
        "[...document.querySelectorAll('aside.facets a')].find(a => "
        "a.textContent === 'VnExpress').click()");
  });
  CHECK(contains(browser.evaluate("location.search"), "source=VnExpress"));
  CHECK(browser.evaluate("[...document.querySelectorAll('.meta')].every(m => "
                         "m.textContent.includes('VnExpress'))") == true);
  and_wait_for_load(browser,
                    [&] { browser.evaluate("document.querySelector('a[rel=next]').click()"); });
  const std::string search = browser.evaluate("location.search");
  CHECK(contains(search, "source=VnExpress"));
  CHECK(contains(search, "page=2"));
  CHECK(browser.evaluate("document.querySelector('ol.hits').start") == 11);
  screenshot(browser, "facet-page2-desktop.png", 1280, 900, false);
  screenshot(browser, "facet-page2-phone.png", 320, 640, true);
}

TEST_CASE("a person picks a completion in Chromium with the keyboard", "[server][browser]") {
  RunningServer server(on(shared_index().database()));
  TempDir profile("vnsearch-chromium-suggest");
  std::unique_ptr<vnsearch::test::DevToolsBrowser> started;
  try {
    started = std::make_unique<vnsearch::test::DevToolsBrowser>(profile / "profile");
  } catch (const std::exception& error) {
    WARN("browser test skipped: Chromium cannot start here: " << error.what());
    return;
  }
  auto& browser = *started;
  browser.call("Page.enable");
  const std::string home = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  and_wait_for_load(browser, [&] { browser.call("Page.navigate", {{"url", home}}); });
  REQUIRE(browser.evaluate("document.activeElement.id") == "q");
  const auto key = [&](const char* name, int code) {
    for (const char* type : {"rawKeyDown", "keyUp"}) {
      browser.call(
          "Input.dispatchKeyEvent",
          {{"type", type}, {"key", name}, {"code", name}, {"windowsVirtualKeyCode", code}});
    }
  };
  const auto options_shown = [&] {
    for (int i = 0; i < 100; ++i) {  // debounce + request: well under a second
      const int shown = browser.evaluate(
          "document.getElementById('q-suggestions').hidden ? 0 : "
          "document.querySelectorAll('#q-suggestions [role=option]').length");
      if (shown > 0) return shown;
      std::this_thread::sleep_for(50ms);
    }
    return 0;
  };
  browser.call("Input.insertText", {{"text", "cum th"}});
  const int shown = options_shown();
  REQUIRE(shown > 0);
  CHECK(shown <= 10);
  CHECK(browser.evaluate("document.getElementById('q').getAttribute('aria-expanded')") == "true");
  const std::string first =
      browser.evaluate("document.querySelector('#q-suggestions [role=option]').textContent");
  CHECK(vnsearch::to_exact(first).find("cụm thi đua") != std::string::npos);
  screenshot(browser, "completions-desktop.png", 1280, 900, false);

  // Down, down, up: the first option is active; Escape closes; Down opens the list again.
  key("ArrowDown", 40);
  if (shown > 1) key("ArrowDown", 40);
  if (shown > 1) key("ArrowUp", 38);
  CHECK(browser.evaluate("document.getElementById('q').getAttribute('aria-activedescendant')") ==
        "q-suggestion-0");
  CHECK(browser.evaluate(
            "document.getElementById('q-suggestion-0').getAttribute('aria-selected')") == "true");
  key("Escape", 27);
  CHECK(browser.evaluate("document.getElementById('q-suggestions').hidden") == true);
  CHECK(browser.evaluate("document.getElementById('q').getAttribute('aria-expanded')") == "false");
  key("ArrowDown", 40);
  REQUIRE(options_shown() > 0);
  key("ArrowDown", 40);
  and_wait_for_load(browser, [&] { key("Enter", 13); });
  CHECK(browser.evaluate("document.getElementById('q').value") == first);
  CHECK(contains(browser.evaluate("decodeURIComponent(location.search.replace(/\\+/g, ' '))"),
                 "q=" + first));

  // On a phone: type, then tap an option.
  browser.call("Emulation.setDeviceMetricsOverride",
               {{"width", 360}, {"height", 740}, {"deviceScaleFactor", 1}, {"mobile", true}});
  browser.call("Emulation.setTouchEmulationEnabled", {{"enabled", true}});
  and_wait_for_load(browser, [&] { browser.call("Page.navigate", {{"url", home}}); });
  browser.evaluate("document.getElementById('q').focus()");
  browser.call("Input.insertText", {{"text", "ha no"}});
  REQUIRE(options_shown() > 0);
  screenshot(browser, "completions-phone.png", 360, 740, true);
  const json box = browser.evaluate(
      "JSON.stringify(document.getElementById('q-suggestion-0').getBoundingClientRect())");
  const json rect = json::parse(box.get<std::string>());
  CHECK(rect["right"].get<double>() <= 360);
  CHECK(rect["height"].get<double>() >= 40);  // a finger-sized target
  const double x = rect["x"].get<double>() + 10, y = rect["y"].get<double>() + 10;
  const std::string tapped =
      browser.evaluate("document.getElementById('q-suggestion-0').textContent");
  and_wait_for_load(browser, [&] {
    browser.call("Input.dispatchTouchEvent",
                 {{"type", "touchStart"}, {"touchPoints", json::array({{{"x", x}, {"y", y}}})}});
    browser.call("Input.dispatchTouchEvent",
                 {{"type", "touchEnd"}, {"touchPoints", json::array()}});
  });
  CHECK(browser.evaluate("document.getElementById('q').value") == tapped);
}
