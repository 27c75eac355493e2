#include "es_like.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

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
  const double cpu_start = process_cpu_seconds();
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
  result.index_cpu_seconds = process_cpu_seconds() - cpu_start;
  result.compact_seconds = compact(paths.es_like_live(), paths.es_like_compact());
  result.size_bytes = disk_usage(paths.es_like_compact());
  paths.mark_complete("es-like", true);
  return result;
}

std::vector<EsLikeClause> es_like_clauses(std::string_view text, const EsLikeOptions& options) {
  const std::vector<Token> words = words_of(text);
  std::vector<EsLikeClause> clauses;
  for (Chain chain : {Chain::kExact, Chain::kFolded}) {
    for (Field field : {Field::kTitle, Field::kBody}) {
      std::vector<Xapian::Query> unigrams, shingles;
      for_each_term(words, field, chain, [&](const std::string& term, bool is_shingle) {
        (is_shingle ? shingles : unigrams).emplace_back(term);
      });
      if (unigrams.empty()) continue;
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
      clauses.push_back({chain == Chain::kExact ? 0 : 1, clause});
    }
  }
  return clauses;
}

std::vector<std::pair<std::string, double>> es_like_search(const Xapian::Database& db,
                                                           std::string_view text,
                                                           const EsLikeOptions& options,
                                                           std::size_t k, std::size_t depth) {
  // Per document, the best clause score of each chain.
  std::unordered_map<Xapian::docid, std::array<double, 2>> best;
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
  for (const EsLikeClause& clause : es_like_clauses(text, options)) {
    enquire.set_query(clause.query);
    const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(depth));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      double& score = best[*it][static_cast<std::size_t>(clause.chain)];
      score = std::max(score, it.get_weight());
    }
  }
  std::vector<std::pair<Xapian::docid, double>> ranked;
  for (const auto& [docid, chains] : best) ranked.emplace_back(docid, chains[0] + chains[1]);
  const std::size_t shown = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(shown),
                    ranked.end(), [](const auto& a, const auto& b) {
                      return a.second != b.second ? a.second > b.second : a.first < b.first;
                    });
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t i = 0; i < shown; ++i) {
    out.emplace_back(db.get_document(ranked[i].first).get_data(), ranked[i].second);
  }
  return out;
}

}  // namespace vnsearch::bench
