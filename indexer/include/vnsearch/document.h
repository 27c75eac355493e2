// The document model shared by every input reader and the index writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vnsearch {

/// One news article as read from any input format. Text fields are UTF-8; an absent field is
/// an empty string (or an empty vector / nullopt), never a placeholder.
struct Document {
  std::string id;           ///< unique document id (required); file name stem for .txt/.html
  std::string title;        ///< headline
  std::string description;  ///< lead paragraph (sapo) shown under the headline
  std::string body;         ///< article text, paragraphs separated by '\n'
  std::string date;         ///< publication time, normalized ISO 8601 with offset, or empty
  std::optional<std::int64_t> timestamp;  ///< the same instant as Unix seconds, when date is set
  std::string source;                     ///< publisher or site name
  std::string url;                        ///< canonical address of the article
  std::string author;                     ///< byline
  std::string category;                   ///< section of the site the article appeared in
  std::vector<std::string> tags;          ///< keywords attached by the publisher
  std::string origin;  ///< where it was read ("file:line" or "file"), for later error messages
};

}  // namespace vnsearch
