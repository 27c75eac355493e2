// Replacing a file beside the index so that readers see the old file or the new one, never a
// part: written to `<path>.tmp`, flushed, then renamed over `path`.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>

namespace vnsearch::schema {

/// Writes `path` through `write`. A failed write (disk full) throws std::runtime_error naming
/// the file and leaves neither a partial file nor its temporary behind.
void replace_file_atomically(const std::filesystem::path& path,
                             const std::function<void(std::ostream&)>& write);

}  // namespace vnsearch::schema
