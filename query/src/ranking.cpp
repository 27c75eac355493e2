#include "ranking.h"

#include <cstdlib>
#include <string>

namespace vnsearch::query {

RankingParameters ranking_from_environment() {
  RankingParameters ranking;
  const char* text = std::getenv("VNSEARCH_RANKING");
  if (text == nullptr) return ranking;
  std::string spec(text);
  std::size_t at = 0;
  while (at < spec.size()) {
    std::size_t comma = spec.find(',', at);
    if (comma == std::string::npos) comma = spec.size();
    const std::string item = spec.substr(at, comma - at);
    at = comma + 1;
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = item.substr(0, equals);
    const double value = std::atof(item.c_str() + equals + 1);
    if (name == "k1") ranking.bm25_k1 = value;
    if (name == "b") ranking.bm25_b = value;
    if (name == "depth") ranking.rerank_depth = static_cast<std::size_t>(value);
    if (name == "pair") ranking.adjacent_pair_bonus = value;
    if (name == "title") ranking.title_coverage_bonus = value;
    if (name == "title_match") ranking.title_match_bonus = value;
    if (name == "passage") ranking.passage_bonus = value;
    if (name == "window") ranking.passage_window = static_cast<Xapian::termpos>(value);
    if (name == "sure") ranking.sure_reading = value;
    if (name == "folded") ranking.weights.folded = value;
    if (name == "question") ranking.weights.question_word = value;
    if (name == "sure_unit") ranking.weights.sure_posterior = value;
    if (name == "phrase") ranking.weights.phrase = value;
    if (name == "runner_up") ranking.phrase_runner_up = value;
    if (name == "flatten") ranking.interleave_flatten = value;
    if (name == "weight_only") ranking.weight_only_share = value;
    if (name == "phrase_check") ranking.phrase_count_check = static_cast<std::size_t>(value);
    if (name == "alternatives_weight_only") ranking.alternatives_weight_only = value != 0;
  }
  return ranking;
}

}  // namespace vnsearch::query
