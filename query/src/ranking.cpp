#include "ranking.h"

#include <cstdlib>
#include <iostream>
#include <string>

namespace vnsearch::query {

namespace {

// The file VNSEARCH_RERANK_MODEL names, if any: no model ships (a linear model learned on the
// dev sets did not beat the hand-tuned formula under cross-validation, bench/README.md), so this
// is for measuring a trained one end to end.
void load_model(RankingParameters& ranking) {
  const char* file = std::getenv("VNSEARCH_RERANK_MODEL");
  if (file == nullptr || *file == '\0' || std::string(file) == "none") return;
  std::string error;
  if (std::optional<LinearRerankModel> model = load_rerank_model(file, error)) {
    ranking.rerank_model = std::make_shared<const LinearRerankModel>(*model);
  } else {
    ranking.rerank_model_problem = error + "; ranking with the hand-tuned formula";
    std::cerr << "vnsearch: " << ranking.rerank_model_problem << "\n";
  }
}

}  // namespace

RankingParameters ranking_from_environment() {
  RankingParameters ranking;
  load_model(ranking);
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
    if (name == "readings") ranking.interleaved_readings = static_cast<std::size_t>(value);
    if (name == "occurrences") ranking.reading_occurrences = value != 0;
    if (name == "weight_only") ranking.weight_only_share = value;
    if (name == "phrase_check") ranking.phrase_count_check = static_cast<std::size_t>(value);
    if (name == "pairs") ranking.retrieval_pairs.pairs = static_cast<std::size_t>(value);
    if (name == "pairs_weight") ranking.retrieval_pairs.weight = value;
    if (name == "pairs_rarity") ranking.retrieval_pairs.min_rarity = value;
    if (name == "pairs_units") ranking.retrieval_pairs.min_units = static_cast<std::size_t>(value);
    if (name == "long_depth") ranking.long_rerank_depth = static_cast<std::size_t>(value);
    if (name == "long_k1") ranking.long_bm25_k1 = value;
    if (name == "long_b") ranking.long_bm25_b = value;
    if (name == "feedback") ranking.feedback.documents = static_cast<std::size_t>(value);
    if (name == "feedback_units") ranking.feedback.min_units = static_cast<std::size_t>(value);
    if (name == "feedback_terms") ranking.feedback.terms = static_cast<Xapian::termcount>(value);
    if (name == "feedback_weight") ranking.feedback.weight = value;
    if (name == "alternatives_weight_only") ranking.alternatives_weight_only = value != 0;
  }
  return ranking;
}

}  // namespace vnsearch::query
