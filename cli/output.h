// What every `vnsearch` command prints besides its results: text made safe for a terminal, and
// diagnostics in one style, `vnsearch <command>: error: <what>` / `...: warning: <what>`.
#pragma once

#include <string>
#include <string_view>

namespace vnsearch::cli {

/// `text` (from the database, an input file or the user) made safe to print on a terminal:
/// control characters cannot move the cursor, recolour the screen, ring the bell or reorder the
/// line. C0 controls (tab and newline included: every field prints on one line) and DEL become
/// `\xHH`, as do bytes that are not UTF-8; C1 controls and the bidirectional overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) become `\uHHHH`. Everything
/// else, Vietnamese included, is unchanged. README.md documents this.
[[nodiscard]] std::string printable(std::string_view text);

/// Writes `vnsearch <command>: <level>: <message>` to stderr (`vnsearch: ...` when `command` is
/// empty). `message` is passed through printable().
void report(std::string_view command, std::string_view level, std::string_view message);

inline void report_error(std::string_view command, std::string_view message) {
  report(command, "error", message);
}
inline void report_warning(std::string_view command, std::string_view message) {
  report(command, "warning", message);
}

/// "1 match", "2 matches": `count` and the singular or plural noun.
[[nodiscard]] std::string counted(unsigned long long count, std::string_view singular,
                                  std::string_view plural);

}  // namespace vnsearch::cli
