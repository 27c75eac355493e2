#include "control_chars.h"

#include <cstdint>

namespace vnsearch::detail {

namespace {

// In well-formed UTF-8 a C1 control U+0080-U+009F is the two bytes C2 80 .. C2 9F, and no byte
// below 0x80 is part of a longer sequence, so the scan needs no decoding.
bool is_c1_at(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
         static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(s[i + 1]) <= 0x9F;
}

bool is_c0_or_del(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

// Length in bytes of the control character at `i`, or 0.
std::size_t control_length(std::string_view s, std::size_t i) {
  if (is_c0_or_del(static_cast<unsigned char>(s[i]))) return 1;
  return is_c1_at(s, i) ? 2 : 0;
}

std::string escape_one(std::string_view control) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto value = static_cast<unsigned char>(control.size() == 1 ? control[0] : control[1]);
  std::string out = control.size() == 1 ? "\\x" : "\\u00";
  out += kHex[value >> 4];
  out += kHex[value & 0xF];
  return out;
}

// Cleans one field in place; returns how many characters were deleted and records the first.
std::size_t clean(std::string& text, bool multiline, std::string& first) {
  if (find_control(text) == std::string::npos) return 0;
  std::string out;
  out.reserve(text.size());
  std::size_t removed = 0;
  bool squeeze = false;  // one-line fields: drop spaces right after a replaced line break
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = control_length(text, i);
    if (length == 0) {
      if (!(squeeze && text[i] == ' ')) out += text[i];
      squeeze = squeeze && text[i] == ' ';
      ++i;
      continue;
    }
    const std::string_view control = std::string_view(text).substr(i, length);
    i += length;
    const char c = control.size() == 1 ? control[0] : '\0';
    const bool nel = control.size() == 2 && static_cast<unsigned char>(control[1]) == 0x85;
    const bool line_break = c == '\n' || c == '\r' || c == '\v' || c == '\f' || nel;
    if (multiline && (c == '\t' || c == '\n')) {
      out += c;
    } else if (multiline && line_break) {
      if (c == '\r' && i < text.size() && text[i] == '\n') ++i;  // CR LF is one break
      out += '\n';
    } else if (!multiline && (line_break || c == '\t')) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty()) out += ' ';
      squeeze = true;
    } else {
      ++removed;
      if (first.empty()) first = escape_one(control);
    }
  }
  if (!multiline) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  text = std::move(out);
  return removed;
}

}  // namespace

std::size_t find_control(std::string_view utf8) {
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if (control_length(utf8, i) != 0) return i;
  }
  return std::string_view::npos;
}

std::string escape_controls(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    if (const std::size_t length = control_length(utf8, i); length != 0) {
      out += escape_one(utf8.substr(i, length));
      i += length;
    } else {
      if (utf8[i] == '\\') out += '\\';
      out += utf8[i++];
    }
  }
  return out;
}

ControlCleanup strip_controls(Document& document) {
  ControlCleanup cleanup;
  const auto field = [&](const char* name, std::string& text, bool multiline) {
    if (const std::size_t removed = clean(text, multiline, cleanup.first); removed > 0) {
      cleanup.removed += removed;
      if (cleanup.fields.empty() || !cleanup.fields.ends_with(name)) {
        if (!cleanup.fields.empty()) cleanup.fields += ",";
        cleanup.fields += name;
      }
    }
  };
  field("title", document.title, false);
  field("description", document.description, true);
  field("body", document.body, true);
  field("date", document.date, false);
  field("source", document.source, false);
  field("url", document.url, false);
  field("author", document.author, false);
  field("category", document.category, false);
  for (auto tag = document.tags.begin(); tag != document.tags.end();) {
    const bool had_text = !tag->empty();
    field("tags", *tag, false);
    // A tag that was nothing but control characters is no tag.
    tag = had_text && tag->empty() ? document.tags.erase(tag) : tag + 1;
  }
  return cleanup;
}

}  // namespace vnsearch::detail
