// Fuzz target: the input readers end to end — a JSONL file, a scraped portal page (.txt) or an
// HTML page (the first byte picks the format) — through the same read_documents() the indexer
// uses, encoding detection and repair included. Every delivered document must have an id that
// fits the index and valid UTF-8 in every field.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "vnsearch/encoding.h"
#include "vnsearch/readers.h"
#include "vnsearch/schema.h"

namespace {

namespace fs = std::filesystem;

void require(bool condition) {
  if (!condition) std::abort();
}

const fs::path& scratch_directory() {
  static const fs::path directory = [] {
    fs::path path = fs::temp_directory_path() / ("vnsearch-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(path);
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(fs::temp_directory_path() / ("vnsearch-fuzz-" + std::to_string(::getpid())),
                     ignored);
    });
    return path;
  }();
  return directory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"input.jsonl", "input.txt", "input.html"};
  const fs::path file = scratch_directory() / kNames[data[0] % 3];
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  }
  vnsearch::ReadOptions options;
  options.max_body_bytes = 1 << 16;  // exercises the cap without slowing the fuzzer
  const fs::path inputs[] = {file};
  vnsearch::read_documents(
      inputs, options,
      [](vnsearch::Document&& document, const vnsearch::ReadProgress&) {
        require(!document.id.empty() && document.id.size() <= vnsearch::schema::kMaxIdBytes);
        for (const std::string* field :
             {&document.id, &document.title, &document.description, &document.body, &document.date,
              &document.source, &document.url, &document.author, &document.category}) {
          require(vnsearch::is_valid_utf8(*field));
        }
        require(document.body.size() <= (1u << 16));
        return vnsearch::ReadFlow::kContinue;
      },
      [](const vnsearch::ReadIssue& issue) {
        require(!issue.message.empty());
        return vnsearch::ReadFlow::kContinue;
      });
  fs::remove(file);
  return 0;
}
