#include "vnsearch/entity_terms.h"

#include "vnsearch/schema.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::schema {
namespace {

// Cuts `term` to kMaxTermBytes without splitting a UTF-8 sequence.
void cut_term(std::string& term) {
  if (term.size() <= kMaxTermBytes) return;
  std::size_t cut = kMaxTermBytes;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
}

std::string join_tokens(std::string_view name, bool folded) {
  const std::vector<Token> tokens = Analyzer().analyze(name);
  std::string key;
  const auto append = [&](const Token& token) {
    if (token.exact.empty()) return;
    if (!key.empty()) key += ' ';
    key += folded ? token.folded : token.exact;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].role == TokenRole::kPart) continue;
    std::size_t parts_end = i + 1;
    while (parts_end < tokens.size() && tokens[parts_end].role == TokenRole::kPart) ++parts_end;
    if (splits_into_words(name, tokens, i, parts_end)) {
      for (std::size_t p = i + 1; p < parts_end; ++p) append(tokens[p]);
    } else {
      append(tokens[i]);
    }
    i = parts_end - 1;
  }
  return key;
}

}  // namespace

bool splits_into_words(std::string_view name, const std::vector<Token>& tokens, std::size_t whole,
                       std::size_t parts_end) {
  if (tokens[whole].role != TokenRole::kCompound || parts_end < whole + 3) return false;
  for (std::size_t p = whole + 1; p < parts_end; ++p) {
    if (tokens[p].kind != TokenKind::kWord) return false;
    if (p > whole + 1 &&
        name.substr(tokens[p - 1].end, tokens[p].start - tokens[p - 1].end) != "-") {
      return false;
    }
  }
  return true;
}

std::string_view entity_type_name(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "person";
    case EntityType::kPlace:
      return "place";
    case EntityType::kOrganisation:
      return "org";
  }
  return "person";
}

std::string_view entity_prefix(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return kPerson;
    case EntityType::kPlace:
      return kPlace;
    case EntityType::kOrganisation:
      return kOrganisation;
  }
  return kPerson;
}

std::string entity_key(std::string_view name) {
  return join_tokens(name, false);
}

std::string folded_entity_key(std::string_view name) {
  return join_tokens(name, true);
}

std::string entity_term(EntityType type, std::string_view key) {
  std::string term(entity_prefix(type));
  term += key;
  cut_term(term);
  return term;
}

std::string folded_entity_term(EntityType type, std::string_view folded_key) {
  std::string term(kFoldedField);
  term += entity_prefix(type);
  term += folded_key;
  cut_term(term);
  return term;
}

std::string encode_slot_entities(const std::vector<SlotEntity>& entities) {
  static constexpr char kLetters[] = {'p', 'l', 'o'};
  std::string out;
  for (const SlotEntity& entity : entities) {
    out += kLetters[static_cast<int>(entity.type)];
    out += '\t';
    out += entity.key;
    out += '\t';
    out += entity.display;
    out += '\n';
  }
  return out;
}

std::vector<SlotEntity> decode_slot_entities(std::string_view bytes) {
  std::vector<SlotEntity> out;
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\n');
    const std::string_view line = bytes.substr(0, end);
    bytes = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab1 != 1 || tab2 == std::string_view::npos) continue;
    SlotEntity entity;
    if (line[0] == 'p') {
      entity.type = EntityType::kPerson;
    } else if (line[0] == 'l') {
      entity.type = EntityType::kPlace;
    } else if (line[0] == 'o') {
      entity.type = EntityType::kOrganisation;
    } else {
      continue;
    }
    entity.key = std::string(line.substr(tab1 + 1, tab2 - tab1 - 1));
    entity.display = std::string(line.substr(tab2 + 1));
    if (entity.key.empty()) continue;
    out.push_back(std::move(entity));
  }
  return out;
}

}  // namespace vnsearch::schema
