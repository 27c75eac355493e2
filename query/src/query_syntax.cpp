#include "query_syntax.h"
#include "ascii_text.h"

#include <algorithm>
#include <array>

namespace vnsearch::query {
namespace {

constexpr std::array<std::string_view, 10> kFields = {
    "title", "source", "category", "tag", "author", "date", "year", "person", "place", "org"};

// Reads a quoted string starting after the opening quote; returns it and moves `at` past the
// closing quote (or to the end, noting the missing quote).
std::string read_quoted(std::string_view text, std::size_t& at, ParsedQuery& parsed) {
  const std::size_t close = text.find('"', at);
  std::string value;
  if (close == std::string_view::npos) {
    value = std::string(text.substr(at));
    at = text.size();
    parsed.notes.push_back("unbalanced quote: the phrase runs to the end of the query");
  } else {
    value = std::string(text.substr(at, close - at));
    at = close + 1;
  }
  return value;
}

// Length of the well-formed UTF-8 sequence at `at`, or 0 when the bytes there are ill-formed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if (byte(i) < (i == 1 ? low : 0x80) || byte(i) > (i == 1 ? high : 0xBF)) return 0;
  }
  return length;
}

// Queries are typed, so they are UTF-8: an ill-formed byte is a typing or transport accident
// and becomes U+FFFD (one per byte) rather than a reason to read the whole query as a legacy
// encoding, which would garble the well-formed rest.
std::string repair_utf8(std::string_view text, ParsedQuery& parsed) {
  std::string out;
  out.reserve(text.size());
  std::size_t repaired = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++repaired;
      ++at;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  if (repaired > 0) {
    parsed.notes.push_back("the query is not valid UTF-8: " + std::to_string(repaired) +
                           (repaired == 1 ? " byte" : " bytes") + " replaced by U+FFFD");
  }
  return out;
}

std::string read_word(std::string_view text, std::size_t& at) {
  const std::size_t begin = at;
  while (at < text.size() && !is_space(text[at])) ++at;
  return std::string(text.substr(begin, at - begin));
}

// Appends plain words to the last text clause when it can take them (same sign), so that
// "cum thi dua" stays one run for diacritic restoration.
void add_text(ParsedQuery& parsed, std::string word) {
  if (!parsed.clauses.empty()) {
    Clause& last = parsed.clauses.back();
    if (last.kind == Clause::Kind::kText && !last.required && !last.excluded &&
        last.field.empty()) {
      last.text += ' ';
      last.text += word;
      return;
    }
  }
  parsed.clauses.push_back({Clause::Kind::kText, false, false, "", std::move(word)});
}

}  // namespace

ParsedQuery parse_query(std::string_view raw) {
  ParsedQuery parsed;
  const std::string repaired = repair_utf8(raw, parsed);
  const std::string_view text = repaired;
  std::size_t at = 0;
  while (at < text.size()) {
    if (is_space(text[at])) {
      ++at;
      continue;
    }
    Clause clause;
    // A sign only counts when something follows it directly (`- ` is a dash in text).
    if ((text[at] == '+' || text[at] == '-') && at + 1 < text.size() && !is_space(text[at + 1])) {
      clause.required = text[at] == '+';
      clause.excluded = text[at] == '-';
      ++at;
    }
    // field:value (the colon inside the current word)
    std::size_t word_end = at;
    while (word_end < text.size() && !is_space(text[word_end])) ++word_end;
    const std::size_t colon = text.substr(0, word_end).find(':', at);
    if (colon != std::string_view::npos && colon > at) {
      const std::string field = lower_ascii(text.substr(at, colon - at));
      if (std::find(kFields.begin(), kFields.end(), field) != kFields.end()) {
        at = colon + 1;
        clause.field = field == "year" ? "date" : field;
        if (at < text.size() && text[at] == '"') {
          ++at;
          clause.text = read_quoted(text, at, parsed);
        } else {
          clause.text = read_word(text, at);
        }
        // `title:` alone (or `title:""`) names no value: searching the word "title:" would
        // surprise, and so would failing the whole query.
        if (clause.text.find_first_not_of(" \t\n\r") == std::string::npos) {
          parsed.notes.push_back("ignored '" + field + ":': no value after it");
          continue;
        }
        clause.kind = field == "title" ? Clause::Kind::kPhrase : Clause::Kind::kFilter;
        if (!clause.excluded) clause.required = true;
        parsed.clauses.push_back(std::move(clause));
        continue;
      }
    }
    if (text[at] == '"') {
      ++at;
      clause.kind = Clause::Kind::kPhrase;
      clause.text = read_quoted(text, at, parsed);
      if (!clause.excluded) clause.required = true;
      parsed.clauses.push_back(std::move(clause));
      continue;
    }
    std::string word = read_word(text, at);
    if (clause.required || clause.excluded) {
      clause.text = std::move(word);
      parsed.clauses.push_back(std::move(clause));
    } else {
      add_text(parsed, std::move(word));
    }
  }
  return parsed;
}

std::string repair_query_utf8(std::string_view text, std::vector<std::string>& notes) {
  ParsedQuery parsed;
  std::string repaired = repair_utf8(text, parsed);
  notes.insert(notes.end(), parsed.notes.begin(), parsed.notes.end());
  return repaired;
}

bool is_field_name(std::string_view name) {
  return std::find(kFields.begin(), kFields.end(), name) != kFields.end();
}

}  // namespace vnsearch::query
