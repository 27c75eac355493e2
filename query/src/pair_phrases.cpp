#include "pair_phrases.h"

#include <algorithm>
#include <array>

namespace vnsearch::query {

std::vector<std::size_t> rarest_pairs(const QueryPlan& plan, const std::vector<double>& pair_idf,
                                      const PairPhraseOptions& options) {
  std::vector<std::size_t> pairs;
  if (options.max_pairs == 0 || plan.units.size() < options.min_units) return pairs;
  for (std::size_t i = 1; i < plan.units.size() && i < pair_idf.size(); ++i) {
    const QueryUnit& first = plan.units[i - 1];
    const QueryUnit& second = plan.units[i];
    if (first.group != second.group || first.question || second.question) continue;
    if (pair_idf[i] < options.min_rarity) continue;
    pairs.push_back(i);
  }
  // Rarest first; the query's order breaks ties so the choice does not depend on the sort.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [&](std::size_t a, std::size_t b) { return pair_idf[a] > pair_idf[b]; });
  if (pairs.size() > options.max_pairs) pairs.resize(options.max_pairs);
  return pairs;
}

Xapian::Query pair_phrases_query(const QueryPlan& plan, const std::vector<std::string>& reading,
                                 const std::vector<double>& pair_idf,
                                 const PairPhraseOptions& options) {
  std::vector<Xapian::Query> phrases;
  for (std::size_t i : rarest_pairs(plan, pair_idf, options)) {
    if (i >= reading.size()) continue;
    const std::array<Xapian::Query, 2> terms = {Xapian::Query(reading[i - 1]),
                                                Xapian::Query(reading[i])};
    phrases.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), 2),
                         options.weight);
  }
  if (phrases.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_OR, phrases.begin(), phrases.end());
}

}  // namespace vnsearch::query
