// Relevance and latency of vnsearch beside plain Xapian and SQLite FTS5 over the same 37,279
// shared articles: MRR@10 and R@10 exactly as ../shared/tools/score.py defines them, for each
// query set as typed and unaccented (as ../shared/tools/unaccent.py strips it), plus per-query
// latency on one thread.
//
// Usage: eval [--workdir DIR] [--shared DIR] [--engine NAME]... [--set FILE]...
//             [--limit-queries N] [--write-results DIR]
// Indexes come from index_bench's work dir; the ones missing there are built first.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

#include "bench_support.h"
#include "es_like.h"
#include "eval_engines.h"

namespace {

using namespace vnsearch::bench;
using nlohmann::json;

constexpr std::size_t kTopK = 10;

struct Query {
  std::string qid, text;
  std::vector<std::string> relevant;
  /// Optional "exclude": documents neither relevant nor irrelevant, dropped from the hits before
  /// scoring (the same-event set's own article, which its lead naturally finds first).
  std::vector<std::string> exclude;
};

std::vector<Query> load_queries(const fs::path& file, std::size_t limit) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<Query> queries;
  for (std::string line; std::getline(in, line) && (limit == 0 || queries.size() < limit);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json record = json::parse(line);
    queries.push_back({record.at("qid").get<std::string>(), record.at("query").get<std::string>(),
                       record.at("relevant").get<std::vector<std::string>>(),
                       record.value("exclude", std::vector<std::string>{})});
  }
  return queries;
}

struct Scores {
  double mrr = 0, recall = 0;
};

// score.py to the letter: the first 10 hits; reciprocal rank of the first relevant one; recall
// = relevant hits in the top 10 / min(#relevant, 10); both averaged over every query.
Scores score(const std::vector<Query>& queries, const std::vector<std::vector<std::string>>& hits) {
  Scores total;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const std::set<std::string> relevant(queries[q].relevant.begin(), queries[q].relevant.end());
    const std::size_t n = std::min(hits[q].size(), kTopK);
    std::size_t found = 0;
    std::optional<std::size_t> first;
    for (std::size_t rank = 0; rank < n; ++rank) {
      if (!relevant.count(hits[q][rank])) continue;
      ++found;
      if (!first) first = rank;
    }
    if (first) total.mrr += 1.0 / static_cast<double>(*first + 1);
    if (!relevant.empty()) {
      total.recall +=
          static_cast<double>(found) / static_cast<double>(std::min(relevant.size(), kTopK));
    }
  }
  const auto count = static_cast<double>(std::max<std::size_t>(queries.size(), 1));
  return {total.mrr / count, total.recall / count};
}

// Nearest-rank percentile, in the unit of `values`.
double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// CPU time of the calling thread: on a machine shared with other work, wall latency mostly
// measures the wait for a core, CPU time what the query itself costs.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct RunResult {
  Scores scores;
  double p50_ms = 0, p99_ms = 0;
  double cpu_p50_ms = 0, cpu_p99_ms = 0, cpu_mean_ms = 0;  // thread CPU time per query
  std::size_t failures = 0;
};

RunResult run(Engine& engine, const std::vector<Query>& queries,
              const std::vector<std::string>& texts, const fs::path& results_file) {
  std::vector<std::vector<std::string>> hits;
  std::vector<double> latencies_ms, cpu_ms;
  hits.reserve(queries.size());
  latencies_ms.reserve(queries.size());
  cpu_ms.reserve(queries.size());
  const std::size_t failures_before = engine.failures();
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const std::vector<std::string>& exclude = queries[q].exclude;
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    std::vector<std::string> found = engine.search(texts[q], kTopK + exclude.size());
    cpu_ms.push_back((thread_cpu_seconds() - cpu_start) * 1e3);
    latencies_ms.push_back(seconds_since(start) * 1e3);
    std::erase_if(found, [&](const std::string& id) {
      return std::find(exclude.begin(), exclude.end(), id) != exclude.end();
    });
    if (found.size() > kTopK) found.resize(kTopK);
    hits.push_back(std::move(found));
  }
  if (!results_file.empty()) {
    std::ofstream out(results_file);
    for (std::size_t q = 0; q < queries.size(); ++q) {
      json line = {{"qid", queries[q].qid}, {"hits", json::array()}};
      for (const std::string& id : hits[q]) line["hits"].push_back({{"id", id}});
      out << line.dump() << "\n";
    }
  }
  double cpu_total = 0;
  for (double ms : cpu_ms) cpu_total += ms;
  return {score(queries, hits),
          percentile(latencies_ms, 0.50),
          percentile(latencies_ms, 0.99),
          percentile(cpu_ms, 0.50),
          percentile(cpu_ms, 0.99),
          cpu_total / static_cast<double>(std::max<std::size_t>(cpu_ms.size(), 1)),
          engine.failures() - failures_before};
}

// Throughput with `threads` threads, each with its own engine (a Searcher is one thread's), the
// queries dealt out round robin; one warm-up pass over a thread's share first, not timed.
struct Throughput {
  double queries_per_second = 0, p50_ms = 0, p99_ms = 0;
};

Throughput run_threads(const std::function<std::unique_ptr<Engine>()>& open,
                       const std::vector<std::string>& texts, std::size_t threads) {
  std::vector<std::unique_ptr<Engine>> engines;
  for (std::size_t t = 0; t < threads; ++t) engines.push_back(open());
  std::vector<std::vector<double>> latencies(threads);
  const auto work = [&](std::size_t t, bool timed) {
    for (std::size_t q = t; q < texts.size(); q += threads) {
      const auto start = std::chrono::steady_clock::now();
      engines[t]->search(texts[q], kTopK);
      if (timed) latencies[t].push_back(seconds_since(start) * 1e3);
    }
  };
  const auto all = [&](bool timed) {
    std::vector<std::thread> running;
    for (std::size_t t = 0; t < threads; ++t) running.emplace_back(work, t, timed);
    for (std::thread& thread : running) thread.join();
  };
  all(false);
  const auto start = std::chrono::steady_clock::now();
  all(true);
  const double seconds = seconds_since(start);
  std::vector<double> merged;
  for (const auto& part : latencies) merged.insert(merged.end(), part.begin(), part.end());
  return {static_cast<double>(texts.size()) / seconds, percentile(merged, 0.50),
          percentile(merged, 0.99)};
}

fs::path resolve_set(const fs::path& shared, const std::string& name) {
  if (fs::exists(name)) return name;
  return shared / "eval" / name;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("MRR@10, R@10 and latency of vnsearch, plain Xapian and SQLite FTS5");
  fs::path workdir = default_workdir();
  fs::path shared = default_shared_dir();
  std::vector<std::string> engine_names{"xapian", "fts5", "es-like", "vnsearch"};
  std::vector<std::string> sets{"vinewsqa-dev.jsonl", "titles-dev.jsonl", "short-phrases-dev.jsonl",
                                "seed-queries.jsonl"};
  std::size_t limit = 0;
  std::size_t threads = 0;
  fs::path results_dir;
  app.add_option("--workdir", workdir, "index_bench's work dir (missing indexes are built)");
  app.add_option("--shared", shared, "The shared data directory");
  app.add_option("--engine", engine_names,
                 "Only these engines: xapian, fts5, es-like, es-like-title2, vnsearch")
      ->check(CLI::IsMember({"xapian", "fts5", "es-like", "es-like-title2", "vnsearch"}));
  app.add_option("--set", sets, "Query files (paths, or names under SHARED/eval)");
  app.add_option("--limit-queries", limit, "Only the first N queries of each set");
  app.add_option("--write-results", results_dir,
                 "Write ENGINE.SET.VARIANT.jsonl batch output (for tools/score.py) and "
                 "queries.SET.unaccented.jsonl here");
  app.add_option("--threads", threads,
                 "Also measure throughput with N threads (each its own engine), after the "
                 "single-thread run of each set and variant");
  CLI11_PARSE(app, argc, argv);

  if (!fs::is_directory(shared / "corpus")) {
    std::printf("eval: skipped: no shared corpus at %s\n", (shared / "corpus").c_str());
    return 0;
  }
  const WorkPaths paths{workdir};
  fs::create_directories(workdir);
  if (!results_dir.empty()) fs::create_directories(results_dir);

  // Indexes index_bench left behind are reused; a missing one is built the same way.
  const std::vector<fs::path> inputs = corpus_inputs(shared);
  std::optional<LoadedCorpus> corpus;
  const auto documents = [&]() -> const std::vector<vnsearch::Document>& {
    if (!corpus) corpus = load_corpus(inputs);
    return corpus->documents;
  };
  std::vector<std::pair<std::string, std::unique_ptr<Engine>>> engines;
  for (const std::string& name : engine_names) {
    if (name == "vnsearch" && !vnsearch_available()) {
      std::printf("vnsearch: skipped: eval was built without the query library (vnsearch_query)\n");
      continue;
    }
    const std::string index =
        name == "es-like-title2" ? "es-like" : name;  // one index, two queries
    if (!paths.complete(index)) {
      std::fprintf(stderr, "building the %s index in %s...\n", name.c_str(), workdir.c_str());
      if (name == "xapian") build_plain_xapian(paths, documents());
      if (name == "fts5") build_fts5(paths, documents());
      if (name == "vnsearch") build_vnsearch(paths, inputs);
      if (name == "es-like" || name == "es-like-title2") build_es_like(paths, documents());
    }
    if (name == "xapian") engines.emplace_back(name, open_plain_xapian(paths.xapian_compact()));
    if (name == "fts5") engines.emplace_back(name, open_fts5(paths.fts5()));
    if (name == "vnsearch") engines.emplace_back(name, open_vnsearch(paths.vnsearch_live()));
    if (name == "es-like") engines.emplace_back(name, open_es_like(paths.es_like_compact(), 1.0));
    if (name == "es-like-title2") {
      engines.emplace_back(name, open_es_like(paths.es_like_compact(), 2.0));
    }
  }
  for (auto& [name, engine] : engines) {
    std::printf("%s: %llu documents\n", name.c_str(),
                static_cast<unsigned long long>(engine->documents()));
  }

  // MRR@10 per set, variant and engine, for the summary at the end.
  std::map<std::string, std::map<std::string, Scores>> summary;
  std::vector<std::string> summary_rows;
  for (const std::string& set : sets) {
    const fs::path file = resolve_set(shared, set);
    const std::vector<Query> queries = load_queries(file, limit);
    const std::string stem = file.stem().string();
    for (const bool plain : {false, true}) {
      const char* variant = plain ? "unaccented" : "typed";
      std::vector<std::string> texts;
      for (const Query& query : queries) texts.push_back(plain ? unaccent(query.text) : query.text);
      if (plain && !results_dir.empty()) {
        // The unaccented queries, to diff against tools/unaccent.py.
        std::ofstream out(results_dir / ("queries." + stem + ".unaccented.jsonl"));
        for (std::size_t q = 0; q < queries.size(); ++q) {
          out << json{{"qid", queries[q].qid},
                      {"query", texts[q]},
                      {"relevant", queries[q].relevant}}
                     .dump()
              << "\n";
        }
      }
      const std::string row = stem + (plain ? ", unaccented" : ", as typed");
      summary_rows.push_back(row);
      std::printf("\n%s (%zu queries)\n\n", row.c_str(), queries.size());
      std::printf(
          "| engine | MRR@10 | R@10 | p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | CPU mean ms | "
          "failed queries |\n");
      std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (auto& [name, engine] : engines) {
        const fs::path results_file =
            results_dir.empty() ? fs::path()
                                : results_dir / (name + "." + stem + "." + variant + ".jsonl");
        const RunResult result = run(*engine, queries, texts, results_file);
        summary[row][name] = result.scores;
        std::printf("| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %zu |\n", name.c_str(),
                    result.scores.mrr, result.scores.recall, result.p50_ms, result.p99_ms,
                    result.cpu_p50_ms, result.cpu_p99_ms, result.cpu_mean_ms, result.failures);
        std::fflush(stdout);
      }
      for (std::size_t e = 0; threads > 0 && e < engines.size(); ++e) {
        const std::string& name = engines[e].first;
        const std::function<std::unique_ptr<Engine>()> open = [&] {
          if (name == "xapian") return open_plain_xapian(paths.xapian_compact());
          if (name == "vnsearch") return open_vnsearch(paths.vnsearch_live());
          if (name == "fts5") return open_fts5(paths.fts5());
          return open_es_like(paths.es_like_compact(), name == "es-like-title2" ? 2.0 : 1.0);
        };
        const Throughput result = run_threads(open, texts, threads);
        std::printf("%s, %zu threads: %.1f queries/s, p50 %.2f ms, p99 %.2f ms\n", name.c_str(),
                    threads, result.queries_per_second, result.p50_ms, result.p99_ms);
        std::fflush(stdout);
      }
    }
  }

  std::printf("\nSummary, MRR@10 (R@10)\n\n| query set |");
  for (auto& [name, engine] : engines) std::printf(" %s |", name.c_str());
  std::printf("\n|---|");
  for (std::size_t i = 0; i < engines.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (const std::string& row : summary_rows) {
    std::printf("| %s |", row.c_str());
    for (auto& [name, engine] : engines) {
      const Scores& s = summary[row][name];
      std::printf(" %.3f (%.3f) |", s.mrr, s.recall);
    }
    std::printf("\n");
  }
  return 0;
}
