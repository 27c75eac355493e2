// `vnsearch restore`: diacritic restoration on its own — what the search makes of text typed
// without marks — and its accuracy on a labelled file (the figure bench/README.md reports).
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "vnsearch/search.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::cli {
namespace {

struct RestoreCommand {
  std::string database;
  std::string evaluate;
  std::string field = "query";
};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// The gold syllables of a text: exact forms of its simple tokens and parts, as restoration sees.
std::vector<std::string> gold_syllables(std::string_view text) {
  std::vector<std::string> words;
  for (const Token& token : Analyzer().analyze(text)) {
    if (token.role != TokenRole::kCompound && !token.exact.empty()) words.push_back(token.exact);
  }
  return words;
}

// Strips every mark (to_folded), restores, and counts the syllables restored exactly: every
// syllable counts, marked or not (a wrongly added mark is as wrong as a missing one); tokens with
// digits have nothing to restore and are left out.
int evaluate(Searcher& searcher, const RestoreCommand& command) {
  std::ifstream in(command.evaluate);
  if (!in || std::filesystem::is_directory(command.evaluate)) {
    throw CommandFailure(kExitInput, "cannot read --evaluate " + command.evaluate);
  }
  std::size_t total = 0, correct = 0, lines = 0, skipped = 0, number = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++number;
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    const auto field = record.is_object() ? record.find(command.field) : record.end();
    if (field == record.end() || !field->is_string()) {
      ++skipped;
      continue;
    }
    const std::string text = field->get<std::string>();
    const std::vector<std::string> gold = gold_syllables(text);
    const std::vector<std::string> restored = searcher.restore_diacritics(to_folded(text));
    if (gold.size() != restored.size()) {
      ++skipped;
      continue;
    }
    ++lines;
    for (std::size_t i = 0; i < gold.size(); ++i) {
      if (gold[i].find_first_of("0123456789") != std::string::npos) continue;
      ++total;
      correct += gold[i] == restored[i];
    }
  }
  std::cout << printable(command.evaluate) << ": " << lines << " texts, " << total << " syllables, "
            << std::fixed << std::setprecision(2)
            << (total ? 100.0 * static_cast<double>(correct) / static_cast<double>(total) : 0.0)
            << "% restored exactly";
  if (skipped > 0) std::cout << " (" << skipped << " lines skipped)";
  std::cout << "\n";
  return 0;
}

}  // namespace

void register_restore(CLI::App& app) {
  auto command = std::make_shared<RestoreCommand>();
  CLI::App* sub = app.add_subcommand(
      "restore", "Restore diacritics of text typed without them (lines on stdin), as search does");
  sub->add_option("--db", command->database, "Database directory (its syllable model)")->required();
  sub->add_option("--evaluate", command->evaluate,
                  "JSONL file: strip the marks of FIELD, restore, print syllable accuracy");
  sub->add_option("--field", command->field, "JSON field to evaluate (default: query)");
  sub->callback([command] {
    Searcher searcher(command->database);
    if (!command->evaluate.empty()) {
      const int status = evaluate(searcher, *command);
      if (status != 0) throw CLI::RuntimeError(status);
      return;
    }
    std::string line;
    while (std::getline(std::cin, line))
      std::cout << printable(join(searcher.restore_diacritics(line))) << "\n";
  });
}

}  // namespace vnsearch::cli
