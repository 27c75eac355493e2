// Shared by the tests that index real news: whether this is the sanitizer build, and a slice of
// the bundled corpus to index instead of all of it. One indexing of the 481-document corpus
// costs about 9 CPU seconds under ASan, a 60-article slice about 1, and CI has two cores.
#pragma once

#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.h"

namespace vnsearch::test {

// Set by the top-level CMakeLists for the ASan+UBSan build, where the CLI children run several
// times slower: tests shrink their inputs there.
#if defined(VNSEARCH_SANITIZED)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

/// `<dir>/sample-corpus`: the bundled corpus's first `articles` JSONL lines and its portal page
/// (so `ca-brvt-cum-thi-dua-so-8` is there), `articles + 1` documents in all.
inline std::filesystem::path corpus_sample(const TempDir& dir, std::size_t articles) {
  const std::filesystem::path corpus = std::filesystem::path(VNSEARCH_SOURCE_DIR) / "corpus";
  const auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  std::istringstream all(read(corpus / "news-sample.jsonl"));
  std::string lines, line;
  for (std::size_t i = 0; i < articles && std::getline(all, line); ++i) lines += line + "\n";
  REQUIRE_FALSE(lines.empty());
  const std::string portal = "portal/ca-brvt-cum-thi-dua-so-8.txt";
  dir.write("sample-corpus/news.jsonl", lines);
  dir.write("sample-corpus/" + portal, read(corpus / portal));
  return dir / "sample-corpus";
}

}  // namespace vnsearch::test
