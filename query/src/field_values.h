// Unquoted field values of several words: `author:doi tuyen truyen` is read as
// `author:"doi tuyen truyen"` when `author:doi` alone matches no document and the longer value
// does. People type names without quotes; a value that matches nothing is never what they meant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace vnsearch::query {

/// At most this many following words are tried as part of a value.
inline constexpr std::size_t kMaxFieldValueWords = 8;

/// `text` with each unquoted `source:`, `category:`, `tag:`, `author:`, `person:`, `place:` or
/// `org:` value that matches no
/// document joined with the plain words after it, when the joined value matches documents (the
/// longest such value), quoted; a note for each value joined. `text` unchanged otherwise.
[[nodiscard]] std::string join_field_values(std::string_view text, const Xapian::Database& db,
                                            std::vector<std::string>& notes);

}  // namespace vnsearch::query
