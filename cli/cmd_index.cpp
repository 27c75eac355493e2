// `vnsearch index`, `vnsearch delete` and `vnsearch stats`: building and inspecting a database.
#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "vnsearch/index_writer.h"

namespace vnsearch::cli {
namespace {

namespace fs = std::filesystem;

struct IndexCommand {
  std::string database;
  std::vector<std::string> inputs;
  IndexOptions options;
  std::size_t max_body_mb = 8;
};

std::string format_duration(double seconds) {
  std::ostringstream out;
  const auto total = static_cast<long>(seconds + 0.5);
  if (total >= 3600) out << total / 3600 << "h";
  if (total >= 60)
    out << std::setw(total >= 3600 ? 2 : 1) << std::setfill('0') << (total / 60) % 60 << "m";
  out << std::setw(total >= 60 ? 2 : 1) << std::setfill('0') << total % 60 << "s";
  return out.str();
}

// A bar redrawn in place on a terminal; a line every few seconds otherwise (logs, CI).
class ProgressPrinter {
 public:
  ProgressPrinter() : terminal_(::isatty(STDERR_FILENO) != 0) {}

  void operator()(const IndexProgress& progress) {
    if (progress.stage == IndexStage::kCountingModel) {
      counting_model(progress);
      return;
    }
    const double seconds = std::chrono::duration<double>(progress.elapsed).count();
    if (!terminal_ && seconds - last_line_ < 5.0) return;
    last_line_ = seconds;
    const double rate = seconds > 0 ? static_cast<double>(progress.documents) / seconds : 0;
    const double fraction = progress.total_bytes > 0 ? static_cast<double>(progress.bytes_read) /
                                                           static_cast<double>(progress.total_bytes)
                                                     : 0;
    std::ostringstream line;
    if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(fraction * kWidth);
      line << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] ";
    } else {
      line << "indexing: ";
    }
    line << std::fixed << std::setprecision(0) << fraction * 100 << "% " << progress.documents
         << " documents, " << rate << " docs/s";
    if (fraction > 0.01 && fraction < 1) {
      line << ", ETA " << format_duration(seconds / fraction - seconds);
    }
    drawn_ = true;
    std::cerr << line.str() << (terminal_ ? "   " : "\n") << std::flush;
  }

  void finish() const {
    if (terminal_ && drawn_) std::cerr << "\n";
  }

 private:
  // The recount of the syllable model after a large change takes seconds to minutes.
  void counting_model(const IndexProgress& progress) {
    const double seconds = std::chrono::duration<double>(progress.elapsed).count();
    const bool last = progress.documents == progress.total_documents;
    if (!terminal_ && !last && seconds - last_line_ < 5.0) return;
    last_line_ = seconds;
    drawn_ = true;
    std::cerr << (terminal_ ? "\r" : "") << "syllable model: counted " << progress.documents
              << " of " << progress.total_documents << " documents" << (terminal_ ? "   " : "\n")
              << std::flush;
  }

 public:
 private:
  bool terminal_;
  bool drawn_ = false;
  double last_line_ = -10;
};

void announce_wait(const std::string& database) {
  std::cerr << "vnsearch: waiting for another vnsearch process writing " << database
            << " to finish (--wait)…\n";
}

int run_index(IndexCommand& command) {
  command.options.read.max_body_bytes = command.max_body_mb << 20;
  std::vector<fs::path> inputs(command.inputs.begin(), command.inputs.end());
  auto printer = std::make_shared<ProgressPrinter>();
  const IssueSink issues = [](const ReadIssue& issue) {
    std::cerr << (issue.fatal_for_document ? "error: " : "warning: ") << format_issue(issue)
              << "\n";
    return ReadFlow::kContinue;
  };
  const IndexProgressSink progress = [printer](const IndexProgress& p) { (*printer)(p); };
  const IndexSummary summary =
      index_paths(command.database, inputs, command.options, issues, progress);
  printer->finish();
  std::cerr << "indexed " << command.database << " in " << std::fixed << std::setprecision(1)
            << summary.seconds << "s: " << summary.added << " added, " << summary.replaced
            << " replaced, " << summary.unchanged << " unchanged, " << summary.rejected
            << " rejected, " << summary.warnings << " warnings; " << summary.documents_in_index
            << " documents in the index\n";
  if (summary.stopped_early) {
    std::cerr << "stopped early: --max-errors " << command.options.max_errors << " reached\n";
  }
  if (!summary.fresh_not_published.empty()) {
    std::cerr << "vnsearch index: error: the fresh build was not published, because "
              << summary.fresh_not_published << "; the live database is unchanged\n";
    return 1;
  }
  return summary.rejected > 0 || summary.incomplete_inputs > 0 ? 1 : 0;
}

void add_index(CLI::App& app) {
  auto command = std::make_shared<IndexCommand>();
  CLI::App* sub = app.add_subcommand(
      "index",
      "Add or replace documents (JSONL, .jsonl.zst, .jsonl.gz, .txt, .html; directories "
      "recursively) in a database, by id; unchanged documents are skipped");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_option("paths", command->inputs,
                  "Input files and directories (- reads JSONL from standard input)")
      ->required();
  sub->add_flag("--fresh", command->options.fresh,
                "Build a new database beside the live one and swap it in when complete");
  sub->add_option("--batch-size", command->options.batch_size,
                  "Documents per commit (a crash loses at most one batch)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--threads", command->options.analysis_threads,
                  "Analysis threads (default: one per core)");
  sub->add_option("--max-errors", command->options.max_errors,
                  "Stop after this many rejected documents (default: never)");
  sub->add_option("--max-body-mb", command->max_body_mb,
                  "Bodies longer than this many MiB are truncated, with a warning")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--wait", command->options.wait_for_lock,
                "Wait for another writer to finish instead of failing");
  sub->add_flag("--allow-shrink", command->options.allow_shrink,
                "With --fresh: publish the new build even if it holds under half the documents "
                "of the live one");
  command->options.on_lock_wait = [command] { announce_wait(command->database); };
  sub->callback([command] {
    const int status = run_index(*command);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

void add_delete(CLI::App& app) {
  struct DeleteCommand {
    std::string database;
    std::vector<std::string> ids;
    bool wait = false;
  };
  auto command = std::make_shared<DeleteCommand>();
  CLI::App* sub = app.add_subcommand("delete", "Delete documents by id");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_option("ids", command->ids, "Document ids")->required();
  sub->add_flag("--wait", command->wait, "Wait for another writer to finish");
  sub->callback([command] {
    const WriteOptions options{.wait_for_lock = command->wait,
                               .on_lock_wait = [command] { announce_wait(command->database); }};
    const auto missing = delete_documents(command->database, command->ids, options);
    for (const std::string& id : missing) std::cerr << "not in the index: " << id << "\n";
    std::cerr << "deleted " << command->ids.size() - missing.size() << " document(s)\n";
    if (!missing.empty()) throw CLI::RuntimeError(1);
  });
}

void add_rebuild_model(CLI::App& app) {
  struct RebuildCommand {
    std::string database;
    bool wait = false;
  };
  auto command = std::make_shared<RebuildCommand>();
  CLI::App* sub = app.add_subcommand(
      "rebuild-model",
      "Recount the syllable model (diacritic restoration) of a database from its documents: "
      "the remedy when search says the model is missing or damaged");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_flag("--wait", command->wait, "Wait for another writer to finish");
  sub->callback([command] {
    auto printer = std::make_shared<ProgressPrinter>();
    const WriteOptions options{.wait_for_lock = command->wait,
                               .on_lock_wait = [command] { announce_wait(command->database); }};
    const auto started = std::chrono::steady_clock::now();
    const std::uint64_t documents = rebuild_model(
        command->database, options, [printer](const IndexProgress& p) { (*printer)(p); });
    printer->finish();
    std::cerr << "rebuilt the syllable model of " << command->database << " from " << documents
              << " documents in " << std::fixed << std::setprecision(1)
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << "s\n";
  });
}

void add_stats(CLI::App& app) {
  struct StatsCommand {
    std::string database;
  };
  auto command = std::make_shared<StatsCommand>();
  CLI::App* sub = app.add_subcommand("stats", "Show what a database holds");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->callback([command] {
    const IndexStats stats = collect_stats(command->database);
    std::cout << "documents:    " << stats.documents << "\n"
              << "terms:        " << stats.terms << "\n"
              << "size on disk: " << std::fixed << std::setprecision(1)
              << static_cast<double>(stats.bytes_on_disk) / (1 << 20) << " MiB\n";
    if (stats.dated_documents > 0) {
      std::cout << "dates:        " << stats.first_date << " .. " << stats.last_date << " ("
                << stats.dated_documents << " dated documents)\n";
    } else {
      std::cout << "dates:        none\n";
    }
    std::cout << "sources:\n";
    for (const auto& [source, count] : stats.per_source) {
      std::cout << "  " << std::setw(8) << count << "  " << source << "\n";
    }
    std::cout << "categories:\n";
    for (const auto& [category, count] : stats.per_category) {
      std::cout << "  " << std::setw(8) << count << "  " << category << "\n";
    }
  });
}

}  // namespace

void register_index(CLI::App& app) {
  add_index(app);
  add_delete(app);
  add_rebuild_model(app);
  add_stats(app);
}

}  // namespace vnsearch::cli
