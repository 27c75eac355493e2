// JSONL input: one article per line. A bad line is reported with its number and skipped; the
// file goes on. Field types are checked strictly so that a shifted column or a stray number
// is caught instead of being indexed as text.
#include <nlohmann/json.hpp>

#include <array>
#include <exception>
#include <map>
#include <utility>

#include "compressed_input.h"
#include "control_chars.h"
#include "format_readers.h"
#include "input_text.h"
#include "text_util.h"
#include "vnsearch/dates.h"

namespace vnsearch::detail {

namespace {

using json = nlohmann::json;

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// The line is rejected with this field and message.
struct BadLine {
  std::string field;
  std::string message;
};

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, ";
// the line number is ours to give, so keep only the column and the reason.
std::string describe_parse_error(const std::string& what) {
  std::string message = what;
  if (const auto bracket = message.find("] "); bracket != std::string::npos) {
    message.erase(0, bracket + 2);
  }
  if (const auto at = message.find("at line 1, "); at != std::string::npos) {
    message.erase(at, std::string_view("line 1, ").size() + 3);
    message.insert(at, "at ");
  }
  return "invalid JSON: " + message;
}

// Moves a string field out of `object`: absent or null gives "", another type is an error.
std::string take_string(json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) {
    throw BadLine{field, std::string("must be a string, not ") + it->type_name()};
  }
  return std::move(it->get_ref<std::string&>());
}

std::string take_id(json& object) {
  const auto it = object.find("id");
  if (it == object.end() || it->is_null()) throw BadLine{"id", "missing (every article needs one)"};
  // Integer ids are common in database exports; their decimal form is unambiguous.
  if (it->is_number_integer()) return it->dump();
  if (!it->is_string())
    throw BadLine{"id", std::string("must be a string, not ") + it->type_name()};
  const std::string& raw = it->get_ref<const std::string&>();
  // An id with a control character, a tab or line break included, is refused when delivered
  // (FileContext::deliver), shown as it was written.
  if (find_control(raw) != std::string::npos) return raw;
  std::string id = collapse_whitespace(raw);
  if (id.empty()) throw BadLine{"id", "is empty"};
  return id;
}

std::vector<std::string> take_tags(json& object) {
  const auto it = object.find("tags");
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_array()) {
    throw BadLine{"tags", std::string("must be an array of strings, not ") + it->type_name()};
  }
  std::vector<std::string> tags;
  for (auto& tag : *it) {
    if (!tag.is_string()) {
      throw BadLine{"tags", std::string("must hold only strings, found ") + tag.type_name()};
    }
    tags.push_back(std::move(tag.get_ref<std::string&>()));
  }
  return tags;
}

// Names the text fields that hold U+FFFD, to point the reader at the damage.
std::string fields_with_replacements(const Document& d) {
  const std::array<std::pair<const char*, const std::string*>, 8> fields{{
      {"id", &d.id},
      {"title", &d.title},
      {"description", &d.description},
      {"body", &d.body},
      {"source", &d.source},
      {"url", &d.url},
      {"author", &d.author},
      {"category", &d.category},
  }};
  std::string names;
  for (const auto& [name, value] : fields) {
    if (value->find(kReplacementChar) == std::string::npos) continue;
    if (!names.empty()) names += ",";
    names += name;
  }
  return names;
}

// Lines of one file that were decoded from a legacy encoding: reported once per file and
// encoding, at the end, instead of once per line.
struct LegacyLines {
  std::size_t count = 0;
  std::size_t first_line = 0;
  std::size_t unmappable = 0;
};
using LegacyTally = std::map<Encoding, LegacyLines>;

void read_line(std::string& line, std::size_t number, std::uint64_t bytes_read,
               FileContext& context, LegacyTally& legacy) {
  if (const LineDecoding decoding = decode_legacy_line(line);
      decoding.encoding != Encoding::kUtf8) {
    LegacyLines& tally = legacy[decoding.encoding];
    if (tally.count++ == 0) tally.first_line = number;
    tally.unmappable += decoding.unmappable;
  }
  std::size_t first_bad = 0;
  const std::size_t repaired = repair_utf8(line, &first_bad);
  Document document;
  std::string raw_date;
  try {
    json object;
    try {
      object = json::parse(line);
    } catch (const json::parse_error& error) {
      throw BadLine{"", describe_parse_error(error.what())};
    }
    line.clear();
    line.shrink_to_fit();  // a 60 MB line should not be held twice
    if (!object.is_object()) {
      throw BadLine{"", std::string("expected a JSON object, found ") + object.type_name()};
    }
    document.id = take_id(object);
    try {
      document.title = take_string(object, "title");
      document.description = take_string(object, "description");
      document.body = take_string(object, "body");
      raw_date = take_string(object, "date");
      document.source = take_string(object, "source");
      document.url = take_string(object, "url");
      document.author = take_string(object, "author");
      document.category = take_string(object, "category");
      document.tags = take_tags(object);
    } catch (const BadLine& bad) {
      context.report({.line = number,
                      .id = document.id,
                      .field = bad.field,
                      .message = bad.message,
                      .fatal_for_document = true});
      return;
    }
  } catch (const BadLine& bad) {
    context.report(
        {.line = number, .field = bad.field, .message = bad.message, .fatal_for_document = true});
    return;
  }

  if (repaired > 0) {
    context.report({.line = number,
                    .id = document.id,
                    .field = fields_with_replacements(document),
                    .message = std::to_string(repaired) +
                               " invalid UTF-8 sequence(s) replaced by U+FFFD, first at byte " +
                               std::to_string(first_bad + 1)});
  }
  if (!raw_date.empty()) {
    if (auto date = parse_date(raw_date)) {
      document.date = std::move(date->iso8601);
      document.timestamp = date->unix_seconds;
    } else {
      context.report(
          {.line = number,
           .id = document.id,
           .field = "date",
           .message = "unparseable date \"" + raw_date.substr(0, 80) + "\"; left empty"});
    }
  }
  if (context.stopped()) return;
  context.deliver(std::move(document), number, bytes_read);
}

}  // namespace

void read_jsonl_file(const std::filesystem::path& path, FileContext& context) {
  std::unique_ptr<LineReader> reader;
  try {
    reader = std::make_unique<LineReader>(open_byte_source(path), context.options().max_line_bytes);
  } catch (const std::exception& error) {
    context.report({.message = error.what(), .fatal_for_document = true, .input_incomplete = true});
    return;
  }
  std::string line;
  LegacyTally legacy;
  try {
    while (!context.stopped()) {
      const LineReader::Status status = reader->next(line);
      if (status == LineReader::Status::kEnd) break;
      const std::size_t number = reader->line_number();
      if (status == LineReader::Status::kTooLong) {
        context.report({.line = number,
                        .message = "line longer than " +
                                   std::to_string(context.options().max_line_bytes) +
                                   " bytes; skipped",
                        .fatal_for_document = true});
        continue;
      }
      if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // BOM
      if (number == 1) {
        // An executable or an archive named .jsonl would give one bad line after another.
        if (auto reason = binary_content_reason(line)) {
          context.report({.message = *reason + "; file skipped", .fatal_for_document = true});
          return;
        }
      }
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // harmless blanks
      read_line(line, number, reader->raw_bytes_read(), context, legacy);
    }
  } catch (const std::exception& error) {
    // Decompression or I/O failure: nothing after this point can be trusted.
    context.report({.line = reader->line_number() + 1,
                    .message = std::string(error.what()) + "; rest of file skipped",
                    .fatal_for_document = true,
                    .input_incomplete = true});
  }
  for (const auto& [encoding, tally] : legacy) {
    if (context.stopped()) break;
    std::string message = "not UTF-8; decoded as " + std::string(encoding_name(encoding)) + " (" +
                          std::to_string(tally.count) + " line(s) of this file, this one first)";
    if (tally.unmappable > 0) {
      message += "; " + std::to_string(tally.unmappable) + " unmappable bytes became U+FFFD";
    }
    context.report({.line = tally.first_line, .message = std::move(message)});
  }
}

}  // namespace vnsearch::detail
