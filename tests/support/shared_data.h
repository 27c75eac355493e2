// Access to the read-only shared corpus (../shared from the source tree) for tests: where it is,
// and streaming readers for its JSONL and zstd-compressed JSONL files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The shared data directory: $VNSEARCH_SHARED when set and present, else
/// VNSEARCH_SOURCE_DIR "/../shared"; nothing when neither exists (tests then skip visibly).
std::optional<std::filesystem::path> shared_dir();

/// Calls `line` for each line of a JSONL file, decompressing it on the fly when the name ends in
/// `.zst`. Stops early when `line` returns false. Throws std::runtime_error on I/O or zstd errors.
void for_each_jsonl_line(const std::filesystem::path& path,
                         const std::function<bool(std::string_view)>& line);

/// The non-empty string values of `field` of the first records of a JSONL(.zst) file, at most
/// `max_docs` of them (0 = all). Records that are not JSON objects or lack the field are skipped.
std::vector<std::string> read_jsonl_field(const std::filesystem::path& path, std::size_t max_docs,
                                          std::string_view field = "body");

/// `read_jsonl_field(path, max_docs, "body")` for the compressed baomoi corpus and friends.
inline std::vector<std::string> read_jsonl_zst_bodies(const std::filesystem::path& path,
                                                      std::size_t max_docs) {
  return read_jsonl_field(path, max_docs, "body");
}

/// The whole content of a (small) text file.
std::string read_text_file(const std::filesystem::path& path);
