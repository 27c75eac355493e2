// The body of the syllable model and counts files (and of the model's copy in the database's
// metadata) as one zstd frame with a content checksum: a file cut short or with a flipped bit is
// reported, never read as counts, and the unigram spellings and the coded tables shrink a little
// more. The file's magic and tag stay in front, uncompressed, so a writer can read the tag alone.
#pragma once

#include <string>
#include <string_view>

namespace vnsearch::schema {

/// `payload` as one zstd frame (its size and a checksum in it).
[[nodiscard]] std::string compress_payload(std::string_view payload);

/// The payload of a frame made by compress_payload. Throws std::runtime_error naming `name`
/// ("is truncated" or "is damaged") when `frame` is not exactly one intact frame.
[[nodiscard]] std::string decompress_payload(std::string_view frame, const std::string& name);

}  // namespace vnsearch::schema
