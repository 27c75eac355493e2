// completion_bench: completions as people type, on a built index (issue 10, section 3).
//
// Hit rate: for every title of titles-dev, its first 1, 2 and 3 syllables are typed as written
// and unaccented, and the title counts as found when it is among the (at most 10) completions.
// Latency: every keystroke of the first 30 characters of every title, as written and unaccented
// (short prefixes are the expensive ones), timed one call at a time; p50/p99/max.
// Also the table's size on disk and what loading it costs. Figures and command in bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "vnsearch/completion_table.h"
#include "vnsearch/database_layout.h"
#include "vnsearch/tokenizer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string collapse_spaces(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The first `count` word tokens of `title` as typed: the text up to the end of the last one.
std::string first_syllables(const std::string& title, const std::vector<vnsearch::Token>& tokens,
                            std::size_t count) {
  std::size_t seen = 0;
  for (const vnsearch::Token& token : tokens) {
    if (token.role == vnsearch::TokenRole::kPart) continue;
    if (++seen == count) return title.substr(0, token.end);
  }
  return {};
}

// Byte lengths of the first `limit` characters of `text` (each a keystroke).
std::vector<std::size_t> keystrokes(const std::string& text, std::size_t limit) {
  std::vector<std::size_t> ends;
  for (std::size_t at = 1; at <= text.size() && ends.size() < limit; ++at) {
    if (at == text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80) {
      ends.push_back(at);
    }
  }
  return ends;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(at, values.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"completion_bench: completion hit rate and latency on a built index"};
  fs::path database;
  fs::path titles = fs::path(VNSEARCH_SOURCE_DIR) / ".." / "shared" / "eval" / "titles-dev.jsonl";
  app.add_option("--db", database, "Database built by vnsearch index")->required();
  app.add_option("--titles", titles, "JSONL with the titles as \"query\" (titles-dev)");
  CLI11_PARSE(app, argc, argv);

  const fs::path directory = vnsearch::layout::live_directory_for_reading(
      vnsearch::layout::normalize_database_path(database));
  const fs::path path = directory / vnsearch::CompletionTable::kFileName;
  vnsearch::CompletionTable all, table;
  auto started = Clock::now();
  all.load(path, /*for_answering=*/false);
  const double load_all_ms = ms_since(started);
  started = Clock::now();
  all.save(directory / "completion-bench.tmp", 0);  // what an update by difference writes
  const double save_ms = ms_since(started);
  fs::remove(directory / "completion-bench.tmp");
  started = Clock::now();
  table.load(path);
  const double load_ms = ms_since(started);
  std::printf("table: %.1f MiB on disk, %zu entries counted, %zu kept for answering\n",
              static_cast<double>(fs::file_size(path)) / (1 << 20), all.size(), table.size());
  std::printf("load for answering %.0f ms; update by difference: load %.0f ms + save %.0f ms\n",
              load_ms, load_all_ms, save_ms);

  std::ifstream in(titles);
  if (!in) {
    std::cerr << "completion_bench: cannot read " << titles << "\n";
    return 4;
  }
  const vnsearch::Analyzer analyzer;
  std::size_t titles_read = 0;
  std::size_t found[2][3] = {{0, 0, 0}, {0, 0, 0}};
  std::vector<double> latencies;
  for (std::string line; std::getline(in, line);) {
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("query") || !record["query"].is_string()) continue;
    const std::string title = record["query"].get<std::string>();
    const std::string wanted = collapse_spaces(title);
    const auto tokens = analyzer.analyze(title);
    ++titles_read;
    for (int form = 0; form < 2; ++form) {
      for (std::size_t count = 1; count <= 3; ++count) {
        std::string typed = first_syllables(title, tokens, count);
        if (typed.empty()) continue;
        if (form == 1) typed = vnsearch::to_folded(typed);
        const auto completions = table.complete(typed);
        const bool hit = std::any_of(completions.begin(), completions.end(),
                                     [&](const auto& c) { return c.text == wanted; });
        if (hit) ++found[form][count - 1];
      }
      const std::string text = form == 0 ? title : vnsearch::to_folded(title);
      for (std::size_t end : keystrokes(text, 30)) {
        const auto call = Clock::now();
        const auto completions = table.complete(std::string_view(text).substr(0, end));
        latencies.push_back(ms_since(call));
        if (completions.size() > vnsearch::CompletionTable::kMaxCompletions) return 70;
      }
    }
  }
  std::printf("titles: %zu\n", titles_read);
  for (int form = 0; form < 2; ++form) {
    std::printf("%-10s", form == 0 ? "typed" : "unaccented");
    for (int count = 0; count < 3; ++count) {
      std::printf("  %d syllable%s: %5.1f%%", count + 1, count == 0 ? " " : "s",
                  100.0 * static_cast<double>(found[form][count]) /
                      static_cast<double>(std::max<std::size_t>(titles_read, 1)));
    }
    std::printf("\n");
  }
  std::printf("latency over %zu keystrokes: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              latencies.size(), percentile(latencies, 0.5), percentile(latencies, 0.99),
              percentile(latencies, 1.0));
  return 0;
}
