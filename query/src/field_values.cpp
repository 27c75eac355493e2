#include "field_values.h"

#include <algorithm>
#include <array>

#include "ascii_text.h"
#include "entity_filters.h"
#include "vnsearch/schema.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::query {
namespace {

struct WordSpan {
  std::size_t begin = 0, end = 0;  ///< byte range in the text
};

// Whitespace-separated words outside quotes (a quoted stretch stays inside its word).
std::vector<WordSpan> split_words(std::string_view text) {
  std::vector<WordSpan> words;
  std::size_t at = 0;
  while (at < text.size()) {
    if (is_space(text[at])) {
      ++at;
      continue;
    }
    WordSpan word{at, at};
    bool quoted = false;
    while (at < text.size() && (quoted || !is_space(text[at]))) {
      if (text[at] == '"') quoted = !quoted;
      ++at;
    }
    word.end = at;
    words.push_back(word);
  }
  return words;
}

std::string_view prefix_of(std::string_view field) {
  if (field == "source") return schema::kSource;
  if (field == "category") return schema::kCategory;
  if (field == "tag") return schema::kTag;
  if (field == "author") return schema::kAuthor;
  if (const auto type = entity_field(field)) return schema::entity_prefix(*type);
  return {};
}

// A word that can continue a value: no operator, sign, quote, field or parenthesis.
bool plain_word(std::string_view word) {
  static constexpr std::array<std::string_view, 4> kOperators = {"AND", "OR", "NOT", "NEAR"};
  if (word.empty() || word[0] == '+' || word[0] == '-') return false;
  if (word.find_first_of("\"():*") != std::string_view::npos) return false;
  if (word.rfind("NEAR/", 0) == 0) return false;
  return std::find(kOperators.begin(), kOperators.end(), word) == kOperators.end();
}

Xapian::doccount documents_with(const Xapian::Database& db, std::string_view field,
                                std::string_view prefix, std::string_view value) {
  if (const auto type = entity_field(field)) return documents_with_entity(db, *type, value);
  // The exact term of the folded value: a value folding leaves unchanged has no `XF` twin.
  return std::max({db.get_termfreq(schema::boolean_term(prefix, value)),
                   db.get_termfreq(schema::folded_field_term(prefix, value)),
                   db.get_termfreq(schema::boolean_term(prefix, to_folded(value)))});
}

}  // namespace

std::string join_field_values(std::string_view text, const Xapian::Database& db,
                              std::vector<std::string>& notes) {
  const std::vector<WordSpan> words = split_words(text);
  const auto word_at = [&](std::size_t i) {
    return text.substr(words[i].begin, words[i].end - words[i].begin);
  };
  std::string out;
  std::size_t copied = 0;  // bytes of `text` already in `out`
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string_view word = word_at(i);
    // `(author:doi`: parentheses, then a sign, then the field.
    std::size_t lead = word.find_first_not_of('(');
    if (lead == std::string_view::npos) continue;
    if (word[lead] == '+' || word[lead] == '-') ++lead;
    const std::size_t colon = word.find(':', lead);
    if (colon == std::string_view::npos || colon == lead || colon + 1 >= word.size()) continue;
    const std::string field = lower_ascii(word.substr(lead, colon - lead));
    const std::string_view prefix = prefix_of(field);
    const std::string_view value = word.substr(colon + 1);
    if (prefix.empty() || !plain_word(value) || documents_with(db, field, prefix, value) > 0) {
      continue;
    }
    // The longest run of following plain words that makes a value some document has; a word
    // closing parentheses (`tre)`) ends the run.
    std::size_t best = 0;
    std::string joined(value), best_value, best_closing;
    for (std::size_t k = 1; k <= kMaxFieldValueWords && i + k < words.size(); ++k) {
      std::string_view next = word_at(i + k);
      const std::size_t closing = next.size() - (next.find_last_not_of(')') + 1);
      if (closing == next.size()) break;
      next.remove_suffix(closing);
      if (!plain_word(next)) break;
      joined += ' ';
      joined += next;
      if (documents_with(db, field, prefix, joined) > 0) {
        best = k;
        best_value = joined;
        best_closing = std::string(closing, ')');
      }
      if (closing > 0) break;
    }
    if (best == 0) continue;
    notes.push_back("read '" + std::string(word.substr(lead)) + "' and the " +
                    std::to_string(best) + (best == 1 ? " word" : " words") + " after it as " +
                    field + ":\"" + best_value + "\"");
    out.append(text.substr(copied, words[i].begin - copied));
    out += std::string(word.substr(0, lead)) + field + ":\"" + best_value + "\"" + best_closing;
    copied = words[i + best].end;
    i += best;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace vnsearch::query
