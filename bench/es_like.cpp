#include "es_like.h"

#include <string>

#include "vnsearch/schema.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::bench {

namespace {

// Term prefixes: field (T title, B body) then chain (E exact, F folded); `X` unigrams, `Y`
// shingles ("w1 w2").
enum class Field { kTitle, kBody };
enum class Chain { kExact, kFolded };

std::string prefix(char kind, Field field, Chain chain) {
  std::string out(1, kind);
  out += field == Field::kTitle ? 'T' : 'B';
  out += chain == Chain::kExact ? 'E' : 'F';
  return out;
}

// The word tokens of `text` in order: simple tokens and the parts of codes, as ICU's tokenizer
// would split them (it has no notion of a whole code).
std::vector<Token> words_of(std::string_view text) {
  std::vector<Token> words;
  for (Token& token : Analyzer().analyze(text)) {
    if (token.role != TokenRole::kCompound) words.push_back(std::move(token));
  }
  return words;
}

const std::string& form(const Token& token, Chain chain) {
  return chain == Chain::kExact ? token.exact : token.folded;
}

template <typename Use>
void for_each_term(const std::vector<Token>& words, Field field, Chain chain, Use use) {
  const std::string unigram = prefix('X', field, chain), shingle = prefix('Y', field, chain);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string term = unigram + form(words[i], chain);
    if (term.size() <= schema::kMaxTermBytes) use(term, false);
    if (i == 0) continue;
    const std::string pair = shingle + form(words[i - 1], chain) + " " + form(words[i], chain);
    if (pair.size() <= schema::kMaxTermBytes) use(pair, true);
  }
}

}  // namespace

BuildResult build_es_like(const WorkPaths& paths, const std::vector<Document>& documents) {
  paths.mark_complete("es-like", false);
  fs::remove_all(paths.es_like_live());
  BuildResult result;
  const auto start = std::chrono::steady_clock::now();
  {
    Xapian::WritableDatabase db(paths.es_like_live().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    std::string body;
    for (const Document& document : documents) {
      Xapian::Document xdoc;
      body.assign(document.description);
      if (!body.empty()) body += "\n";
      body += document.body;
      for (const auto& [field, text] : {std::pair{Field::kTitle, std::string_view(document.title)},
                                        std::pair{Field::kBody, std::string_view(body)}}) {
        const std::vector<Token> words = words_of(text);
        for (Chain chain : {Chain::kExact, Chain::kFolded}) {
          for_each_term(words, field, chain,
                        [&](const std::string& term, bool) { xdoc.add_term(term); });
        }
      }
      xdoc.set_data(document.id);
      db.add_document(xdoc);
    }
    db.commit();
    result.documents = db.get_doccount();
  }
  result.index_seconds = seconds_since(start);
  result.compact_seconds = compact(paths.es_like_live(), paths.es_like_compact());
  result.size_bytes = disk_usage(paths.es_like_compact());
  paths.mark_complete("es-like", true);
  return result;
}

Xapian::Query es_like_query(std::string_view text, const EsLikeOptions& options) {
  const std::vector<Token> words = words_of(text);
  std::vector<Xapian::Query> chains;
  for (Chain chain : {Chain::kExact, Chain::kFolded}) {
    std::vector<Xapian::Query> fields;
    for (Field field : {Field::kTitle, Field::kBody}) {
      std::vector<Xapian::Query> unigrams, shingles;
      for_each_term(words, field, chain, [&](const std::string& term, bool is_shingle) {
        (is_shingle ? shingles : unigrams).emplace_back(term);
      });
      Xapian::Query clause(Xapian::Query::OP_OR, unigrams.begin(), unigrams.end());
      if (!shingles.empty()) {
        clause = Xapian::Query(
            Xapian::Query::OP_OR, clause,
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_OR, shingles.begin(), shingles.end()),
                          options.shingle_weight));
      }
      if (field == Field::kTitle && options.title_boost != 1.0) {
        clause = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, clause, options.title_boost);
      }
      fields.push_back(clause);
    }
    // best_fields: the better of the two fields, as Lucene's dis_max with tie_breaker 0.
    chains.emplace_back(Xapian::Query::OP_MAX, fields.begin(), fields.end());
  }
  return Xapian::Query(Xapian::Query::OP_OR, chains.begin(), chains.end());
}

}  // namespace vnsearch::bench
