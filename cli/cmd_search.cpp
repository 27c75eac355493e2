// `vnsearch search`: one query from the command line, or a batch of JSONL queries (how relevance
// is evaluated and how journalists run saved query lists).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "exit_codes.h"
#include "export.h"
#include "output.h"
#include "shard_flags.h"
#include "text_output.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"

namespace vnsearch::cli {
namespace {

namespace fs = std::filesystem;

struct SearchCommand {
  ShardFlags databases;  ///< --db (one or several) and the shard options
  std::vector<std::string> words;
  std::string batch;
  std::string format;  ///< empty: not given (text, or JSON lines with --batch)
  std::string sort = "relevance";
  bool exact = false;               ///< --exact: never search a correction of the query
  bool all = false;                 ///< --all: export every hit (csv, jsonl)
  bool bom = false;                 ///< --bom: a UTF-8 byte order mark before CSV
  std::optional<double> half_life;  ///< --half-life DAYS, for --sort fresh
  SearchOptions options;
};

// Batch lines carry only what relevance evaluation reads.
nlohmann::json hit_json(const Hit& hit) {
  return {{"id", hit.id}, {"score", hit.score}, {"title", hit.title}};
}

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// "showing 11–20 of about 400 matches": what this page holds, and why it is empty when the
// query matched but the page does not reach any hit.
std::string page_summary(const SearchResult& result, const SearchOptions& options) {
  const std::string matches = "about " + counted(result.estimated_matches, "match", "matches");
  if (!result.hits.empty()) {
    return "showing " + std::to_string(options.offset + 1) + "–" +
           std::to_string(options.offset + result.hits.size()) + " of " + matches;
  }
  if (result.estimated_matches == 0) return "no matches";
  if (options.limit == 0) return matches + " (--limit 0: none shown)";
  return matches + "; none from hit " + std::to_string(options.offset + 1) +
         " on (--offset is past the last hit)";
}

// Every field comes from documents or the query: printable() keeps their control characters
// from reaching the terminal.
void print_text(const SearchResult& result, const SearchOptions& options) {
  const TextStyle style = style_for_stdout();
  if (result.correction && result.correction->applied) {
    std::cout << "showing results for: «" << printable(result.correction->text)
              << "» (search exactly as typed with --exact)\n";
  } else if (result.correction) {
    std::cout << "did you mean: «" << printable(result.correction->text) << "»?\n";
  }
  if (!result.readings.empty()) {
    // With operators the readings are the operands' words, not whole queries.
    std::cout << (result.query_language ? "words read as:" : "searched:");
    for (const std::string& reading : result.readings)
      std::cout << " «" << printable(reading) << "»";
    std::cout << "\n";
  }
  std::cout << page_summary(result, options) << "\n";
  if (!result.message.empty()) std::cout << "note: " << printable(result.message) << "\n";
  std::size_t rank = options.offset;
  for (const Hit& hit : result.hits) {
    std::cout << "\n"
              << ++rank << ". " << printable(hit.title) << "\n   " << printable(hit.id)
              << "  score " << std::fixed << std::setprecision(2) << hit.score;
    if (!hit.date.empty()) std::cout << "  " << vietnamese_date(hit.date);
    if (!hit.source.empty()) std::cout << "  " << printable(hit.source);
    std::cout << "\n";
    if (!hit.snippet.empty()) std::cout << "   " << terminal_snippet(hit.snippet, style) << "\n";
    if (hit.collapse_count > 0) {
      std::cout << "   + " << counted(hit.collapse_count, "copy", "copies")
                << " of this story folded in"
                << (hit.copies.empty() ? " (--copies lists them)" : "") << "\n";
    }
    for (const StoryCopy& copy : hit.copies) {
      std::cout << "   copy: " << printable(copy.id);
      if (!copy.date.empty()) std::cout << "  " << vietnamese_date(copy.date);
      if (!copy.source.empty()) std::cout << "  " << printable(copy.source);
      std::cout << "  " << printable(copy.title) << "\n";
    }
  }
  for (const auto& [name, counts] : result.facets) {
    std::cout << "\n" << name << ":";
    for (const FacetCount& count : counts)
      std::cout << " " << printable(count.value) << " (" << count.count << ")";
    std::cout << "\n";
  }
  if (result.timeline) print_timeline(std::cout, *result.timeline);
}

nlohmann::json facets_json(const SearchResult& result) {
  nlohmann::json facets = nlohmann::json::object();
  for (const auto& [name, counts] : result.facets) {
    facets[name] = nlohmann::json::array();
    for (const FacetCount& count : counts) {
      facets[name].push_back({{"value", count.value}, {"count", count.count}});
    }
  }
  return facets;
}

// Why a batch line holds no query, or an empty string when it holds one (in `query`, `qid`).
std::string read_request(const std::string& line, nlohmann::json& qid, std::string& query) {
  qid = nullptr;
  if (const std::size_t nul = line.find('\0'); nul != std::string::npos) {
    return "NUL byte at column " + std::to_string(nul + 1);
  }
  nlohmann::json request;
  try {
    request = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& error) {
    const std::string what = error.what();
    if (what.find("UTF-8") != std::string::npos || what.find("utf-8") != std::string::npos) {
      return "invalid UTF-8 at column " + std::to_string(error.byte);
    }
    if (error.byte >= line.size()) return "truncated JSON: the line ends inside a value";
    return "not JSON (column " + std::to_string(error.byte) + ")";
  }
  if (!request.is_object()) return "expected a JSON object {\"qid\": ..., \"query\": \"...\"}";
  qid = request.value("qid", nlohmann::json());
  const auto found = request.find("query");
  if (found == request.end()) return "no \"query\" field";
  if (!found->is_string()) {
    return std::string("\"query\" is a ") + found->type_name() + ", expected a string";
  }
  query = found->get<std::string>();
  return {};
}

// Reads {"qid","query"} lines; writes exactly one JSON line per input line, in order: the hits,
// or {"qid","error"} for a line that holds no readable query (reported on stderr as file:line
// too). Blank lines are answered {"qid":null,"error":"blank line"} so that output line N always
// answers input line N, but do not count as rejected.
int run_batch(Searcher& searcher, const SearchCommand& command) {
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string name = command.batch == "-" ? "<stdin>" : command.batch;
  if (command.batch != "-") {
    std::error_code error;
    if (fs::is_directory(command.batch, error)) {
      throw CommandFailure(kExitInput, "--batch " + command.batch +
                                           " is a directory; expected a JSONL file of queries");
    }
    file.open(command.batch, std::ios::binary);
    if (!file) {
      throw CommandFailure(kExitInput, "cannot read --batch " + command.batch + ": " +
                                           std::generic_category().message(errno));
    }
    in = &file;
  }
  SearchOptions options = command.options;
  options.snippets = false;
  std::string line;
  std::size_t number = 0, bad = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files
    nlohmann::json qid;
    std::string query, error;
    if (line.find_first_not_of(" \t") == std::string::npos) {
      error = "blank line";
    } else {
      error = read_request(line, qid, query);
      if (!error.empty()) {
        report_error("search", name + ":" + std::to_string(number) + ": " + error);
        ++bad;
      }
    }
    if (!error.empty()) {
      std::cout << dump({{"qid", qid}, {"error", error}}) << "\n";
      continue;
    }
    const auto started = std::chrono::steady_clock::now();
    const SearchResult result = searcher.search(query, options);
    const double took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    nlohmann::json hits = nlohmann::json::array();
    for (const Hit& hit : result.hits) hits.push_back(hit_json(hit));
    nlohmann::json out = {
        {"qid", qid}, {"hits", hits}, {"readings", result.readings}, {"took_ms", took_ms}};
    if (!result.unavailable_shards.empty()) out["unavailable_shards"] = result.unavailable_shards;
    if (!result.message.empty()) out["message"] = result.message;
    if (result.correction) {
      out["correction"] = {{"text", result.correction->text},
                           {"applied", result.correction->applied},
                           {"kinds", result.correction->kinds}};
    }
    if (!result.facets.empty()) out["facets"] = facets_json(result);
    std::cout << dump(out) << "\n";
  }
  if (in->bad()) throw CommandFailure(kExitInput, "error reading " + name);
  return bad > 0 ? kExitSomeRejected : kExitOk;
}

// What cannot go together, said before the database is opened.
void check_arguments(const SearchCommand& command) {
  if (command.batch.empty() && command.words.empty()) {
    throw CLI::ValidationError("give a QUERY or --batch FILE");
  }
  if (!command.batch.empty() && !command.words.empty()) {
    throw CLI::ValidationError(
        "give a QUERY or --batch FILE, not both (--batch reads every "
        "query from the file)");
  }
  if (!command.batch.empty() && command.format == "text") {
    throw CLI::ValidationError("--batch always writes JSON lines; --format text is for one QUERY");
  }
  const bool export_format = command.format == "csv" || command.format == "jsonl";
  if (!command.batch.empty() && export_format) {
    throw CLI::ValidationError("--batch always writes JSON lines; --format " + command.format +
                               " is for one QUERY");
  }
  if (command.all && !export_format) {
    throw CLI::ValidationError("--all exports every hit with --format csv or jsonl");
  }
  if (command.bom && command.format != "csv") {
    throw CLI::ValidationError("--bom is for --format csv (a BOM would break JSON lines)");
  }
  if (command.options.timeline && export_format) {
    throw CLI::ValidationError("--timeline is shown with --format text or json, not " +
                               command.format);
  }
  if (command.half_life && command.options.sort != SearchSort::kFreshness) {
    throw CLI::ValidationError("--half-life applies to --sort fresh");
  }
  if (command.options.offset + command.options.limit > SearchOptions::kMaxWindow) {
    throw CLI::ValidationError("--offset + --limit may be at most " +
                               std::to_string(SearchOptions::kMaxWindow) +
                               " (hits past that are never returned)");
  }
}

int run_search(const SearchCommand& command) {
  check_arguments(command);
  Searcher searcher(open_search_index(command.databases));
  if (!command.batch.empty()) return run_batch(searcher, command);
  std::string query;
  for (const std::string& word : command.words) query += (query.empty() ? "" : " ") + word;
  if (command.format == "csv" || command.format == "jsonl") {
    ExportOptions format;
    format.csv = command.format == "csv";
    format.all = command.all;
    format.bom = command.bom;
    return export_hits(searcher, query, command.options, format, std::cout);
  }
  const SearchResult result = searcher.search(query, command.options);
  if (result.failure) {
    // The index could not be read (it vanished, or is damaged): a database error, not a miss.
    report_error("search", *result.failure);
    return kExitDatabase;
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
    print_text(result, command.options);
  }
  return kExitOk;
}

}  // namespace

void put_query_words_last(const CLI::App& search, std::vector<std::string>& args) {
  std::vector<std::string> options = {args.at(0)}, words;
  std::size_t at = 1;
  for (; at < args.size(); ++at) {
    const std::string& arg = args[at];
    if (arg == "--") {
      ++at;
      break;
    }
    const bool long_option = arg.size() > 2 && arg.compare(0, 2, "--") == 0;
    if (!long_option && arg != "-h") {
      words.push_back(arg);  // a word, `-word` (an exclusion) or `-` alone
      continue;
    }
    options.push_back(arg);
    const std::string name = arg.substr(0, arg.find('='));
    const CLI::Option* option = search.get_option_no_throw(name);
    if (option == nullptr) return;  // an unknown --option: CLI11 reports the arguments as typed
    const bool takes_value = option != nullptr && option->get_expected_max() > 0 &&
                             !option->get_positional() && name == arg;
    if (takes_value && at + 1 < args.size()) options.push_back(args[++at]);
  }
  words.insert(words.end(), args.begin() + static_cast<std::ptrdiff_t>(at), args.end());
  if (!words.empty()) {
    options.emplace_back("--");
    options.insert(options.end(), words.begin(), words.end());
  }
  args = std::move(options);
}

void register_search(CLI::App& app) {
  auto command = std::make_shared<SearchCommand>();
  CLI::App* sub = app.add_subcommand(
      "search",
      "Search a database; words with or without diacritics, \"phrases\", +must, -not, title:, "
      "source:, category:, tag:, author:, date: (docs/query.md). Words starting with - are "
      "exclusions, not options");
  add_shard_flags(sub, command->databases);
  sub->add_option("query", command->words, "The query (several words are joined)");
  sub->add_option("--batch", command->batch,
                  "JSONL file of {\"qid\",\"query\"} (- for stdin); one JSON line out per line in");
  sub->add_option("--limit", command->options.limit,
                  "Hits to show (default 10, at most " + std::to_string(SearchOptions::kMaxLimit) +
                      "; 0 only counts)")
      ->check(CLI::Range(std::size_t{0}, SearchOptions::kMaxLimit));
  sub->add_option("--offset", command->options.offset,
                  "Hits to skip, for paging (offset + limit at most " +
                      std::to_string(SearchOptions::kMaxWindow) + ")")
      ->check(CLI::Range(std::size_t{0}, SearchOptions::kMaxWindow));
  sub->add_option("--format", command->format,
                  "text (default, for people), json, or csv / jsonl (plain-text hits for "
                  "spreadsheets and scripts); --batch writes JSON")
      ->check(CLI::IsMember({"text", "json", "csv", "jsonl"}));
  sub->add_flag("--all", command->all,
                "With csv/jsonl: every hit, not one page (at most " +
                    std::to_string(ExportOptions::kMaxHits) + ", with a note when capped)");
  sub->add_flag("--bom", command->bom,
                "With csv: start with a UTF-8 byte order mark, so spreadsheets read Vietnamese");
  sub->add_flag("--timeline", command->options.timeline,
                "Count the matches per month (per year over more than " +
                    std::to_string(Timeline::kMonthlySpan) +
                    " months): a histogram in text, "
                    "\"timeline\" in json");
  sub->add_flag("--facets", command->options.facets,
                "Count hits per source, category, year, and the people (person), places (place) "
                "and organisations (org) the matches name most (docs/entities.md)");
  sub->add_flag("--exact", command->exact,
                "Search the query exactly as typed, never a correction of it (a correction is "
                "still offered)");
  sub->add_option("--sort", command->sort,
                  "relevance (default), newest (or date), oldest (undated last in both), or fresh "
                  "(relevance boosted for recent articles, see --half-life)")
      ->check(CLI::IsMember({"relevance", "newest", "date", "oldest", "fresh"}));
  sub->add_option("--half-life", command->half_life,
                  "With --sort fresh: days after which the freshness boost halves (default " +
                      std::to_string(static_cast<int>(Freshness::kDefaultHalfLifeDays)) + ")")
      ->check(CLI::Range(Freshness::kMinHalfLifeDays, Freshness::kMaxHalfLifeDays));
  sub->add_flag("--collapse", command->options.collapse,
                "Fold near-duplicate copies of one story into one hit that counts them");
  sub->add_flag("--copies", command->options.copies,
                "List every copy of each hit's story (with --collapse: the folded ones)");
  sub->callback([command] {
    command->options.sort = sort_from_name(command->sort).value_or(SearchSort::kRelevance);
    if (command->half_life) command->options.half_life_days = *command->half_life;
    command->options.correct = !command->exact;
    const int status = run_search(*command);
    if (status != kExitOk) throw CLI::RuntimeError(status);
  });
}

}  // namespace vnsearch::cli
