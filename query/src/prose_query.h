// Long queries are prose: a pasted lead or paragraph ("more like this"), not a query written
// with operators. Their double quotes are quotation marks — reported speech, scare quotes — and
// a sign before a word is a dash or a minus, so neither may turn the words into required
// phrases or exclusions: a 27-word lead quoting a minister would otherwise require the quoted
// sentence verbatim and match only the article it was cut from (issue 14, the same-event set,
// bench/README.md "Same-event leads").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch::query {

/// Queries with more words than this are prose. No headline of titles-dev (at most 29 words)
/// with quotes has more than 16, nor any but two vinewsqa-dev questions; 44 of the 46 quoting
/// leads of the same-event set do.
inline constexpr std::size_t kProseWords = 16;

/// Words of `text`: runs between white space holding a letter or digit (any non-ASCII byte
/// counts as a letter).
[[nodiscard]] std::size_t count_words(std::string_view text);

/// True when `text` holds a word only an operator query has: a field (`source:`, `-title:`), a
/// boolean word (`AND`, `OR`, `NOT`, `NEAR/n`) or a wildcard (`thi*`).
[[nodiscard]] bool uses_operators(std::string_view text);

/// `text` as it is when it has at most kProseWords words or uses operators (uses_operators);
/// otherwise with its double quotes and the `+`/`-` that start a word turned into spaces, and a
/// note saying so in `notes`.
[[nodiscard]] std::string prose_as_text(std::string_view text, std::vector<std::string>& notes);

}  // namespace vnsearch::query
