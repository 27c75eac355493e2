// Indexing the whole shared corpus three ways in one run, so the ratios hold on any machine:
// vnsearch::index_paths (all cores), plain Xapian (one thread, default TermGenerator) and SQLite
// FTS5 (unicode61 remove_diacritics 2). Prints time, throughput and size after compaction.
//
// Usage: index_bench [--workdir DIR] [--shared DIR] [--engines vnsearch,xapian,fts5,es-like]
// The indexes stay in the work dir: eval ranks queries over exactly these.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "es_like.h"

namespace {

using namespace vnsearch::bench;

void print_row(const char* name, std::uint64_t documents, double seconds, double cpu_seconds,
               double text_mb, double compact_seconds, double size_mib) {
  std::printf("| %-34s | %9llu | %8.1f | %8.1f | %8.0f | %7.2f | %9.1f | %8.1f |\n", name,
              static_cast<unsigned long long>(documents), seconds, cpu_seconds, documents / seconds,
              text_mb / seconds, compact_seconds, size_mib);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Indexing throughput and size: vnsearch beside plain Xapian and SQLite FTS5");
  fs::path workdir = default_workdir();
  fs::path shared = default_shared_dir();
  app.add_option("--workdir", workdir, "Where the three indexes are built (kept for eval)");
  app.add_option("--shared", shared, "The shared data directory");
  // The ES-style peer alone takes longer than the rest together: a run about vnsearch's own
  // indexing can leave it (and FTS5) out. eval skips an engine whose index is not complete.
  std::vector<std::string> engines = {"vnsearch", "xapian", "fts5", "es-like"};
  app.add_option("--engines", engines, "Engines to build, comma-separated")
      ->delimiter(',')
      ->check(CLI::IsMember({"vnsearch", "xapian", "fts5", "es-like"}));
  CLI11_PARSE(app, argc, argv);

  if (!fs::is_directory(shared / "corpus")) {
    std::printf("index_bench: skipped: no shared corpus at %s\n", (shared / "corpus").c_str());
    return 0;
  }
  const WorkPaths paths{workdir};
  fs::create_directories(workdir);
  const std::vector<fs::path> inputs = corpus_inputs(shared);

  // Reading first: the peers need the documents in memory, and the run warms the page cache
  // for vnsearch, which reads the same files by itself.
  std::fprintf(stderr, "reading the corpus...\n");
  const double read_start = process_cpu_seconds();
  const LoadedCorpus corpus = load_corpus(inputs);
  const double read_cpu_seconds = process_cpu_seconds() - read_start;
  const double text_mb = static_cast<double>(corpus.text_bytes) / 1e6;
  const auto wanted = [&](const char* engine) {
    return std::find(engines.begin(), engines.end(), engine) != engines.end();
  };
  BuildResult vn, xapian, fts5, es_like;
  if (wanted("vnsearch")) {
    std::fprintf(stderr, "vnsearch index_paths...\n");
    vn = build_vnsearch(paths, inputs);
  }
  if (wanted("xapian")) {
    std::fprintf(stderr, "plain Xapian...\n");
    xapian = build_plain_xapian(paths, corpus.documents);
  }
  if (wanted("fts5")) {
    std::fprintf(stderr, "SQLite FTS5...\n");
    fts5 = build_fts5(paths, corpus.documents);
  }
  if (wanted("es-like")) {
    std::fprintf(stderr, "Elasticsearch-style Xapian (exact + folded, with shingles)...\n");
    es_like = build_es_like(paths, corpus.documents);
  }

  constexpr double kMiB = 1024.0 * 1024.0;
  std::printf(
      "Corpus: %zu documents read (%llu reader issues), %.1f MB of title+description+body "
      "text, %.1f MB on disk; work dir %s\n\n",
      corpus.documents.size(), static_cast<unsigned long long>(corpus.issues), text_mb,
      static_cast<double>(corpus.disk_bytes) / 1e6, workdir.c_str());
  std::printf("| %-34s | %9s | %8s | %8s | %8s | %7s | %9s | %8s |\n", "", "documents", "index s",
              "CPU s", "docs/s", "MB/s", "compact s", "size MiB");
  std::printf(
      "|%s|----------:|---------:|---------:|---------:|--------:|----------:|---------:|\n",
      std::string(36, '-').c_str());
  print_row("read_documents alone (1 thread)", corpus.documents.size(), corpus.seconds,
            read_cpu_seconds, text_mb, 0, 0);
  const auto row = [&](const char* engine, const char* name, const BuildResult& result) {
    if (!wanted(engine)) return;
    print_row(name, result.documents, result.index_seconds, result.index_cpu_seconds, text_mb,
              result.compact_seconds, result.size_bytes / kMiB);
  };
  row("vnsearch", "vnsearch index_paths (all cores)", vn);
  row("xapian", "plain Xapian (1 thread)", xapian);
  row("fts5", "SQLite FTS5 (1 thread)", fts5);
  row("es-like", "ES-style Xapian, shingles (1 thread)", es_like);
  if (!wanted("vnsearch") || !wanted("xapian")) return 0;

  const double vn_rate = vn.documents / vn.index_seconds;
  const double xapian_rate = xapian.documents / xapian.index_seconds;
  // vnsearch reads while it analyses, so its indexing alone took between (total - reading) and
  // total: the first gives the most favourable ratio, the measured total the least.
  const double without_reading = vn.index_seconds - corpus.seconds;
  std::printf(
      "\nvnsearch / plain Xapian: speed %.2fx (docs/s), size %.2fx (compacted), CPU seconds "
      "%.2fx.\n",
      vn_rate / xapian_rate, static_cast<double>(vn.size_bytes) / xapian.size_bytes,
      vn.index_cpu_seconds / xapian.index_cpu_seconds);
  std::printf(
      "Fairness: vnsearch's time includes reading and parsing the inputs (read_documents alone "
      "takes %.1f s\non one thread); the peers' times do not, they index documents already in "
      "memory.\n",
      corpus.seconds);
  if (without_reading > 0) {
    std::printf("Subtracting the reading time: %.1f s, speed at most %.2fx plain Xapian.\n",
                without_reading, vn.documents / without_reading / xapian_rate);
  }
  std::printf(
      "vnsearch analyses on %u hardware threads; the peers use one. MB/s counts "
      "title+description+body text.\n",
      std::thread::hardware_concurrency());
  return 0;
}
