#include "feedback_expansion.h"

#include <algorithm>

namespace vnsearch::query {

namespace {

// Plain indexed words only, as related articles use (related_search.cpp): prefixed terms repeat
// a word or are metadata, one-byte terms say nothing about an event.
class PlainWords : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.size() < 2) return false;
    const auto first = static_cast<unsigned char>(term[0]);
    return !(first >= 'A' && first <= 'Z');
  }
};

}  // namespace

Xapian::Query feedback_query(const Xapian::Database& db, const Xapian::MSet& mset,
                             const FeedbackOptions& options) {
  if (options.documents == 0 || options.terms == 0 || mset.empty()) return {};
  Xapian::RSet relevant;
  std::size_t taken = 0;
  for (auto it = mset.begin(); it != mset.end() && taken < options.documents; ++it, ++taken) {
    relevant.add_document(*it);
  }
  Xapian::Enquire enquire(db);
  const PlainWords decider;
  const Xapian::ESet eset = enquire.get_eset(options.terms, relevant, &decider);
  double top = 0;
  for (auto it = eset.begin(); it != eset.end(); ++it) top = std::max(top, it.get_weight());
  if (top <= 0) return {};
  std::vector<Xapian::Query> parts;
  for (auto it = eset.begin(); it != eset.end(); ++it) {
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
                       options.weight * it.get_weight() / top);
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

}  // namespace vnsearch::query
