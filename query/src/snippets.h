// Snippets: the passage of a document that best shows why it matched, with the matches marked.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "vnsearch/search.h"

namespace vnsearch::query {

/// What counts as a match: exact forms for syllables typed with marks (or restored), folded
/// forms for syllables typed without (any reading is highlighted).
struct HighlightTerms {
  std::unordered_set<std::string> exact;
  std::unordered_set<std::string> folded;
};

/// The window of about `window_tokens` tokens of `text` holding the most distinct matches, as
/// plain text (line breaks made spaces) with the byte ranges of the matches, and "…" where text
/// was cut. The start of the text when nothing matches.
[[nodiscard]] Snippet find_snippet(std::string_view text, const HighlightTerms& terms,
                                   std::size_t window_tokens = 32);

/// Appends `text` with <, >, & and " escaped for HTML.
void append_escaped(std::string& out, std::string_view text);

/// find_snippet rendered with the default marks: HTML-escaped, matches in <b>…</b>.
[[nodiscard]] std::string make_snippet(std::string_view text, const HighlightTerms& terms,
                                       std::size_t window_tokens = 32);

}  // namespace vnsearch::query
