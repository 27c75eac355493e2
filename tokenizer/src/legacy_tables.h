// Byte tables of the single-byte legacy Vietnamese encodings (private to legacy_encodings.cpp).
//
// Every encoding here is described the same way: each byte decodes to zero, one or two code
// points. A letter may take several bytes (VNI writes `ệ` as `e` + a mark byte), so mark bytes
// decode to combining marks and NFC composes them with the letter before.
#pragma once

#include <array>
#include <cstdint>

namespace vnsearch::legacy {

/// Flags of one table entry.
enum ByteFlag : std::uint8_t {
  kDecodeOnly = 1,  ///< read when decoding, never written by the encoder
  kLowerMark = 2,   ///< VNI mark byte used after a lower-case letter
  kUpperMark = 4,   ///< VNI mark byte used after an upper-case letter
};

/// What one byte decodes to; `length == 0` means the byte has no mapping.
struct ByteMapping {
  std::array<char32_t, 2> cp{};
  std::uint8_t length = 0;
  std::uint8_t flags = 0;
};

using ByteTable = std::array<ByteMapping, 256>;

// Each table is built once on first use (thread-safe) and lives for the whole program.
const ByteTable& windows1258_table();  // from ICU's "windows-1258" converter
const ByteTable& tcvn3_table();
const ByteTable& vni_table();
const ByteTable& viscii_table();

}  // namespace vnsearch::legacy
