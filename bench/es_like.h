// A peer that reproduces, on Xapian, the Elasticsearch set-up a careful engineer would deploy for
// Vietnamese (issue 14): every field indexed twice — exact (marks kept) and folded (marks
// dropped, đ→d, like ICU folding) — each also as word-bigram shingles; one best_fields query per
// analysis chain (the best of title and body), shingle clauses weighted ×4, BM25 (k1 1.2,
// b 0.75). The line vnsearch's ranking has to stay ahead of.
#pragma once

#include <string_view>
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

/// The query for `text`: per chain (exact, folded), the maximum over fields of (unigrams OR
/// shingle_weight × shingles); the two chains summed.
[[nodiscard]] Xapian::Query es_like_query(std::string_view text, const EsLikeOptions& options);

}  // namespace vnsearch::bench
