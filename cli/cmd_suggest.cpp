// `vnsearch suggest`: "did you mean" on its own (`--correct`, the default) — the correction search
// would apply or offer for a query, or nothing when the query looks right — or the completions
// of what is being typed (`--complete`).
#include <iostream>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "output.h"
#include "vnsearch/completion_table.h"
#include "vnsearch/database_layout.h"
#include "vnsearch/search.h"

namespace vnsearch::cli {
namespace {

struct SuggestCommand {
  std::string database;
  std::vector<std::string> words;
  bool correct = false;
  bool complete = false;
  std::string format = "text";
};

// The completions of `text` from the table beside the database, as lines or one JSON object.
void print_completions(const SuggestCommand& command, const std::string& text) {
  const std::filesystem::path directory =
      layout::live_directory_for_reading(layout::normalize_database_path(command.database));
  const std::filesystem::path path = directory / CompletionTable::kFileName;
  CompletionTable table;
  try {
    table.load(path);
  } catch (const std::exception& failure) {
    throw std::runtime_error("the completion table of " + command.database + " cannot be used (" +
                             failure.what() + "): rebuild it with `vnsearch rebuild-model --db " +
                             command.database + "`");
  }
  const std::vector<Completion> completions = table.complete(text);
  if (command.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const Completion& completion : completions) {
      out.push_back({{"text", completion.text},
                     {"kind", completion_kind_name(completion.kind)},
                     {"count", completion.count}});
    }
    std::cout << nlohmann::json{{"query", text}, {"completions", out}}.dump(
                     -1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
    return;
  }
  if (completions.empty()) std::cout << "no completion\n";
  for (const Completion& completion : completions) std::cout << printable(completion.text) << "\n";
}

}  // namespace

void register_suggest(CLI::App& app) {
  auto command = std::make_shared<SuggestCommand>();
  CLI::App* sub = app.add_subcommand(
      "suggest",
      "Did you mean: the likely intended query when TEXT looks misspelled (--correct, the "
      "default); or, with --complete, completions of TEXT as typed so far");
  sub->add_option("--db", command->database, "Database directory")->required();
  auto* correct = sub->add_flag("--correct", command->correct, "Correct TEXT (the default)");
  sub->add_flag("--complete", command->complete,
                "Complete TEXT: up to 10 titles, phrases and names of the indexed news starting "
                "with it (the last word may be unfinished; accents optional)")
      ->excludes(correct);
  sub->add_option("--format", command->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_option("text", command->words, "The query (several words are joined)")->required();
  sub->callback([command] {
    std::string text;
    for (const std::string& word : command->words) text += (text.empty() ? "" : " ") + word;
    if (command->complete) return print_completions(*command, text);
    Searcher searcher(command->database);
    const auto correction = searcher.correct(text);
    if (command->format == "json") {
      nlohmann::json out = nullptr;
      if (correction) {
        out = {{"text", correction->text},
               {"applied", correction->applied},
               {"kinds", correction->kinds}};
      }
      std::cout << nlohmann::json{{"query", text}, {"correction", out}}.dump(
                       -1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      return;
    }
    if (!correction) {
      std::cout << "no correction: the query looks right\n";
    } else {
      std::cout << (correction->applied ? "applied: " : "offered: ") << printable(correction->text)
                << "\n";
    }
  });
}

}  // namespace vnsearch::cli
