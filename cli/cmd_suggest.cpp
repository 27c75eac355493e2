// `vnsearch suggest --correct`: "did you mean" on its own — the correction search would apply or
// offer for a query, or nothing when the query looks right.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "output.h"
#include "vnsearch/search.h"

namespace vnsearch::cli {
namespace {

struct SuggestCommand {
  std::string database;
  std::vector<std::string> words;
  bool correct = false;
  std::string format = "text";
};

}  // namespace

void register_suggest(CLI::App& app) {
  auto command = std::make_shared<SuggestCommand>();
  CLI::App* sub = app.add_subcommand(
      "suggest", "Did you mean: the likely intended query when TEXT looks misspelled");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_flag("--correct", command->correct, "Correct TEXT (the default)");
  sub->add_option("--format", command->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_option("text", command->words, "The query (several words are joined)")->required();
  sub->callback([command] {
    std::string text;
    for (const std::string& word : command->words) text += (text.empty() ? "" : " ") + word;
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
