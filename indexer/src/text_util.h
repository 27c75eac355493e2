// Small UTF-8 helpers shared by the readers (internal).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vnsearch::detail {

/// Replaces every ill-formed UTF-8 sequence in `text` by U+FFFD; returns how many were replaced
/// and, through `first_bad`, the byte offset of the first one.
std::size_t repair_utf8(std::string& text, std::size_t* first_bad = nullptr);

/// The longest prefix of `text` not longer than `max_bytes` that ends on a character boundary.
[[nodiscard]] std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes);

/// Collapses runs of spaces, tabs, newlines and no-break spaces (U+00A0) to one space and trims.
[[nodiscard]] std::string collapse_whitespace(std::string_view text);

}  // namespace vnsearch::detail
