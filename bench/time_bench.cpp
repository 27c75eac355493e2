// time_bench: what the time features cost per query on a real index. Each query of a dev set
// runs in every mode — relevance, relevance + timeline, relevance + facets, relevance + facets
// + timeline (what the page asks for), newest, oldest, fresh — and the program prints mean, p50
// and p99 latency per mode, with the matches counted. The timeline and the facets make the
// matcher visit every match (exact counts), so their cost grows with the match count: the
// commonest words are the worst case. Figures and command in bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "vnsearch/search.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Mode {
  const char* name;
  vnsearch::SearchSort sort;
  bool facets, timeline;
};

double percentile(std::vector<double> values, double share) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(share * values.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Latency of the sort orders, the timeline and the facets on one index"};
  fs::path database;
  fs::path queries_path =
      fs::path(VNSEARCH_SOURCE_DIR) / ".." / "shared" / "eval" / "short-phrases-dev.jsonl";
  std::size_t count = 200;
  std::vector<std::string> extra = {"việt nam", "người", "năm 2023", "thi đua"};
  app.add_option("--db", database, "Database directory")->required();
  app.add_option("--queries", queries_path, "JSONL with a \"query\" field per line");
  app.add_option("--count", count, "Queries taken from the file (the first N)");
  app.add_option("--also", extra, "Queries added to the file's (common words: the worst case)");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> queries;
  std::ifstream in(queries_path);
  for (std::string line; queries.size() < count && std::getline(in, line);) {
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.contains("query")) queries.push_back(record["query"]);
  }
  queries.insert(queries.end(), extra.begin(), extra.end());
  std::printf("%zu queries on %s\n", queries.size(), database.c_str());

  vnsearch::Searcher searcher(database);
  for (const std::string& query : queries) (void)searcher.search(query);  // warm the caches
  const Mode modes[] = {
      {"relevance", vnsearch::SearchSort::kRelevance, false, false},
      {"relevance+timeline", vnsearch::SearchSort::kRelevance, false, true},
      {"relevance+facets", vnsearch::SearchSort::kRelevance, true, false},
      {"relevance+facets+timeline", vnsearch::SearchSort::kRelevance, true, true},
      {"newest", vnsearch::SearchSort::kDate, false, false},
      {"oldest", vnsearch::SearchSort::kOldest, false, false},
      {"fresh", vnsearch::SearchSort::kFreshness, false, false},
  };
  std::printf("%-26s %8s %8s %8s %8s %10s\n", "mode", "mean ms", "p50 ms", "p99 ms", "max ms",
              "max matches");
  for (const Mode& mode : modes) {
    vnsearch::SearchOptions options;
    options.sort = mode.sort;
    options.facets = mode.facets;
    options.timeline = mode.timeline;
    std::vector<double> times;
    std::uint64_t most = 0;
    for (const std::string& query : queries) {
      const auto start = Clock::now();
      const vnsearch::SearchResult result = searcher.search(query, options);
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      most = std::max(most, result.estimated_matches);
    }
    double sum = 0;
    for (double time : times) sum += time;
    std::printf("%-26s %8.2f %8.2f %8.2f %8.2f %10llu\n", mode.name, sum / times.size(),
                percentile(times, 0.5), percentile(times, 0.99), percentile(times, 1.0),
                static_cast<unsigned long long>(most));
  }
  return 0;
}
