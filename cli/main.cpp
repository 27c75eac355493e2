// vnsearch: full-text search for Vietnamese news. One program, one subcommand per job.
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"vnsearch: full-text search for Vietnamese news"};
  app.require_subcommand(1);
  vnsearch::cli::register_tokenize(app);
  vnsearch::cli::register_index(app);
  vnsearch::cli::register_search(app);
  vnsearch::cli::register_restore(app);
  vnsearch::cli::register_serve(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    std::cerr << "vnsearch: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
