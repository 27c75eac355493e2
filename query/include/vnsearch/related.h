// Related articles: for one document, the articles about the same event first (docs/query.md,
// "Related articles"). The ingredients are Xapian's relevance-feedback expansion (the terms that
// best tell the document apart, ESet from an RSet of the document), its title words, and how
// close in time the candidates were published.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vnsearch/search.h"

namespace vnsearch {

struct RelatedOptions {
  /// The most related articles returned.
  static constexpr std::size_t kMaxLimit = 100;
  std::size_t limit = 10;
  /// Show each story once: near-duplicate copies fold into their best-ranked one.
  bool collapse = true;
  /// List the copies of each related hit (Hit::copies).
  bool copies = false;
  /// Date proximity: a candidate published `d` days from the document has its score multiplied
  /// by 1 + date_weight / (1 + d / date_scale_days). Undated pairs get the factor of
  /// d = date_scale_days (neither favoured nor hidden). date_weight 0 turns dates off.
  double date_weight = 1.0;
  double date_scale_days = 7.0;
};

struct RelatedResult {
  /// The document asked about, or nothing when no document has that id.
  std::optional<StoredDocument> document;
  /// Its near-duplicate copies (its own story), smallest id first: never among `hits`.
  std::vector<StoryCopy> copies;
  /// The related articles, most related first; `score` is the combined score.
  std::vector<Hit> hits;
  /// The expansion terms searched, best first (for people wondering why).
  std::vector<std::string> terms;
};

/// The JSON form: {"id","found","title","copies":[...],"hits":[...],"terms":[...]}.
[[nodiscard]] nlohmann::json related_to_json(std::string_view id, const RelatedResult& result);

}  // namespace vnsearch
