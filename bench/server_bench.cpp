// server_bench: what the HTTP layer costs. The same queries (vinewsqa-dev) run twice in one run
// on the same index and the same number of threads: in-process (Searchers on one shared
// SearchIndex, as the server's workers use them) and through `vnsearch serve`'s HTTP server,
// driven by wrk over loopback. Prints requests/s, p50/p99 latency and errors for both, and the
// ratio (target: HTTP ≥ 0.9× in-process, zero errors). Figures and command in bench/README.md.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "vnsearch/search.h"
#include "vnsearch/search_index.h"
#include "vnsearch/server.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  fs::path database;
  fs::path queries =
      fs::path(VNSEARCH_SOURCE_DIR) / ".." / "shared" / "eval" / "vinewsqa-dev.jsonl";
  int seconds = 30;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  int connections = 64;
  int wrk_threads = 2;
};

std::vector<std::string> read_queries(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<std::string> queries;
  for (std::string line; std::getline(in, line);) {
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.contains("query") && record["query"].is_string()) {
      queries.push_back(record["query"]);
    }
  }
  if (queries.empty()) throw std::runtime_error("no queries in " + path.string());
  return queries;
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

struct Figures {
  double requests_per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  std::uint64_t requests = 0, errors = 0;
};

// Every thread takes the next query in turn, as wrk's connections do.
Figures in_process(const Options& options, const std::vector<std::string>& queries) {
  auto index = std::make_shared<vnsearch::SearchIndex>(options.database);
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> errors{0};
  std::vector<std::vector<double>> latencies(options.threads);
  const auto deadline = Clock::now() + std::chrono::seconds(options.seconds);
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < options.threads; ++t) {
    threads.emplace_back([&, t] {
      vnsearch::Searcher searcher(index);
      vnsearch::SearchOptions search;  // the API's defaults: 10 hits, snippets
      while (Clock::now() < deadline) {
        const auto begin = Clock::now();
        const auto result = searcher.search(queries[next++ % queries.size()], search);
        if (result.failure) ++errors;
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (const auto& list : latencies) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  Figures figures;
  figures.requests = all.size();
  figures.errors = errors;
  figures.requests_per_second = static_cast<double>(all.size()) / elapsed;
  if (!all.empty()) {
    figures.p50_ms = all[all.size() / 2];
    figures.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return figures;
}

double wrk_milliseconds(const std::string& text) {
  const double value = std::atof(text.c_str());
  if (text.find("us") != std::string::npos) return value / 1000;
  if (text.find("ms") != std::string::npos) return value;
  if (text.find('s') != std::string::npos) return value * 1000;
  return value;
}

Figures over_http(const Options& options, const std::vector<std::string>& queries,
                  const fs::path& workdir) {
  vnsearch::ServerOptions server_options;
  server_options.database = options.database;
  server_options.port = 0;
  server_options.threads = options.threads;
  vnsearch::SearchServer server(server_options);
  const int port = server.bind();
  std::thread serving([&] { server.run(); });

  const fs::path script = workdir / "server_bench.lua";
  {
    std::ofstream lua(script);
    lua << "local paths = {\n";
    for (const std::string& query : queries) {
      lua << "  \"/api/search?q=" << url_encode(query) << "\",\n";
    }
    lua << "}\nlocal i = 0\n"
           "function init(args) i = math.random(#paths) end\n"
           "function request()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", "
           "paths[i])\nend\n";
  }
  // wrk's default 2 s timeout would count queueing as failure: 64 connections share a few search
  // slots, so a request waits for about connections / throughput seconds by design.
  const std::string command =
      "wrk --latency --timeout 10s -t" + std::to_string(options.wrk_threads) + " -c" +
      std::to_string(options.connections) + " -d" + std::to_string(options.seconds) + "s -s '" +
      script.string() + "' http://127.0.0.1:" + std::to_string(port) + "/ 2>&1";
  std::cerr << "$ " << command << "\n";
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
  }
  server.stop();
  serving.join();
  std::cerr << output;

  Figures figures;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "Requests/sec:") words >> figures.requests_per_second;
    if (first == "50%") {
      std::string value;
      words >> value;
      figures.p50_ms = wrk_milliseconds(value);
    }
    if (first == "99%") {
      std::string value;
      words >> value;
      figures.p99_ms = wrk_milliseconds(value);
    }
    if (line.find("requests in") != std::string::npos) figures.requests = std::stoull(first);
    if (line.find("Non-2xx or 3xx responses:") != std::string::npos) {
      figures.errors += std::stoull(line.substr(line.find(':') + 1));
    }
    if (line.find("Socket errors:") != std::string::npos) {
      // "Socket errors: connect 0, read 0, write 0, timeout 0"
      std::size_t at = line.find(':') + 1;
      while ((at = line.find_first_of("0123456789", at)) != std::string::npos) {
        std::size_t end = 0;
        figures.errors += std::stoull(line.substr(at), &end);
        at += end;
      }
    }
  }
  if (figures.requests_per_second == 0) {
    throw std::runtime_error("wrk did not run (is the Debian package wrk installed?)");
  }
  return figures;
}

void print(const char* name, const Figures& figures) {
  std::printf("| %s | %.0f | %.1f | %.1f | %llu | %llu |\n", name, figures.requests_per_second,
              figures.p50_ms, figures.p99_ms, static_cast<unsigned long long>(figures.requests),
              static_cast<unsigned long long>(figures.errors));
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  fs::path workdir = fs::temp_directory_path();
  CLI::App app{"server_bench: the HTTP server under wrk beside the same queries in-process"};
  app.add_option("--db", options.database, "Database (vnsearch index --db)")->required();
  app.add_option("--queries", options.queries, "JSONL with a \"query\" per line");
  app.add_option("--seconds", options.seconds, "Duration of each half (default 30)");
  app.add_option("--threads", options.threads, "Server workers = in-process threads");
  app.add_option("--connections", options.connections, "wrk connections (default 64)");
  app.add_option("--wrk-threads", options.wrk_threads, "wrk threads (default 2)");
  app.add_option("--workdir", workdir, "Where the wrk script is written");
  CLI11_PARSE(app, argc, argv);
  try {
    const auto queries = read_queries(options.queries);
    std::cerr << queries.size() << " queries, " << options.threads << " threads, "
              << options.seconds << " s each\n";
    // Warm the page cache and the model first, so neither half pays for the other's cold start.
    Options warm = options;
    warm.seconds = std::max(1, options.seconds / 6);
    in_process(warm, queries);
    const Figures local = in_process(options, queries);
    const Figures http = over_http(options, queries, workdir);
    std::printf(
        "| | requests/s | p50 ms | p99 ms | requests | errors |\n|---|---:|---:|---:|---:|---:|\n");
    print("in-process Searchers", local);
    print("HTTP (wrk)", http);
    std::printf("\nHTTP / in-process throughput: %.2fx (target >= 0.9x, zero errors)\n",
                http.requests_per_second / local.requests_per_second);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "server_bench: " << error.what() << "\n";
    return 1;
  }
}
