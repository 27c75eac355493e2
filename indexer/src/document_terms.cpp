#include "document_terms.h"

#include <array>
#include <cstdio>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "entities.h"
#include "near_duplicates.h"
#include "vnsearch/schema.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::indexing {
namespace {

namespace schema = vnsearch::schema;

struct FieldWeights {
  Xapian::termcount wdf = 1;
  bool title = false;
  SketchBuilder* sketch = nullptr;      // the near-duplicate signature, fed the field's words
  EntityCollector* entities = nullptr;  // entity candidates (entities.h), fed the field's tokens
};

// Adds the terms of one text field, starting at `first_position`; returns the position after it.
// Adjacency (phrases, multi-syllable words) is judged from positions at query time, so no
// bigram terms are stored: they would triple the postings for evidence positions already hold.
Xapian::termpos index_field(Xapian::Document& xdoc, std::string_view text,
                            Xapian::termpos first_position, FieldWeights weights) {
  thread_local std::vector<Token> tokens;
  tokens.clear();
  Analyzer().analyze(text, tokens);
  Xapian::termpos last = first_position;
  for (const Token& token : tokens) {
    if (token.exact.size() > schema::kMaxTermBytes || token.exact.empty()) continue;
    // One empty position between sentences keeps phrases from spanning them.
    const Xapian::termpos position = first_position + token.position + token.sentence;
    last = std::max(last, position);
    xdoc.add_posting(token.exact, position, weights.wdf);
    if (token.folded != token.exact) {
      xdoc.add_term(std::string(schema::kFolded) + token.folded, weights.wdf);
    }
    // Title syllables again, positional and unweighted, so `title:"..."` phrases can match.
    if (weights.title) xdoc.add_posting(std::string(schema::kTitle) + token.exact, position, 0);
    // Parts repeat their compound's text: shingles see each piece of text once.
    if (weights.sketch && token.role != TokenRole::kPart) weights.sketch->add(token.exact);
  }
  if (weights.sketch) weights.sketch->end_field();
  if (weights.entities) weights.entities->add_field(text, tokens);
  return last + 1;
}

// A field value as the filters match it: exact form, and folded (the `XF` terms) so that
// `source:vnexpress` and `author:"doi tuyen truyen"` find it however it was typed. The folded
// twin only where folding changes the value: a filter also searches the exact term of the folded
// value (query_plan.cpp), which for `vnexpress` is the exact term itself.
void add_field_terms(Xapian::Document& xdoc, std::string_view prefix, std::string_view value) {
  const std::string exact = schema::boolean_term(prefix, value);
  const std::string folded = schema::folded_field_term(prefix, value);
  xdoc.add_boolean_term(exact);
  if (!schema::same_as_folded(exact, folded)) xdoc.add_boolean_term(folded);
}

void add_date_terms(Xapian::Document& xdoc, const Document& document) {
  if (!document.timestamp || document.date.size() < 10) return;
  xdoc.add_value(schema::kSlotTimestamp,
                 Xapian::sortable_serialise(static_cast<double>(*document.timestamp)));
  // The ISO date is local time as published: YYYY-MM-DD...
  const std::string year = document.date.substr(0, 4);
  const std::string month = year + document.date.substr(5, 2);
  const std::string day = month + document.date.substr(8, 2);
  xdoc.add_boolean_term(std::string(schema::kYear) + year);
  xdoc.add_boolean_term(std::string(schema::kMonth) + month);
  xdoc.add_boolean_term(std::string(schema::kDay) + day);
  xdoc.add_value(schema::kSlotYear, year);
}

// One field of a hash over several: its bytes, then a separator.
std::uint64_t hash_field(std::uint64_t hash, std::string_view text) {
  return schema::fnv1a_separator(schema::fnv1a(hash, text));
}

std::string hex64(std::uint64_t value) {
  std::array<char, 17> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%016llx", static_cast<unsigned long long>(value));
  return std::string(buffer.data(), 16);
}

}  // namespace

void add_story_terms(Xapian::Document& xdoc, const std::string& id,
                     const std::optional<Sketch>& sketch) {
  if (sketch) {
    xdoc.add_value(schema::kSlotMinHash, encode_sketch(*sketch));
    for (const std::string& term : band_terms(sketch->signature)) xdoc.add_boolean_term(term);
  }
  // Provisional: the writer replaces it with the story's key once it has looked for copies
  // (story_groups.h).
  xdoc.add_value(schema::kSlotStoryKey, id);
  xdoc.add_boolean_term(std::string(schema::kStoryKey) + id);
}

std::string content_hash(const Document& document) {
  std::uint64_t hash = schema::kFnvOffsetBasis;
  hash = hash_field(hash, schema::kSchemaVersion);
  for (const std::string* field :
       {&document.id, &document.title, &document.description, &document.body, &document.date,
        &document.source, &document.url, &document.author, &document.category}) {
    hash = hash_field(hash, *field);
  }
  for (const std::string& tag : document.tags) hash = hash_field(hash, tag);
  return hex64(hash);
}

std::string stored_record(const Document& document) {
  const nlohmann::json header = {{"id", document.id},
                                 {"title", document.title},
                                 {"description", document.description},
                                 {"date", document.date},
                                 {"source", document.source},
                                 {"url", document.url},
                                 {"author", document.author},
                                 {"category", document.category},
                                 {"tags", document.tags}};
  // dump() escapes newlines inside strings, so the header stays on one line.
  return schema::join_stored_record(
      header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), document.body);
}

Xapian::Document build_xapian_document(const Document& document, const std::string& hash) {
  Xapian::Document xdoc;
  Xapian::termpos next = schema::kTitleStart;
  SketchBuilder sketch;
  EntityCollector entities;
  next = index_field(xdoc, document.title, next, {schema::kTitleWdf, true, &sketch, &entities});
  xdoc.add_value(schema::kSlotTitleLength, Xapian::sortable_serialise(next - schema::kTitleStart));
  next = index_field(xdoc, document.description, next + schema::kFieldGap,
                     {1, false, &sketch, &entities});
  index_field(xdoc, document.body, next + schema::kFieldGap, {1, false, &sketch, &entities});
  add_story_terms(xdoc, document.id, sketch.finish());
  add_entity_terms(xdoc, entities.finish());

  xdoc.add_boolean_term(std::string(schema::kId) + document.id);
  if (!document.source.empty()) {
    add_field_terms(xdoc, schema::kSource, document.source);
    xdoc.add_value(schema::kSlotSource, document.source);
  }
  if (!document.category.empty()) {
    add_field_terms(xdoc, schema::kCategory, document.category);
    xdoc.add_value(schema::kSlotCategory, document.category);
  }
  if (!document.author.empty()) {
    add_field_terms(xdoc, schema::kAuthor, document.author);
  }
  for (const std::string& tag : document.tags) {
    if (!tag.empty()) add_field_terms(xdoc, schema::kTag, tag);
  }
  add_date_terms(xdoc, document);
  xdoc.add_value(schema::kSlotContentHash, hash);
  xdoc.add_value(schema::kSlotTitleKey,
                 hex64(hash_field(schema::kFnvOffsetBasis, to_folded(document.title))));
  xdoc.set_data(stored_record(document));
  return xdoc;
}

}  // namespace vnsearch::indexing
