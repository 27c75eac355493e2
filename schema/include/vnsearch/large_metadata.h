// Xapian metadata values of any size. Xapian refuses to store one tag much over 100 MB (glass
// with its default 8 KiB blocks: "Can't handle insanely large tags"), and the syllable model's
// copy inside the database passes that size on an archive of about 150,000 articles
// (bench/README.md, "Growth"). A value over one part's size is therefore stored as parts.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace vnsearch::schema {

/// The largest part: far below Xapian's limit, and small enough to read over the remote
/// protocol in one message.
inline constexpr std::size_t kMetadataPartBytes = 8u << 20;

/// Stores `value` under `key`, in the writer's next commit. A value of at most `part_bytes` is
/// stored as it is (as every vnsearch before parts did); a larger one as parts `<key>.part-0`,
/// `<key>.part-1`, ... with `<key>` holding the manifest `vnsearch-parts <count> <bytes>`. Parts
/// left over from a larger earlier value are removed in the same commit.
void set_large_metadata(Xapian::WritableDatabase& db, const std::string& key,
                        std::string_view value, std::size_t part_bytes = kMetadataPartBytes);

/// The value `set_large_metadata` stored under `key`, or a plain metadata value; empty when there
/// is none. Throws std::runtime_error naming the key when a part is missing or the parts do not
/// add up to the manifest's size (a database damaged or changed by hand).
[[nodiscard]] std::string get_large_metadata(const Xapian::Database& db, const std::string& key);

}  // namespace vnsearch::schema
