// Control characters in stored fields (internal). ESC, BEL, CR and their kind in a title or a
// byline reach every terminal that later prints a search result, where they move the cursor,
// rewrite lines or change the window title; no article means them. So every stored field is
// cleaned once, when a reader delivers the document.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "vnsearch/document.h"

namespace vnsearch::detail {

/// Byte offset of the first control character in `utf8` (C0 U+0000-U+001F, DEL U+007F, C1
/// U+0080-U+009F), or npos. `utf8` must be well-formed.
[[nodiscard]] std::size_t find_control(std::string_view utf8);

/// `utf8` with each control character written as `\xNN` (C0, DEL) or `\u00NN` (C1), and each
/// backslash doubled, so it can go into a message without acting on the terminal.
[[nodiscard]] std::string escape_controls(std::string_view utf8);

/// What strip_controls() removed.
struct ControlCleanup {
  std::size_t removed = 0;  ///< control characters deleted (line-break normalizing not counted)
  std::string fields;       ///< comma-separated names of the fields they were in
  std::string first;        ///< the first one removed, escaped ("\x1B")
};

/// Removes control characters from every stored field of `document` except the id (an id with
/// one is refused instead: it names the document).
/// - body and description keep line feeds and tabs; CR LF, a lone CR, VT, FF and NEL (U+0085)
///   become a line feed, as line breaks written another way;
/// - one-line fields (title, author, source, category, url, date, each tag) get a space for
///   any of those white-space controls, with runs of spaces squeezed and the ends trimmed;
/// - every other control character (NUL, BEL, BS, ESC, DEL, C1 such as CSI U+009B) is deleted
///   and counted.
ControlCleanup strip_controls(Document& document);

}  // namespace vnsearch::detail
