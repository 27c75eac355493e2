#include "vnsearch/schema.h"

#include "vnsearch/tokenizer.h"

namespace vnsearch::schema {

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t fnv1a_separator(std::uint64_t hash) {
  return fnv1a(hash, "\xFF");
}

std::string join_stored_record(std::string_view header_json, std::string_view body) {
  std::string data;
  data.reserve(header_json.size() + 1 + body.size());
  data.append(header_json).append(1, '\n').append(body);
  return data;
}

StoredRecordParts split_stored_record(std::string_view data) {
  const std::size_t newline = data.find('\n');
  if (newline == std::string_view::npos) return {data, {}};
  return {data.substr(0, newline), data.substr(newline + 1)};
}

std::string boolean_term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += to_exact(value);
  if (term.size() > kMaxTermBytes) term.resize(kMaxTermBytes);
  return term;
}

std::string folded_field_term(std::string_view prefix, std::string_view value) {
  std::string term(kFoldedField);
  term += prefix;
  term += to_folded(value);
  if (term.size() > kMaxTermBytes) {
    // Never cut inside a UTF-8 sequence (folded forms are ASCII for Vietnamese, not always).
    std::size_t cut = kMaxTermBytes;
    while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
    term.resize(cut);
  }
  return term;
}

bool same_as_folded(std::string_view exact_term, std::string_view folded_term) {
  return folded_term.size() == kFoldedField.size() + exact_term.size() &&
         folded_term.substr(0, kFoldedField.size()) == kFoldedField &&
         folded_term.substr(kFoldedField.size()) == exact_term;
}

}  // namespace vnsearch::schema
