// Legacy Vietnamese encodings: decoding old archives into UTF-8 with a map back to the original
// byte offsets, encoding UTF-8 into them (for round-trip tests and exports), and detection.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch {

/// Text encodings the pipeline reads.
enum class Encoding {
  kAuto,  ///< (mostly) well-formed UTF-8 stays UTF-8, anything else is detected (detect_encoding)
  kUtf8,  ///< UTF-8; ill-formed sequences become U+FFFD
  kWindows1258,  ///< CP1258 (decomposed tone marks), converted by ICU
  kTcvn3,        ///< TCVN 5712:1993 "ABC" single-byte font encoding
  kVni,          ///< VNI Windows font encoding (base letter byte + mark byte)
  kViscii,       ///< VISCII 1.1 (RFC 1456)
  kViqr,         ///< VIQR ASCII notation (RFC 1456): `Vie^.t Nam`
};

/// Canonical lower-case name ("utf-8", "windows-1258", "tcvn3", "vni", "viscii", "viqr", "auto").
[[nodiscard]] std::string_view encoding_name(Encoding encoding);

/// Parses a user-supplied encoding name (case-insensitive; accepts common aliases such as
/// "cp1258", "abc", "tcvn", "vni-win"). Returns nullopt for unknown names.
[[nodiscard]] std::optional<Encoding> parse_encoding_name(std::string_view name);

/// Result of converting legacy bytes to UTF-8.
struct DecodedText {
  std::string utf8;  ///< the text as UTF-8 (NFC is not guaranteed; the analyzer normalizes)
  /// source_offset[i] is the offset in the original bytes of the character that produced
  /// utf8 byte i; it has utf8.size() + 1 entries, the last one being the original size.
  std::vector<std::size_t> source_offset;
  Encoding encoding = Encoding::kUtf8;  ///< the encoding actually used
  std::size_t unmappable = 0;           ///< bytes with no mapping, emitted as U+FFFD
};

/// Converts `bytes` from `encoding` (not kAuto, not kUtf8) to UTF-8.
[[nodiscard]] DecodedText decode_legacy(std::string_view bytes, Encoding encoding);

/// Converts UTF-8 text (NFC) to `encoding` (not kAuto, not kUtf8). Characters the encoding
/// cannot represent become '?'.
[[nodiscard]] std::string encode_legacy(std::string_view utf8, Encoding encoding);

/// How well-formed `bytes` are as UTF-8: what kAuto's choice between damaged UTF-8 and a legacy
/// encoding is made from.
struct Utf8Census {
  std::size_t invalid = 0;    ///< ill-formed sequences (each would become one U+FFFD)
  std::size_t non_ascii = 0;  ///< well-formed characters above U+007F
};

/// Counts the ill-formed sequences and the well-formed non-ASCII characters of `bytes`.
[[nodiscard]] Utf8Census utf8_census(std::string_view bytes);

/// kAuto's rule: text reads as UTF-8 (with its damaged bytes replaced) unless its ill-formed
/// sequences outnumber its well-formed non-ASCII characters more than four to one. Vietnamese in
/// a legacy encoding forms a well-formed multi-byte sequence only by accident (two adjacent
/// accented letters), at least seven bad sequences to one good per line in every legacy encoding,
/// while a UTF-8 page with a few damaged bytes keeps hundreds of good accented letters.
[[nodiscard]] bool reads_as_utf8(const Utf8Census& census);

/// The encoding kAuto reads `bytes` in: kUtf8 for well-formed or mostly well-formed UTF-8
/// (reads_as_utf8), otherwise the legacy encoding detect_legacy_encoding() picks, provided it
/// reads more Vietnamese syllables than the damaged UTF-8 does (a short text with a stray byte,
/// `Vi\xC3(t Nam`, stays UTF-8).
///
/// `declared` is what the document says about itself (an HTML `<meta charset>`); kAuto and
/// kViqr mean nothing is declared. A declaration is followed unless it is plainly wrong:
/// declared UTF-8 is not followed by bytes that fail reads_as_utf8; a declared legacy encoding
/// is not followed by text that reads as UTF-8 and has non-ASCII characters, nor when another
/// legacy encoding reads at least twice as many Vietnamese syllables from it.
[[nodiscard]] Encoding detect_encoding(std::string_view bytes, Encoding declared = Encoding::kAuto);

/// Chooses the legacy encoding (among Windows-1258, TCVN3, VNI, VISCII) under which `bytes`
/// reads most like Vietnamese, judged by how many words decode to valid Vietnamese syllables.
[[nodiscard]] Encoding detect_legacy_encoding(std::string_view bytes);

/// True when `bytes` is well-formed UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view bytes);

}  // namespace vnsearch
