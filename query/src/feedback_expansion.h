// Pseudo-relevance feedback for long prose queries (a pasted lead: "more like this"): the words
// that best set the top hits apart from the collection are added to the query with a small
// weight, so articles about the same event that word it differently rise (issue 14, the
// same-event set, bench/README.md "Same-event leads").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace vnsearch::query {

struct FeedbackOptions {
  /// Top hits taken as relevant; 0 turns feedback off. 3 (with 20 terms at 0.5): same-event set
  /// 0.654 -> 0.662 typed, 0.652 -> 0.663 unaccented; 2: 0.660, 5 at weight 1: 0.653.
  std::size_t documents = 3;
  /// Queries of at least this many units get it: a short query names what it wants.
  std::size_t min_units = 17;
  /// Expansion terms added.
  Xapian::termcount terms = 20;
  /// Weight of the best expansion term (the others in proportion to their expansion weight).
  double weight = 0.5;
};

/// A question (the text ends in `?` or a full-width `？`, closing quotes and brackets aside)
/// wants the one article that answers it: feedback from its top hits drifts to their topic
/// (vinewsqa-dev, whose 416 questions of more than 16 words all end in `?`: 0.722 -> 0.716 with
/// feedback), so questions get none. A lead quoting a question in its middle is a statement.
[[nodiscard]] inline bool asks_question(std::string_view text) {
  std::size_t end = text.size();
  const auto ends_with = [&](std::string_view tail) {
    return end >= tail.size() && text.substr(end - tail.size(), tail.size()) == tail;
  };
  for (bool trimmed = true; trimmed && end > 0;) {
    trimmed = false;
    for (std::string_view closing :
         {" ", "\t", "\n", "\r", "\"", "'", ")", "]", "\u201D", "\u2019", "\u00BB"}) {
      if (ends_with(closing)) {
        end -= closing.size();
        trimmed = true;
      }
    }
  }
  return ends_with("?") || ends_with("\uFF1F");
}

/// The expansion of `mset`'s first `options.documents` hits: an OR of plain-word terms (no
/// prefixed or one-byte terms), each scaled by `options.weight` × its expansion weight relative
/// to the best; empty when there is nothing to expand.
[[nodiscard]] Xapian::Query feedback_query(const Xapian::Database& db, const Xapian::MSet& mset,
                                           const FeedbackOptions& options);

}  // namespace vnsearch::query
