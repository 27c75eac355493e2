// Raw input bytes to UTF-8 text (internal): binary files refused with a reason, byte-order marks,
// charsets that HTML pages declare, damaged UTF-8 repaired, legacy Vietnamese encodings decoded.
// The choice between damaged UTF-8 and a legacy encoding is the analyzer's (detect_encoding).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "vnsearch/encoding.h"

namespace vnsearch::detail {

/// Why the file starting with `head` is not text, or nullopt: the signature of a known binary
/// format (ELF, gzip, PDF, ...), or a NUL byte among its first 64 KiB, which text never holds.
/// A UTF-16 byte-order mark means text (page_to_utf8 decodes it).
[[nodiscard]] std::optional<std::string> binary_content_reason(std::string_view head);

/// The charset an HTML page declares with `<meta charset=...>` or `<meta http-equiv=
/// "Content-Type" content="...; charset=...">` in its first 1024 bytes (where the HTML standard's
/// prescan looks), as written; empty when it declares none.
[[nodiscard]] std::string declared_html_charset(std::string_view html);

/// Page bytes as UTF-8. A UTF-8 byte-order mark is dropped; a UTF-16 one means UTF-16. Otherwise
/// the encoding is detect_encoding()'s, given the charset the page declares (a label
/// parse_encoding_name() does not know, such as "iso-8859-1", counts as none): mostly
/// well-formed UTF-8 stays UTF-8 with its damaged bytes replaced by U+FFFD, anything else is
/// decoded from the legacy encoding it reads best as. `note` says what was done, or is empty
/// when the page was clean UTF-8.
[[nodiscard]] std::string page_to_utf8(std::string bytes, std::string_view declared_charset,
                                       std::string& note);

/// What decode_legacy_line() did.
struct LineDecoding {
  Encoding encoding = Encoding::kUtf8;  ///< kUtf8: left as it was
  std::size_t unmappable = 0;           ///< bytes without a mapping, now U+FFFD
};

/// A JSONL line that is not UTF-8 but a legacy encoding (by detect_encoding's rule, judged on
/// this line alone) is decoded in place. JSON syntax is ASCII, which every legacy encoding
/// leaves as it is, so only the string values change. Mostly well-formed UTF-8 is left for
/// repair_utf8().
LineDecoding decode_legacy_line(std::string& line);

}  // namespace vnsearch::detail
