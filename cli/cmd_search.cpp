// `vnsearch search`: one query from the command line, or a batch of JSONL queries (how relevance
// is evaluated and how journalists run saved query lists).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"

namespace vnsearch::cli {
namespace {

struct SearchCommand {
  std::string database;
  std::vector<std::string> words;
  std::string batch;
  std::string format = "text";
  std::string sort = "relevance";
  SearchOptions options;
};

// Batch lines carry only what relevance evaluation reads.
nlohmann::json hit_json(const Hit& hit) {
  return {{"id", hit.id}, {"score", hit.score}, {"title", hit.title}};
}

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void print_text(const SearchResult& result) {
  if (!result.readings.empty()) {
    std::cout << "searched:";
    for (const std::string& reading : result.readings) std::cout << " «" << reading << "»";
    std::cout << "\n";
  }
  std::cout << "about " << result.estimated_matches << " matches\n";
  if (!result.message.empty()) std::cout << "note: " << result.message << "\n";
  int rank = 0;
  for (const Hit& hit : result.hits) {
    std::cout << "\n"
              << ++rank << ". " << hit.title << "\n   " << hit.id << "  score " << std::fixed
              << std::setprecision(2) << hit.score;
    if (!hit.date.empty()) std::cout << "  " << hit.date.substr(0, 10);
    if (!hit.source.empty()) std::cout << "  " << hit.source;
    std::cout << "\n";
    if (!hit.snippet.empty()) std::cout << "   " << render_snippet(hit.snippet) << "\n";
  }
  for (const auto& [name, counts] : result.facets) {
    std::cout << "\n" << name << ":";
    for (const FacetCount& count : counts)
      std::cout << " " << count.value << " (" << count.count << ")";
    std::cout << "\n";
  }
}

// Reads {"qid","query"} lines; writes {"qid","hits":[{"id","score","title"}],"readings"} lines
// in input order. A bad line is reported as file:line and skipped.
int run_batch(Searcher& searcher, const SearchCommand& command) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (command.batch != "-") {
    file.open(command.batch);
    if (!file) {
      std::cerr << "vnsearch search: cannot read " << command.batch << "\n";
      return 2;
    }
    in = &file;
  }
  SearchOptions options = command.options;
  options.snippets = false;
  std::string line;
  std::size_t number = 0, bad = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    const auto query = request.is_object() ? request.find("query") : request.end();
    if (!request.is_object() || query == request.end() || !query->is_string()) {
      std::cerr << command.batch << ":" << number
                << ": expected a JSON object with a string \"query\"\n";
      ++bad;
      continue;
    }
    const SearchResult result = searcher.search(query->get<std::string>(), options);
    nlohmann::json hits = nlohmann::json::array();
    for (const Hit& hit : result.hits) hits.push_back(hit_json(hit));
    nlohmann::json out = {{"qid", request.value("qid", nlohmann::json())},
                          {"hits", hits},
                          {"readings", result.readings}};
    if (!result.message.empty()) out["message"] = result.message;
    std::cout << dump(out) << "\n";
  }
  return bad > 0 ? 1 : 0;
}

int run_search(const SearchCommand& command) {
  Searcher searcher(command.database);
  if (!command.batch.empty()) return run_batch(searcher, command);
  std::string query;
  for (const std::string& word : command.words) query += (query.empty() ? "" : " ") + word;
  const SearchResult result = searcher.search(query, command.options);
  if (result.failure) {
    std::cerr << "vnsearch search: " << *result.failure << "\n";
    return 1;
  }
  if (command.format == "json") {
    ResultJsonContext context;
    context.query = query;
    context.per_page = command.options.limit;
    context.page =
        command.options.limit == 0 ? 1 : command.options.offset / command.options.limit + 1;
    context.sort = command.sort;
    std::cout << dump(result_to_json(result, context)) << "\n";
  } else {
    print_text(result);
  }
  return 0;
}

}  // namespace

void register_search(CLI::App& app) {
  auto command = std::make_shared<SearchCommand>();
  CLI::App* sub =
      app.add_subcommand("search",
                         "Search a database; words with or without diacritics, \"phrases\", +must, "
                         "-not, title:, source:, category:, tag:, author:, date: (docs/query.md)");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_option("query", command->words, "The query (several words are joined)");
  sub->add_option("--batch", command->batch,
                  "JSONL file of {\"qid\",\"query\"} (- for stdin); one JSON line out per query");
  sub->add_option("--limit", command->options.limit, "Hits to show (default 10)");
  sub->add_option("--offset", command->options.offset, "Hits to skip (for paging)");
  sub->add_option("--format", command->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("--facets", command->options.facets, "Count hits per source, category, year");
  sub->add_option("--sort", command->sort, "relevance (default) or date (newest first)")
      ->check(CLI::IsMember({"relevance", "date"}));
  sub->callback([command] {
    if (command->batch.empty() && command->words.empty()) {
      throw CLI::ValidationError("search", "give a QUERY or --batch FILE");
    }
    command->options.sort = command->sort == "date" ? SearchSort::kDate : SearchSort::kRelevance;
    const int status = run_search(*command);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace vnsearch::cli
