#include "rerank_model.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace vnsearch::query {

double LinearRerankModel::score(const RerankFeatures& features, bool long_query) const {
  const RerankFeatures& w = weights[long_query ? 1 : 0];
  double total = 0;
  for (std::size_t f = 0; f < kFeatureCount; ++f) total += w[f] * features[f];
  return total;
}

std::optional<LinearRerankModel> parse_rerank_model(std::string_view text, std::string_view source,
                                                    std::string& error) {
  constexpr std::string_view kHeader = "vnsearch-rerank-linear 1";
  LinearRerankModel model;
  bool header = false;
  std::size_t weights_read = 0;
  std::istringstream lines{std::string(text)};
  std::size_t number = 0;
  const auto fail = [&](const std::string& what) {
    error = std::string(source) + " line " + std::to_string(number) + ": " + what;
    return std::nullopt;
  };
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (!header) {
      if (line.substr(start) != kHeader) {
        return fail("expected the header \"" + std::string(kHeader) + "\", found \"" + line + "\"");
      }
      header = true;
      continue;
    }
    std::istringstream fields(line);
    std::string kind, name, value, extra;
    fields >> kind >> name >> value;
    if (value.empty() || (fields >> extra)) {
      return fail("expected \"<short|long> <feature> <weight>\", found \"" + line + "\"");
    }
    if (kind != "short" && kind != "long") return fail("unknown query kind \"" + kind + "\"");
    std::size_t feature = 0;
    while (feature < kFeatureCount && rerank_feature_name(feature) != name) ++feature;
    if (feature == kFeatureCount) return fail("unknown feature \"" + name + "\"");
    double weight = 0;
    std::size_t used = 0;
    try {
      weight = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != value.size() || !std::isfinite(weight) || weight < 0) {
      return fail("the weight \"" + value + "\" is not a finite number >= 0");
    }
    model.weights[kind == "long" ? 1 : 0][feature] = weight;
    ++weights_read;
  }
  if (!header) {
    ++number;
    return fail("no \"" + std::string(kHeader) + "\" header: not a re-ranking model");
  }
  if (weights_read == 0) return fail("the model has no weights");
  return model;
}

std::optional<LinearRerankModel> load_rerank_model(const std::filesystem::path& file,
                                                   std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "cannot read the re-ranking model " + file.string();
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = "cannot read the re-ranking model " + file.string();
    return std::nullopt;
  }
  return parse_rerank_model(text.str(), file.string(), error);
}

}  // namespace vnsearch::query
