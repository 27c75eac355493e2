// Fuzz target: whatever people type, through the whole query side — syntax, diacritic
// restoration, planning, BM25 and re-ranking, snippets, facets, paging — on a small index built
// once from generated Vietnamese articles. Search must never throw for query text.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "vnsearch/encoding.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search.h"

namespace {

namespace fs = std::filesystem;

std::unique_ptr<vnsearch::Searcher> searcher;

// A few dozen articles whose words overlap, so that restoration has choices and phrases match.
std::string sample_articles() {
  static const char* const kWords[] = {"cụm",        "thi",
                                       "đua",        "số",
                                       "8",          "công",
                                       "an",         "tỉnh",
                                       "dừa",        "dưa",
                                       "hấu",        "Bến",
                                       "Tre",        "Hà",
                                       "Nội",        "thành",
                                       "phố",        "hội",
                                       "nghị",       "tổng",
                                       "kết",        "năm",
                                       "2020",       "BR-VT",
                                       "16/11/2020", "https://bao.vn/a.html",
                                       "Covid-19",   "người",
                                       "dân",        "giá",
                                       "xăng"};
  std::string out;
  std::uint32_t state = 7;
  auto words = [&](int n) {
    std::string text;
    for (int i = 0; i < n; ++i) {
      state = state * 1664525u + 1013904223u;
      text += (i ? " " : "") + std::string(kWords[(state >> 16) % std::size(kWords)]);
    }
    return text;
  };
  for (int i = 0; i < 60; ++i) {
    out += "{\"id\":\"a" + std::to_string(i) + "\",\"title\":\"" + words(8) + "\",\"body\":\"" +
           words(60) + "\",\"date\":\"2020-11-" + std::to_string(10 + i % 19) +
           "\",\"source\":\"Báo " + std::to_string(i % 3) + "\",\"category\":\"Thời sự\"}\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const fs::path directory =
      fs::temp_directory_path() / ("vnsearch-fuzz-search-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  const fs::path input = directory / "articles.jsonl";
  std::ofstream(input) << sample_articles();
  vnsearch::IndexOptions options;
  options.analysis_threads = 1;
  const fs::path inputs[] = {input};
  vnsearch::index_paths(directory / "db", inputs, options, nullptr, nullptr);
  searcher = std::make_unique<vnsearch::Searcher>(directory / "db");
  static const fs::path to_remove = directory;
  std::atexit([] {
    searcher.reset();
    std::error_code ignored;
    fs::remove_all(to_remove, ignored);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  vnsearch::SearchOptions options;
  options.limit = 1 + data[0] % 12;
  options.offset = (data[0] >> 4) % 5;
  options.facets = (data[0] & 1) != 0;
  // Every order, and the timeline, on the same bits (cheap: the index is small).
  options.sort = static_cast<vnsearch::SearchSort>((data[0] >> 1) % 4);
  options.timeline = (data[0] & 8) != 0;
  const std::string_view query(reinterpret_cast<const char*>(data) + 1, size - 1);
  const vnsearch::SearchResult result = searcher->search(query, options);
  if (result.hits.size() > options.limit) std::abort();
  if (result.timeline) {
    std::uint64_t counted = result.timeline->undated;
    for (const vnsearch::TimelineBucket& bucket : result.timeline->buckets) counted += bucket.count;
    if (counted != result.timeline->total) std::abort();
  }
  for (const vnsearch::Hit& hit : result.hits) {
    if (!vnsearch::is_valid_utf8(hit.snippet.text) || !vnsearch::is_valid_utf8(hit.title)) {
      std::abort();
    }
    // Match ranges inside the text, in order, not overlapping: the page wraps them in <mark>.
    std::size_t last_end = 0;
    for (const vnsearch::Snippet::Range& range : hit.snippet.matches) {
      if (range.begin < last_end || range.end < range.begin ||
          range.end > hit.snippet.text.size()) {
        std::abort();
      }
      last_end = range.end;
    }
    if (!vnsearch::is_valid_utf8(vnsearch::render_snippet(hit.snippet))) std::abort();
  }
  (void)searcher->restore_diacritics(query);
  return 0;
}
