// `vnsearch related`: the articles related to one document, about the same event first, and the
// document's own near-duplicate copies (docs/duplicates.md, docs/query.md).
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "vnsearch/related.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"

namespace vnsearch::cli {
namespace {

struct RelatedCommand {
  std::string database;
  std::string id;
  std::string format = "text";
  bool no_collapse = false;
  RelatedOptions options;
};

void print_copy(const StoryCopy& copy, const char* indent) {
  std::cout << indent << "copy: " << printable(copy.id);
  if (!copy.date.empty()) std::cout << "  " << printable(copy.date.substr(0, 10));
  if (!copy.source.empty()) std::cout << "  " << printable(copy.source);
  std::cout << "  " << printable(copy.title) << "\n";
}

void print_text(const RelatedCommand& command, const RelatedResult& result) {
  std::cout << "related to " << printable(command.id) << ": " << printable(result.document->title)
            << "\n";
  for (const StoryCopy& copy : result.copies) print_copy(copy, "");
  if (result.hits.empty()) std::cout << "no related articles\n";
  std::size_t rank = 0;
  for (const Hit& hit : result.hits) {
    std::cout << "\n"
              << ++rank << ". " << printable(hit.title) << "\n   " << printable(hit.id)
              << "  score " << std::fixed << std::setprecision(2) << hit.score;
    if (!hit.date.empty()) std::cout << "  " << printable(hit.date.substr(0, 10));
    if (!hit.source.empty()) std::cout << "  " << printable(hit.source);
    if (hit.collapse_count > 0) {
      std::cout << "  (+" << counted(hit.collapse_count, "copy", "copies") << ")";
    }
    std::cout << "\n";
    for (const StoryCopy& copy : hit.copies) print_copy(copy, "   ");
  }
}

}  // namespace

void register_related(CLI::App& app) {
  auto command = std::make_shared<RelatedCommand>();
  CLI::App* sub = app.add_subcommand(
      "related", "Articles related to document ID, about the same event first, and its copies");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_option("id", command->id, "Document id")->required();
  sub->add_option("--limit", command->options.limit,
                  "Related articles to show (default 10, at most " +
                      std::to_string(RelatedOptions::kMaxLimit) + ")")
      ->check(CLI::Range(std::size_t{1}, RelatedOptions::kMaxLimit));
  sub->add_option("--format", command->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("--no-collapse", command->no_collapse,
                "Show every near-duplicate copy as its own hit (default: one per story)");
  sub->add_flag("--copies", command->options.copies, "List the copies of each related article");
  sub->callback([command] {
    command->options.collapse = !command->no_collapse;
    Searcher searcher(command->database);
    const RelatedResult result = searcher.related(command->id, command->options);
    if (command->format == "json") {
      std::cout << dump_json(related_to_json(command->id, result)) << "\n";
    } else if (result.document) {
      print_text(*command, result);
    }
    if (!result.document) {
      throw CommandFailure(kExitSomeRejected, "no document with id '" + command->id + "'");
    }
  });
}

}  // namespace vnsearch::cli
