#include "input_text.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "text_util.h"

namespace vnsearch::detail {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

// Text never holds NUL; git and grep judge by the first few KiB in the same way.
constexpr std::size_t kBinaryScanBytes = 64 * 1024;
// The HTML standard's encoding prescan reads this many bytes.
constexpr std::size_t kCharsetScanBytes = 1024;

struct Signature {
  std::string_view magic;
  std::string_view what;
};

// Formats someone may point the indexer at by mistake, named so the message says what it was.
constexpr std::array<Signature, 12> kSignatures{{
    {"\x7F"
     "ELF",
     "ELF executable"},
    {"\x1F\x8B", "gzip-compressed data"},
    {"\x28\xB5\x2F\xFD", "zstd-compressed data"},
    {"BZh", "bzip2-compressed data"},
    {"\xFD"
     "7zXZ",
     "xz-compressed data"},
    {"PK\x03\x04", "zip archive (or a .docx/.xlsx/.odt document)"},
    {"%PDF-", "PDF document"},
    {"\x89PNG", "PNG image"},
    {"\xFF\xD8\xFF", "JPEG image"},
    {"GIF8", "GIF image"},
    {"\xD0\xCF\x11\xE0", "MS Office 97-2003 document"},
    {"SQLite format 3", "SQLite database"},
}};

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// UTF-16 (after its byte-order mark) to UTF-8; unpaired surrogates and an odd last byte become
// U+FFFD and are counted in `invalid`.
std::string utf16_to_utf8(std::string_view bytes, bool big_endian, std::size_t& invalid) {
  const std::size_t units = bytes.size() / 2;
  const auto unit = [&](std::size_t k) {
    const auto a = static_cast<std::uint8_t>(bytes[2 * k]);
    const auto b = static_cast<std::uint8_t>(bytes[2 * k + 1]);
    return static_cast<char16_t>(big_endian ? (a << 8) | b : (b << 8) | a);
  };
  std::string out;
  out.reserve(bytes.size());
  invalid = 0;
  for (std::size_t k = 0; k < units; ++k) {
    UChar32 c = unit(k);
    if (U16_IS_LEAD(c) && k + 1 < units && U16_IS_TRAIL(unit(k + 1))) {
      c = U16_GET_SUPPLEMENTARY(c, unit(k + 1));
      ++k;
    } else if (U16_IS_SURROGATE(c)) {
      c = 0xFFFD;
      ++invalid;
    }
    char buffer[U8_MAX_LENGTH];
    std::int32_t length = 0;
    U8_APPEND_UNSAFE(buffer, length, c);
    out.append(buffer, static_cast<std::size_t>(length));
  }
  if (bytes.size() % 2 != 0) {
    out += "\xEF\xBF\xBD";
    ++invalid;
  }
  return out;
}

// The encoding a declared label names, or kAuto for none or one this pipeline does not read.
Encoding declared_encoding(std::string_view label) {
  const std::optional<Encoding> encoding = parse_encoding_name(label);
  if (!encoding || *encoding == Encoding::kViqr) return Encoding::kAuto;  // VIQR is no charset
  return *encoding;
}

}  // namespace

std::optional<std::string> binary_content_reason(std::string_view head) {
  if (head.starts_with(kUtf16LeBom) || head.starts_with(kUtf16BeBom)) return std::nullopt;
  for (const Signature& signature : kSignatures) {
    if (head.starts_with(signature.magic)) {
      return "binary content (" + std::string(signature.what) + "), not text";
    }
  }
  const std::size_t nul = head.substr(0, kBinaryScanBytes).find('\0');
  if (nul != std::string_view::npos) {
    return "binary content (NUL byte at offset " + std::to_string(nul) + "), not text";
  }
  return std::nullopt;
}

std::string declared_html_charset(std::string_view html) {
  const std::string head = lower_ascii(html.substr(0, kCharsetScanBytes));
  std::size_t at = 0;
  while ((at = head.find("<meta", at)) != std::string::npos) {
    const std::size_t tag_end = std::min(head.find('>', at), head.size());
    const std::string_view tag = std::string_view(head).substr(at, tag_end - at);
    at = tag_end;
    // Both forms put the label after "charset=": <meta charset="utf-8"> and
    // <meta http-equiv="Content-Type" content="text/html; charset=utf-8">.
    std::size_t k = tag.find("charset");
    if (k == std::string_view::npos) continue;
    k += 7;
    while (k < tag.size() && (tag[k] == ' ' || tag[k] == '\t')) ++k;
    if (k >= tag.size() || tag[k] != '=') continue;
    ++k;
    while (k < tag.size() && (tag[k] == ' ' || tag[k] == '\t' || tag[k] == '"' || tag[k] == '\'')) {
      ++k;
    }
    const std::size_t end = std::min(tag.find_first_of("\"'; \t/>", k), tag.size());
    if (end > k) return std::string(html.substr(at - tag.size() + k, end - k));
  }
  return {};
}

std::string page_to_utf8(std::string bytes, std::string_view declared_charset, std::string& note) {
  note.clear();
  if (bytes.starts_with(kUtf16LeBom) || bytes.starts_with(kUtf16BeBom)) {
    const bool big_endian = bytes.starts_with(kUtf16BeBom);
    std::size_t invalid = 0;
    std::string text = utf16_to_utf8(std::string_view(bytes).substr(2), big_endian, invalid);
    note = std::string("UTF-16") + (big_endian ? "BE" : "LE") + " (byte-order mark); decoded";
    if (invalid > 0) {
      note += " (" + std::to_string(invalid) + " unpaired surrogate(s) became U+FFFD)";
    }
    return text;
  }
  // A UTF-8 byte-order mark outranks any declaration, as in browsers.
  Encoding declared = declared_encoding(declared_charset);
  if (bytes.starts_with(kUtf8Bom)) {
    bytes.erase(0, kUtf8Bom.size());
    declared = Encoding::kUtf8;
    declared_charset = {};
  }
  const Encoding encoding = detect_encoding(bytes, declared);
  // What was done, in parts joined by "; ".
  std::string overruled;
  if (declared != Encoding::kAuto && !declared_charset.empty() && encoding != declared) {
    overruled = "declares charset \"" + std::string(declared_charset) + "\" but reads as " +
                std::string(encoding_name(encoding));
  }
  std::string done;
  if (encoding == Encoding::kUtf8) {
    std::size_t first_bad = 0;
    if (const std::size_t replaced = repair_utf8(bytes, &first_bad); replaced > 0) {
      done = std::to_string(replaced) +
             " invalid UTF-8 sequence(s) replaced by U+FFFD, first at byte " +
             std::to_string(first_bad + 1);
    }
  } else {
    DecodedText decoded = decode_legacy(bytes, encoding);
    done = (overruled.empty() ? "not UTF-8; decoded as " : "decoded as ") +
           std::string(encoding_name(decoded.encoding));
    if (decoded.unmappable > 0) {
      done += " (" + std::to_string(decoded.unmappable) + " unmappable bytes became U+FFFD)";
    }
    bytes = std::move(decoded.utf8);
  }
  note = overruled.empty() || done.empty() ? overruled + done : overruled + "; " + done;
  return bytes;
}

LineDecoding decode_legacy_line(std::string& line) {
  if (is_valid_utf8(line)) return {};
  const Encoding encoding = detect_encoding(line);
  if (encoding == Encoding::kUtf8) return {};
  DecodedText decoded = decode_legacy(line, encoding);
  line = std::move(decoded.utf8);
  return {encoding, decoded.unmappable};
}

}  // namespace vnsearch::detail
