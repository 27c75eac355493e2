// Articles for the story-collapsing and related-articles tests, taken from the bundled
// corpus/news-sample.jsonl (real VnExpress text), plus copies made from them: the same text from
// another source, and a lightly edited reprint.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "vnsearch/index_writer.h"

namespace vnsearch::test {

/// Every article of corpus/news-sample.jsonl by id.
inline const std::map<std::string, nlohmann::json>& sample_articles() {
  static const std::map<std::string, nlohmann::json> articles = [] {
    std::map<std::string, nlohmann::json> out;
    const std::filesystem::path file =
        std::filesystem::path(VNSEARCH_SOURCE_DIR) / "corpus" / "news-sample.jsonl";
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json doc = nlohmann::json::parse(line);
      out.emplace(doc["id"].get<std::string>(), doc);
    }
    return out;
  }();
  return articles;
}

inline nlohmann::json sample_article(const std::string& id) {
  const auto found = sample_articles().find(id);
  if (found == sample_articles().end()) throw std::runtime_error("no sample article " + id);
  return found->second;
}

/// `doc` republished by another source under another id: same text, its own title suffix.
inline nlohmann::json syndicated_copy(nlohmann::json doc, const std::string& id,
                                      const std::string& source) {
  doc["id"] = id;
  doc["source"] = source;
  doc["url"] = "https://" + id + ".example.vn/";
  doc["title"] = doc["title"].get<std::string>() + " - " + source;
  return doc;
}

/// `doc` lightly edited: one word in every `every` replaced, the last paragraph dropped and the
/// title reworded, as a regional paper rewrites a wire story.
inline nlohmann::json edited_copy(nlohmann::json doc, const std::string& id, std::size_t every) {
  std::istringstream in(doc["body"].get<std::string>());
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  std::string body;
  for (std::size_t n = 1; n <= words.size() * 9 / 10; ++n) {
    body += (body.empty() ? "" : " ") + (n % every == 0 ? std::string("nhé") : words[n - 1]);
  }
  doc["id"] = id;
  doc["body"] = body;
  doc["source"] = "Báo Địa Phương";
  doc["title"] = "Tin mới: " + doc["title"].get<std::string>();
  return doc;
}

inline std::string to_jsonl(const std::vector<nlohmann::json>& docs) {
  std::string text;
  for (const nlohmann::json& doc : docs) text += doc.dump() + "\n";
  return text;
}

inline IndexSummary index_file(const std::filesystem::path& database,
                               const std::filesystem::path& input, bool fresh = false) {
  IndexOptions options;
  options.analysis_threads = 1;
  options.fresh = fresh;
  options.allow_shrink = true;
  const std::filesystem::path inputs[] = {input};
  return index_paths(database, inputs, options,
                     [](const ReadIssue& issue) {
                       if (issue.fatal_for_document) {
                         throw std::runtime_error("fixture rejected: " + format_issue(issue));
                       }
                       return ReadFlow::kContinue;
                     },
                     {});
}

}  // namespace vnsearch::test
