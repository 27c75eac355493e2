// A peer that reproduces, on Xapian, the Elasticsearch set-up a careful engineer would deploy for
// Vietnamese (issue 14): every field indexed twice — exact (marks kept) and folded (marks
// dropped, đ→d, like ICU folding) — each also as word-bigram shingles; one best_fields query per
// analysis chain (the best of title and body), shingle clauses weighted ×4, BM25 (k1 1.2,
// b 0.75). The line vnsearch's ranking has to stay ahead of.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "bench_support.h"
#include "vnsearch/document.h"

namespace vnsearch::bench {

struct EsLikeOptions {
  double shingle_weight = 4.0;  ///< weight of the bigram-shingle clauses
  double title_boost = 1.0;     ///< title^N (the Lucene runs: 1, and 2 which did worse)
};

/// One thread, the same Analyzer tokens as vnsearch (Lucene's ICU tokenizer splits alike);
/// description and body form one field, as for the other peers. Then compaction.
BuildResult build_es_like(const WorkPaths& paths, const std::vector<Document>& documents);

/// The clauses of the query for `text`, one per analysis chain (exact, folded) and field
/// (title, body): unigrams OR shingle_weight × shingles, the title's scaled by title_boost.
struct EsLikeClause {
  int chain = 0;  ///< 0 exact, 1 folded
  Xapian::Query query;
};
[[nodiscard]] std::vector<EsLikeClause> es_like_clauses(std::string_view text,
                                                        const EsLikeOptions& options);

/// Runs the query: per chain the best of its field clauses (Lucene's dis_max, tie breaker 0),
/// the chains summed. Xapian's own OP_MAX would say this in one query, but 1.4.22 crashes on it
/// with long queries (a question of 13 syllables), so each clause runs alone to `depth` hits and
/// the scores are combined here — exact for every document within `depth` of each clause.
[[nodiscard]] std::vector<std::pair<std::string, double>> es_like_search(
    const Xapian::Database& db, std::string_view text, const EsLikeOptions& options, std::size_t k,
    std::size_t depth = 500);

}  // namespace vnsearch::bench
