#include "related_search.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "database_files.h"
#include "story_copies.h"
#include "vnsearch/result_json.h"
#include "vnsearch/schema.h"

namespace vnsearch::query {
namespace {

constexpr double kSecondsPerDay = 86400.0;

// Expansion keeps plain indexed words: exact syllables and other tokens. Prefixed terms
// (folded forms, title copies, ids, sources, dates, bands) either repeat a word or are
// metadata; one-byte terms (single letters and digits) say nothing about an event.
class WordDecider : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.size() < 2) return false;
    const unsigned char first = static_cast<unsigned char>(term[0]);
    return !(first >= 'A' && first <= 'Z');
  }
};

std::optional<double> timestamp_of(const Xapian::Document& document) {
  const std::string value = document.get_value(schema::kSlotTimestamp);
  if (value.empty()) return std::nullopt;
  return Xapian::sortable_unserialise(value);
}

// The date factor of RelatedOptions: 1 + w / (1 + d / scale), falling off slowly so that a
// follow-up a week later still ranks near the first reports.
double date_factor(std::optional<double> a, std::optional<double> b,
                   const RelatedOptions& options) {
  if (options.date_weight <= 0 || options.date_scale_days <= 0) return 1.0;
  const double days = a && b ? std::abs(*a - *b) / kSecondsPerDay : options.date_scale_days;
  return 1.0 + options.date_weight / (1.0 + days / options.date_scale_days);
}

// The title's exact syllables, from its positional `S` terms.
std::vector<std::string> title_words(const Xapian::Document& document) {
  std::vector<std::string> words;
  const std::string prefix(schema::kTitle);
  for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) {
    const std::string& term = *it;
    if (term.compare(0, prefix.size(), prefix) != 0) {
      if (term > prefix) break;  // terms are sorted: past the S range
      continue;
    }
    if (term.size() > prefix.size() + 1) words.push_back(term.substr(prefix.size()));
  }
  return words;
}

Hit hit_of(const Xapian::Database& db, Xapian::docid docid, double score) {
  StoredDocument stored = decode_stored_record(db.get_document(docid).get_data());
  return hit_from_record(stored, score);
}

}  // namespace

RelatedResult find_related(const Xapian::Database& db, std::string_view id,
                           const RelatedOptions& options) {
  RelatedResult result;
  const std::string id_term = std::string(schema::kId) + std::string(id);
  if (id.empty() || id_term.size() > schema::kMaxTermBytes) return result;
  const auto posting = db.postlist_begin(id_term);
  if (posting == db.postlist_end(id_term)) return result;
  const Xapian::docid docid = *posting;
  const Xapian::Document document = db.get_document(docid);
  result.document = decode_stored_record(document.get_data());
  const std::string key = story_key(db, docid);
  result.copies = story_copies(db, key, docid);

  // The words that best set the document apart from the collection, weighted as Xapian's
  // expansion weighs them, plus its title words.
  Xapian::RSet rset;
  rset.add_document(docid);
  Xapian::Enquire enquire(db);
  const WordDecider decider;
  const Xapian::ESet eset = enquire.get_eset(kRelatedExpansionTerms, rset, &decider);
  std::map<std::string, double> weights;
  double top = 0;
  for (auto it = eset.begin(); it != eset.end(); ++it) top = std::max(top, it.get_weight());
  for (auto it = eset.begin(); it != eset.end(); ++it) {
    weights[*it] += top > 0 ? it.get_weight() / top : 1.0;
    result.terms.push_back(*it);
  }
  for (const std::string& word : title_words(document)) weights[word] += kRelatedTitleWeight;
  if (weights.empty()) return result;
  std::vector<Xapian::Query> parts;
  for (const auto& [term, weight] : weights) {
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), weight);
  }
  Xapian::Query query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  // Neither the document nor its copies are related articles: they are listed as copies.
  const Xapian::Query exclude(key.empty() ? id_term : std::string(schema::kStoryKey) + key);
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, exclude);
  enquire.set_query(query);
  if (options.collapse) enquire.set_collapse_key(schema::kSlotStoryKey);
  const Xapian::MSet mset = enquire.get_mset(0, kRelatedCandidates);

  struct Candidate {
    Xapian::docid docid;
    double score;
    Xapian::doccount collapsed;
  };
  std::vector<Candidate> candidates;
  const std::optional<double> when = timestamp_of(document);
  const double best = mset.empty() ? 1.0 : std::max(mset.begin().get_weight(), 1e-9);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const double factor = date_factor(when, timestamp_of(it.get_document()), options);
    candidates.push_back({*it, it.get_weight() / best * factor, it.get_collapse_count()});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  const std::size_t limit = std::min(options.limit, RelatedOptions::kMaxLimit);
  for (std::size_t i = 0; i < candidates.size() && i < limit; ++i) {
    Hit hit = hit_of(db, candidates[i].docid, candidates[i].score);
    hit.collapse_count = candidates[i].collapsed;
    if (options.copies) {
      hit.copies = story_copies(db, story_key(db, candidates[i].docid), candidates[i].docid);
    }
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace vnsearch::query

namespace vnsearch {

nlohmann::json related_to_json(std::string_view id, const RelatedResult& result) {
  nlohmann::json copies = nlohmann::json::array();
  for (const StoryCopy& copy : result.copies) {
    copies.push_back({{"id", copy.id},
                      {"title", copy.title},
                      {"date", copy.date},
                      {"source", copy.source},
                      {"url", copy.url}});
  }
  nlohmann::json hits = nlohmann::json::array();
  for (const Hit& hit : result.hits) {
    nlohmann::json out = hit_to_json(hit);
    // Related hits carry no query, hence no snippet.
    out.erase("snippet");
    out.erase("snippet_text");
    out.erase("snippet_matches");
    hits.push_back(std::move(out));
  }
  return {{"id", std::string(id)},
          {"found", result.document.has_value()},
          {"title", result.document ? result.document->title : std::string()},
          {"date", result.document ? result.document->date : std::string()},
          {"copies", copies},
          {"hits", hits},
          {"terms", result.terms}};
}

}  // namespace vnsearch
