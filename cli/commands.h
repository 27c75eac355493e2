// Each `vnsearch` subcommand registers itself on the top-level CLI11 app.
#pragma once

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

/// `vnsearch serve`: the HTTP server.
void register_serve(CLI::App& app);

}  // namespace vnsearch::cli
