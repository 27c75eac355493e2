// Each `vnsearch` subcommand registers itself on the top-level CLI11 app.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vnsearch::cli {

/// `vnsearch tokenize`: prints the tokens of the text on stdin.
void register_tokenize(CLI::App& app);

/// `vnsearch index`, `delete` and `stats`: building and inspecting a database.
void register_index(CLI::App& app);

/// `vnsearch search`: one query or a batch of them.
void register_search(CLI::App& app);

/// `vnsearch restore`: diacritic restoration alone, and its accuracy on a labelled file.
void register_restore(CLI::App& app);

/// Rewrites the arguments of `vnsearch search ...` (args[0] is "search") so that the query words
/// come last, after `--`: a query word starting with `-` (`-đua`, an exclusion) is then a word,
/// not an unknown option. Only `--name` options of `search` and `-h` are options; an unknown
/// `--name` is left for CLI11 to report.
void put_query_words_last(const CLI::App& search, std::vector<std::string>& args);

/// `vnsearch suggest`: "did you mean" for one query.
void register_suggest(CLI::App& app);

/// `vnsearch related`: articles related to one document, and its copies.
void register_related(CLI::App& app);

/// `vnsearch serve`: the HTTP server.
void register_serve(CLI::App& app);

}  // namespace vnsearch::cli
