// `vnsearch index`, `delete`, `rebuild-model` and `stats`: building and inspecting a database.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search_index.h"
#include "vnsearch/shard_map.h"
#include "vnsearch/sharded_index.h"

namespace vnsearch::cli {
namespace {

namespace fs = std::filesystem;

struct IndexCommand {
  std::string database;
  std::vector<std::string> inputs;
  IndexOptions options;
  std::size_t max_body_mb = 8;
  std::size_t shards = 0;  ///< --shards: 0 unless given (a sharded --db then keeps its count)
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

// Called by the library only when another process holds the writer lock: the user should know
// why nothing happens.
void announce_wait(const std::string& database, std::string_view command) {
  report(command, "note",
         "waiting for the writer lock on " + database + " held by another process…");
}

int run_index(IndexCommand& command) {
  command.options.read.max_body_bytes = command.max_body_mb << 20;
  std::vector<fs::path> inputs(command.inputs.begin(), command.inputs.end());
  auto printer = std::make_shared<ProgressPrinter>();
  const IssueSink issues = [](const ReadIssue& issue) {
    report("index", issue.fatal_for_document ? "error" : "warning", format_issue(issue));
    return ReadFlow::kContinue;
  };
  const IndexProgressSink progress = [printer](const IndexProgress& p) { (*printer)(p); };
  // A sharded --db (or --shards) routes every document to its shard (docs/scaling.md).
  const bool sharded = command.shards > 0 || is_sharded_database(command.database);
  const IndexSummary summary =
      sharded ? index_sharded(command.database, inputs, command.shards, command.options, issues,
                              progress)
              : index_paths(command.database, inputs, command.options, issues, progress);
  printer->finish();
  std::cerr << "indexed " << printable(command.database) << " in " << std::fixed
            << std::setprecision(1) << summary.seconds << "s: " << summary.added << " added, "
            << summary.replaced << " replaced, " << summary.unchanged << " unchanged, "
            << summary.rejected << " rejected, " << summary.warnings << " warnings; "
            << summary.documents_in_index << " documents in the index\n";
  if (summary.stopped_early) {
    report_warning("index", "stopped early: --max-errors " +
                                std::to_string(command.options.max_errors) + " reached");
  }
  if (!summary.fresh_not_published.empty()) {
    report_error("index", "the fresh build was not published, because " +
                              summary.fresh_not_published + "; the live database is unchanged");
    return kExitSomeRejected;
  }
  return summary.rejected > 0 || summary.incomplete_inputs > 0 ? kExitSomeRejected : kExitOk;
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
                  "Documents per commit (a crash loses at most one batch; 1 to 1000000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  sub->add_option("--threads", command->options.analysis_threads,
                  "Analysis threads (default 0: one per core; at most 256)")
      ->check(CLI::Range(0u, 256u));
  sub->add_option("--max-errors", command->options.max_errors,
                  "Stop after this many rejected documents (default 0: never stop)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1'000'000'000}));
  sub->add_option("--max-body-mb", command->max_body_mb,
                  "Bodies longer than this many MiB are truncated, with a warning (default 8; "
                  "1 to 1024)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}));
  sub->add_flag("--wait", command->options.wait_for_lock,
                "Wait for another writer to finish instead of failing (says so when it waits)");
  sub->add_option("--shards", command->shards,
                  "Split the database into N shards (folders shard-0.. under --db), routing each "
                  "document by a hash of its id (1 to 256; a sharded --db keeps its count)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  sub->add_flag("--allow-shrink", command->options.allow_shrink,
                "With --fresh: publish the new build even if it holds under half the documents "
                "of the live one");
  // A plain pointer: the command owns this callback, so a shared_ptr here would be a cycle (a
  // leak). The command outlives every run, held by the subcommand's callback below.
  command->options.on_lock_wait = [raw = command.get()] { announce_wait(raw->database, "index"); };
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
    const WriteOptions options{.wait_for_lock = command->wait, .on_lock_wait = [command] {
                                 announce_wait(command->database, "delete");
                               }};
    const auto missing = is_sharded_database(command->database)
                             ? delete_sharded(command->database, command->ids, options)
                             : delete_documents(command->database, command->ids, options);
    for (const std::string& id : missing) report_error("delete", "not in the index: " + id);
    std::cerr << "deleted "
              << counted(command->ids.size() - missing.size(), "document", "documents") << "\n";
    if (!missing.empty()) throw CLI::RuntimeError(kExitSomeRejected);
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
      "Recount the syllable model (diacritic restoration) and the completion table of a database "
      "from its documents: the remedy when search or suggest says either is missing or damaged");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_flag("--wait", command->wait, "Wait for another writer to finish");
  sub->callback([command] {
    auto printer = std::make_shared<ProgressPrinter>();
    const WriteOptions options{.wait_for_lock = command->wait, .on_lock_wait = [command] {
                                 announce_wait(command->database, "rebuild-model");
                               }};
    const auto started = std::chrono::steady_clock::now();
    const IndexProgressSink progress = [printer](const IndexProgress& p) { (*printer)(p); };
    const std::uint64_t documents =
        is_sharded_database(command->database)
            ? rebuild_sharded_models(command->database, options, progress)
            : rebuild_model(command->database, options, progress);
    printer->finish();
    std::cerr << "rebuilt the syllable model and completion table of "
              << printable(command->database) << " from "
              << counted(documents, "document", "documents") << " in " << std::fixed
              << std::setprecision(1)
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << "s\n";
  });
}

// The `top` commonest values (all when `top` is 0), commonest first, then how many were left out:
// a corpus with a source string per article would otherwise print one line per article.
void print_counts(const std::map<std::string, std::uint64_t>& counts, std::size_t top,
                  const char* singular, const char* plural) {
  std::vector<std::pair<std::string, std::uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const std::size_t shown = top == 0 ? sorted.size() : std::min(top, sorted.size());
  for (std::size_t i = 0; i < shown; ++i) {
    std::cout << "  " << std::setw(8) << sorted[i].second << "  " << printable(sorted[i].first)
              << "\n";
  }
  if (shown < sorted.size()) {
    std::uint64_t documents = 0;
    for (std::size_t i = shown; i < sorted.size(); ++i) documents += sorted[i].second;
    std::cout << "  … and " << (sorted.size() - shown) << " more "
              << (sorted.size() - shown == 1 ? singular : plural) << " (" << documents
              << " documents; --top 0 lists all)\n";
  }
}

// The overview of a database, or of a sharded one shard by shard, added up (terms counted per
// shard, so a term on two shards counts twice).
IndexOverview overview_of_any(const std::string& database) {
  const auto map = shards::read_shard_map(database);
  if (!map) return read_overview(database, {.count_terms = true});
  IndexOverview total;
  for (std::size_t shard = 0; shard < map->count; ++shard) {
    const IndexOverview part =
        read_overview(shards::shard_path(database, shard), {.count_terms = true});
    total.documents += part.documents;
    total.terms += part.terms;
    total.bytes_on_disk += part.bytes_on_disk;
    total.dated_documents += part.dated_documents;
    if (!part.first_date.empty() &&
        (total.first_date.empty() || part.first_date < total.first_date)) {
      total.first_date = part.first_date;
    }
    total.last_date = std::max(total.last_date, part.last_date);
    for (const auto& [name, count] : part.per_source) total.per_source[name] += count;
    for (const auto& [name, count] : part.per_category) total.per_category[name] += count;
    for (const auto& [name, count] : part.per_year) total.per_year[name] += count;
  }
  return total;
}

void add_stats(CLI::App& app) {
  struct StatsCommand {
    std::string database;
    std::size_t top = 20;
  };
  auto command = std::make_shared<StatsCommand>();
  CLI::App* sub = app.add_subcommand("stats", "Show what a database holds");
  sub->add_option("--db", command->database, "Database directory")->required();
  sub->add_option("--top", command->top,
                  "Sources and categories to list, commonest first (default 20; 0: all)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1'000'000'000}));
  sub->callback([command] {
    const IndexOverview stats = overview_of_any(command->database);
    std::cout << "documents:    " << stats.documents << "\n"
              << "terms:        " << stats.terms << "\n"
              << "size on disk: " << std::fixed << std::setprecision(1)
              << static_cast<double>(stats.bytes_on_disk) / (1 << 20) << " MiB\n";
    if (stats.dated_documents > 0) {
      std::cout << "dates:        " << printable(stats.first_date) << " .. "
                << printable(stats.last_date) << " (" << stats.dated_documents
                << " dated documents)\n";
    } else {
      std::cout << "dates:        none\n";
    }
    std::cout << "sources:      " << stats.per_source.size() << "\n";
    print_counts(stats.per_source, command->top, "source", "sources");
    std::cout << "categories:   " << stats.per_category.size() << "\n";
    print_counts(stats.per_category, command->top, "category", "categories");
    std::cout << "years:        " << stats.per_year.size() << "\n";
    print_counts(stats.per_year, command->top, "year", "years");
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
