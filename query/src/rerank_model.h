// A learned linear re-ranking model (bench/ltr_train.py): one weight per feature of
// rerank_features.h for each kind of query (short: at most RankingParameters::
// short_query_units units; long: more). Read from a small text file; the hand-tuned formula of
// searcher.cpp stays the fallback when no model is given or it cannot be read.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "rerank_features.h"

namespace vnsearch::query {

struct LinearRerankModel {
  std::array<RerankFeatures, 2> weights{};  ///< [0]: short queries, [1]: long ones

  [[nodiscard]] double score(const RerankFeatures& features, bool long_query) const;
};

/// Parses a model text: `#` comments and blank lines, then the header
/// `vnsearch-rerank-linear 1`, then lines `<short|long> <feature name> <weight>` (weights
/// finite and >= 0, so scores stay positive for the freshness multiplier). On failure returns
/// nothing and sets `error` to what was wrong, naming `source` and the line.
[[nodiscard]] std::optional<LinearRerankModel> parse_rerank_model(std::string_view text,
                                                                  std::string_view source,
                                                                  std::string& error);

/// The model of `file`, or nothing with `error` saying why (missing, unreadable, malformed).
[[nodiscard]] std::optional<LinearRerankModel> load_rerank_model(const std::filesystem::path& file,
                                                                 std::string& error);

}  // namespace vnsearch::query
