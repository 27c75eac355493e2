// vnsearch: full-text search for Vietnamese news. One program, one subcommand per job. main()
// owns what every command shares: the help and version, suggestions for a mistyped command, and
// the mapping from failures to the documented exit statuses (exit_codes.h, README.md).
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <xapian.h>

#include "commands.h"
#include "exit_codes.h"
#include "output.h"

namespace {

using vnsearch::cli::report_error;

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// neighbours each cost one, so `serach` is one edit from `search`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

CLI::App* find_command(CLI::App& app, const std::string& name) {
  const auto found =
      app.get_subcommands([&name](const CLI::App* sub) { return sub->check_name(name); });
  return found.empty() ? nullptr : found.front();
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// "unknown command 'serach'; did you mean 'search'?" (the nearest command within two edits).
std::string unknown_command(const CLI::App& app, const std::string& word) {
  std::string best;
  std::size_t best_distance = 3;
  for (const std::string& name : command_names(app)) {
    const std::size_t distance = edit_distance(word, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  std::string message = "unknown command '" + word + "'";
  if (!best.empty()) return message + "; did you mean '" + best + "'?";
  return message + " (commands: " + joined(command_names(app)) + "; run 'vnsearch help')";
}

void add_help(CLI::App& app) {
  auto topic = std::make_shared<std::string>();
  CLI::App* help = app.add_subcommand("help", "Show the commands, or the options of COMMAND");
  help->add_option("command", *topic, "A command");
  help->callback([&app, topic] {
    if (topic->empty()) {
      // App::help() would describe the selected subcommand, which is `help` itself.
      std::cout << app.get_formatter()->make_help(&app, "", CLI::AppFormatMode::Normal);
      return;
    }
    CLI::App* sub = find_command(app, *topic);
    if (sub == nullptr) {
      throw CLI::ValidationError(unknown_command(app, *topic));
    }
    std::cout << sub->help();
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vnsearch: full-text search for Vietnamese news"};
  app.set_version_flag("--version", std::string("vnsearch ") + VNSEARCH_VERSION);
  app.require_subcommand(1);
  vnsearch::cli::register_tokenize(app);
  vnsearch::cli::register_index(app);
  vnsearch::cli::register_search(app);
  vnsearch::cli::register_restore(app);
  vnsearch::cli::register_suggest(app);
  vnsearch::cli::register_related(app);
  vnsearch::cli::register_serve(app);
  add_help(app);

  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command;
  if (!args.empty() && (args[0].empty() || args[0][0] != '-')) {
    if (find_command(app, args[0]) == nullptr) {
      report_error("", unknown_command(app, args[0]));
      return vnsearch::cli::kExitUsage;
    }
    command = args[0];
  } else if (!args.empty() && args[0] != "-h" && args[0] != "--help" && args[0] != "--version") {
    report_error("", "unknown option '" + args[0] + "': the command comes first (" +
                         joined(command_names(app)) + "; run 'vnsearch help')");
    return vnsearch::cli::kExitUsage;
  } else if (args.empty()) {
    report_error("", "a command is required: " + joined(command_names(app)) +
                         " (run 'vnsearch help' or 'vnsearch help COMMAND')");
    return vnsearch::cli::kExitUsage;
  }
  if (command == "search") {
    vnsearch::cli::put_query_words_last(*app.get_subcommand("search"), args);
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first

  try {
    app.parse(args);
  } catch (const CLI::RuntimeError& status) {
    // A command that finished and chose its status (its messages are printed already).
    return status.get_exit_code();
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    const std::string hint = command == "help" ? std::string()
                             : command.empty() ? std::string(" (run 'vnsearch help')")
                                               : " (run 'vnsearch help " + command + "')";
    report_error(command, error.what() + hint);
    return vnsearch::cli::kExitUsage;
  } catch (const vnsearch::cli::CommandFailure& failure) {
    report_error(command, failure.what());
    return failure.code();
  } catch (const std::runtime_error& error) {
    // The libraries report an unusable database (missing, locked, corrupt, full) this way.
    report_error(command, error.what());
    return vnsearch::cli::kExitDatabase;
  } catch (const Xapian::Error& error) {
    // A Xapian failure the libraries did not translate is still about the database.
    report_error(command, "database error: " + error.get_description());
    return vnsearch::cli::kExitDatabase;
  } catch (const std::exception& error) {
    report_error(command, std::string("internal error: ") + error.what());
    return vnsearch::cli::kExitInternal;
  }
  return vnsearch::cli::kExitOk;
}
