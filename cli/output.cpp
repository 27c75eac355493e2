#include "output.h"

#include <cstdint>
#include <cstdio>
#include <iostream>

namespace vnsearch::cli {
namespace {

std::string hex_escape(char prefix, std::uint32_t value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\%c%0*x", prefix, digits, static_cast<unsigned>(value));
  return buffer;
}

// Length of the well-formed UTF-8 sequence at `at` and its code point; 0 when ill-formed.
std::size_t decode(std::string_view text, std::size_t at, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(i);
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  return length;
}

bool reorders_or_controls(std::uint32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9F) || code_point == 0x061C ||
         code_point == 0x200E || code_point == 0x200F ||
         (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::uint32_t code_point = 0;
    const std::size_t length = decode(text, at, code_point);
    if (length == 0) {
      out += hex_escape('x', static_cast<unsigned char>(text[at]), 2);
      ++at;
      continue;
    }
    if (code_point < 0x20 || code_point == 0x7F) {
      out += hex_escape('x', code_point, 2);
    } else if (reorders_or_controls(code_point)) {
      out += hex_escape('u', code_point, 4);
    } else {
      out.append(text.substr(at, length));
    }
    at += length;
  }
  return out;
}

void report(std::string_view command, std::string_view level, std::string_view message) {
  std::string line = "vnsearch";
  if (!command.empty()) line.append(" ").append(command);
  line.append(": ").append(level).append(": ").append(printable(message)).append("\n");
  std::cerr << line << std::flush;
}

std::string counted(unsigned long long count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

}  // namespace vnsearch::cli
