#include "retrieval_pairs.h"

#include <algorithm>
#include <cmath>

namespace vnsearch::query {

Xapian::Query retrieval_pair_query(const QueryPlan& plan, const std::vector<std::string>& reading,
                                   const SyllableModel& model, double documents,
                                   const std::vector<double>& term_frequency,
                                   const RetrievalPairOptions& options) {
  const std::size_t units = std::min(plan.units.size(), reading.size());
  if (options.pairs == 0 || units < options.min_units || documents < 2) return {};
  struct Pair {
    std::size_t second;  // the pair is (second - 1, second)
    double rarity;
  };
  std::vector<Pair> pairs;
  for (std::size_t i = 1; i < units; ++i) {
    const QueryUnit& first = plan.units[i - 1];
    const QueryUnit& second = plan.units[i];
    // Question words pair with anything ("là gì", "bao nhiêu"): their pairs name nothing.
    if (first.group != second.group || first.question || second.question) continue;
    if (reading[i - 1].empty() || reading[i].empty()) continue;
    // The syllable model's bigram count, as the re-ranker's pair_idf (pairs seen once are not
    // loaded: they count as unseen, the rarest).
    const double rarity = std::log(documents / (1.0 + model.bigram(reading[i - 1], reading[i])));
    if (rarity < options.min_rarity || rarity <= 0) continue;
    pairs.push_back({i, rarity});
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.rarity > b.rarity; });
  if (pairs.size() > options.pairs) pairs.resize(options.pairs);
  std::vector<Xapian::Query> phrases;
  for (const Pair& pair : pairs) {
    const auto idf = [&](std::size_t unit) {
      const double frequency = unit < term_frequency.size() ? term_frequency[unit] : 0.0;
      return std::max(0.1, std::log(documents / (1.0 + frequency)));
    };
    const double scale = options.weight * pair.rarity / (idf(pair.second - 1) + idf(pair.second));
    const std::vector<Xapian::Query> terms = {Xapian::Query(reading[pair.second - 1]),
                                              Xapian::Query(reading[pair.second])};
    phrases.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), 2),
                         scale);
  }
  if (phrases.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_OR, phrases.begin(), phrases.end());
}

}  // namespace vnsearch::query
