// Searcher: parse, restore diacritics, retrieve with BM25, re-rank the top hits with proximity
// and title evidence, interleave the likely readings of short ambiguous queries, and dress the
// hits (stored fields, snippets, facets). Ranking constants live in ranking.h, the on-disk layout
// and record decoding in database_files.h, the shared snapshot in search_index.cpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <xapian.h>

#include "boolean_plan.h"
#include "correction.h"
#include "database_files.h"
#include "entity_filters.h"
#include "feedback_expansion.h"
#include "proximity.h"
#include "query_plan.h"
#include "query_syntax.h"
#include "ranking.h"
#include "reading_shares.h"
#include "related_search.h"
#include "rerank_features.h"
#include "restoration.h"
#include "retrieval_pairs.h"
#include "shard_set.h"
#include "snippets.h"
#include "story_copies.h"
#include "time_order.h"
#include "vnsearch/related.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch {

namespace fs = std::filesystem;
using query::QueryPlan;

namespace {

using query::RankingParameters;

struct WeightedReading {
  std::vector<std::string> words;  ///< one exact form per query unit
  double weight = 1.0;             ///< share of the first page it deserves (relative)
};

struct Ranked {
  Xapian::docid docid = 0;
  double score = 0;
  Xapian::doccount collapse_count = 0;  // copies folded into this hit (when collapsing)
  std::string story;                    // its story key (when collapsing)
};

std::string truncate_utf8(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

// Cuts the page to SearchOptions::kMaxLimit hits and the kMaxWindow-hit window (without
// overflow, whatever the caller passed); returns a note when it had to.
std::string bound_paging(SearchOptions& options) {
  std::string note;
  if (options.limit > SearchOptions::kMaxLimit) {
    note = "showing at most " + std::to_string(SearchOptions::kMaxLimit) + " hits per page";
    options.limit = SearchOptions::kMaxLimit;
  }
  if (options.offset > SearchOptions::kMaxWindow - options.limit) {
    note += std::string(note.empty() ? "" : "; ") + "hits past the first " +
            std::to_string(SearchOptions::kMaxWindow) + " are not returned";
    options.offset = std::min(options.offset, SearchOptions::kMaxWindow);
    options.limit = SearchOptions::kMaxWindow - options.offset;
  }
  return note;
}

void add_note(SearchResult& result, NoteCode code, std::string text) {
  result.message += (result.message.empty() ? "" : "; ") + text;
  result.notes.push_back({code, std::move(text)});
}

}  // namespace

struct Searcher::Impl {
  std::shared_ptr<SearchIndex> index;
  std::shared_ptr<const IndexSnapshot> snapshot;  // what `db`, `model` and `ranking` follow
  Xapian::Database db;                            // this Searcher's own handle
  const SyllableModel* model = nullptr;
  const RankingParameters* ranking_ = nullptr;  // the snapshot's
  double time_limit = 0;                        // this search's SearchOptions::time_limit
  bool count_cut = false;  // this search's exhaustive count was stopped by the time limit
  Xapian::doccount spied_matches = 0;        // matches (lower bound) of the retrieval the spies saw
  SearchSort sort = SearchSort::kRelevance;  // this search's order
  std::optional<query::FreshnessClock> freshness;  // set for SearchSort::kFreshness
  double half_life_days = Freshness::kDefaultHalfLifeDays;
  bool collapse = false;          // this search's SearchOptions::collapse
  std::string dump_text;          // this search's text as given (for the feature dump)
  std::size_t reading_index = 0;  // which reading retrieve() searches (for the feature dump)
  bool question = false;          // this search's text asks a question (no feedback expansion)

  explicit Impl(std::shared_ptr<SearchIndex> shared) : index(std::move(shared)) {
    try {
      open_snapshot();
    } catch (const std::runtime_error&) {
      // The snapshot's generation may be gone (two `--fresh` swaps since the shared index last
      // looked): look again, and fail only if the current one cannot be opened either.
      index->refresh();
      open_snapshot();
    }
  }

  void open_snapshot() {
    snapshot = index->snapshot();
    db = snapshot->shards ? query::open_view(*snapshot->shards)
                          : query::open_database(index->database(), snapshot->directory);
    model = snapshot->model.get();
    ranking_ = snapshot->ranking.get();
  }

  const RankingParameters& ranking() const { return *ranking_; }

  // Moves to the index's current snapshot when it changed: a new generation gets a new handle,
  // a new revision of the same one a reopen.
  void follow_snapshot() {
    std::shared_ptr<const IndexSnapshot> current = index->snapshot();
    if (current == snapshot) return;
    if (current->shards) {
      db = query::open_view(*current->shards);  // shards came, went or moved to new generations
    } else if (current->directory != snapshot->directory) {
      db = query::open_database(index->database(), current->directory);
    } else {
      db.reopen();
    }
    snapshot = std::move(current);
    model = snapshot->model.get();
    ranking_ = snapshot->ranking.get();
  }

  std::vector<Ranked> retrieve(const QueryPlan& plan, const std::vector<std::string>& reading,
                               std::size_t depth, Xapian::MatchSpy* const* spies,
                               std::size_t spy_count, std::uint64_t& estimated, bool& exact) {
    Xapian::Enquire enquire(db);
    const bool long_query = plan.units.size() > ranking().short_query_units;
    const bool long_bm25 = long_query && ranking().long_bm25_k1 >= 0;
    enquire.set_weighting_scheme(Xapian::BM25Weight(
        long_bm25 ? ranking().long_bm25_k1 : ranking().bm25_k1, 0, 1,
        long_query && ranking().long_bm25_b >= 0 ? ranking().long_bm25_b : ranking().bm25_b, 0.5));
    const double documents = db.get_doccount();
    std::vector<double> unit_frequency(reading.size(), 0.0);
    std::vector<query::UnitMatching> matching(reading.size(), query::UnitMatching::kMatches);
    // With spies every match is counted anyway (nothing to save), and their counts are of the
    // whole query: every unit matches then. A small index has nothing to save either.
    const bool split = spy_count == 0 && ranking().weight_only_share <= 1.0 &&
                       documents >= static_cast<double>(ranking().weight_only_min_documents);
    const double common = ranking().weight_only_share * documents;
    for (std::size_t i = 0; i < reading.size() && i < plan.units.size(); ++i) {
      unit_frequency[i] = db.get_termfreq(reading[i]);
      if (!split) continue;
      if (plan.units[i].question || unit_frequency[i] > common) {
        matching[i] = query::UnitMatching::kWeightOnly;
      } else if (!plan.units[i].fixed && ranking().alternatives_weight_only &&
                 db.get_termfreq(std::string(schema::kFolded) + plan.units[i].folded) > common) {
        matching[i] = query::UnitMatching::kAlternativesWeightOnly;
      }
    }
    // A pair's rarity from the syllable model's bigram counts: a phrase like `cứu nhân` is far
    // rarer than either syllable, which is what makes finding it adjacent strong evidence.
    std::vector<double> pair_idf(reading.size(), 0.0);
    for (std::size_t i = 1; i < reading.size(); ++i) {
      pair_idf[i] = std::log(documents / (1.0 + model->bigram(reading[i - 1], reading[i])));
    }
    Xapian::Query retrieval = query::ranked_query(plan, reading, ranking().weights, matching);
    // Long questions: their rare pairs add weight wherever they occur (retrieval_pairs.h).
    if (const Xapian::Query pairs = query::retrieval_pair_query(
            plan, reading, *model, documents, unit_frequency, ranking().retrieval_pairs);
        !pairs.empty() && !retrieval.empty()) {
      retrieval = Xapian::Query(Xapian::Query::OP_AND_MAYBE, retrieval, pairs);
    }
    enquire.set_query(retrieval);
    // Only where there is a full count to cut: the limit has no other effect in Xapian 1.4, and
    // its timer thread can write into a finished match when the two end together (a crash seen
    // with a 1 ms limit), so a search without spies never arms it.
    if (time_limit > 0 && spy_count > 0) enquire.set_time_limit(time_limit);
    if (collapse) enquire.set_collapse_key(schema::kSlotStoryKey);
    for (std::size_t i = 0; i < spy_count; ++i) enquire.add_matchspy(spies[i]);
    const Xapian::doccount check = spy_count > 0 ? db.get_doccount() : 0;
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(depth), check);
    estimated = std::max<std::uint64_t>(estimated, mset.get_matches_estimated());
    exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    // Asked to check every document (for the spies), so an inexact count means the time limit
    // turned that off: the totals and facet counts are estimates.
    if (check > 0 && !exact) count_cut = true;
    if (check > 0) spied_matches = mset.get_matches_lower_bound();
    // Long prose queries: their top hits' distinctive words re-weight the same matches
    // (feedback_expansion.h). The counts and the spies' tallies above stay those of the first
    // pass (OP_AND_MAYBE matches the same documents), so the second runs without either.
    if (plan.units.size() >= ranking().feedback.min_units && !plan.language && !question) {
      if (const Xapian::Query expansion = query::feedback_query(db, mset, ranking().feedback);
          !expansion.empty()) {
        enquire.clear_matchspies();
        enquire.set_time_limit(0.0);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_MAYBE, retrieval, expansion));
        mset = enquire.get_mset(0, static_cast<Xapian::doccount>(depth));
      }
    }
    std::vector<double> unit_idf(reading.size(), 0.0);
    for (std::size_t i = 0; i < reading.size(); ++i) {
      const double idf = std::log(documents / (1.0 + unit_frequency[i]));
      unit_idf[i] =
          std::max(0.0, idf) * (plan.units[i].question ? ranking().weights.question_word : 1.0);
    }
    // The positions of the hits to re-rank, read together (one pass per term: hit_positions.h).
    std::vector<Xapian::docid> rerank_docids;
    for (auto it = mset.begin(); it != mset.end() && rerank_docids.size() < rerank_depth(plan);
         ++it) {
      rerank_docids.push_back(*it);
    }
    const std::vector<query::HitPositions> hit_positions =
        plan.units.empty() ? std::vector<query::HitPositions>()
                           : query::read_hit_positions(db, rerank_docids, reading);
    std::vector<Ranked> ranked;
    query::FeatureDump* const dump = query::FeatureDump::instance();
    const query::LinearRerankModel* const learned = ranking().rerank_model.get();
    double lowest_reranked = std::numeric_limits<double>::infinity();
    const query::RerankQuery rerank_query{&plan, &pair_idf, &unit_idf,
                                          mset.empty() ? 0.0 : mset.begin().get_weight()};
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      double score = it.get_weight();
      if (ranked.size() < hit_positions.size()) {
        const query::ProximityEvidence evidence = query::proximity_evidence(
            hit_positions[ranked.size()], plan, pair_idf, unit_idf, ranking().passage_window);
        query::RerankFeatures features{};
        if (dump != nullptr || learned != nullptr) {
          features = query::rerank_features(rerank_query, hit_positions[ranked.size()], evidence,
                                            score, ranked.size());
        }
        if (dump != nullptr) {
          dump->write(dump_text, reading_index, plan, stored_id(*it), ranked.size(), features);
        }
        if (learned != nullptr) {
          score = learned->score(features, long_query);
        } else {
          score +=
              ranking().adjacent_pair_bonus * evidence.adjacent_pairs +
              ranking().title_coverage_bonus * evidence.title_coverage +
              ranking().title_match_bonus * evidence.title_precision * evidence.title_coverage +
              (long_query ? ranking().passage_bonus * evidence.best_window : 0.0);
        }
        lowest_reranked = std::min(lowest_reranked, score);
      } else if (learned != nullptr) {
        // Past the re-ranked depth, in Xapian's order below every re-ranked hit (the model's
        // scale is not BM25's).
        score = std::min(score, lowest_reranked);
      }
      if (freshness) score *= freshness->multiplier(it.get_document(), half_life_days);
      ranked.push_back({*it, score, it.get_collapse_count(), it.get_collapse_key()});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Ranked& a, const Ranked& b) { return a.score > b.score; });
    return ranked;
  }

  // Hits re-ranked for this query: long queries may go deeper (long_rerank_depth).
  std::size_t rerank_depth(const QueryPlan& plan) const {
    const bool long_query = plan.units.size() > ranking().short_query_units;
    return long_query && ranking().long_rerank_depth > 0 ? ranking().long_rerank_depth
                                                         : ranking().rerank_depth;
  }

  // The readings worth searching, each with how much of the first page it deserves: one when
  // restoration is sure (or nothing was restored), the likely few when a short query could
  // mean several things.
  std::vector<WeightedReading> readings_to_search(const QueryPlan& plan) {
    const auto& paths = plan.restoration.best_paths;
    if (paths.empty()) return {{{}, 1.0}};
    std::vector<WeightedReading> readings = {{paths[0], 1.0}};
    const bool ambiguous = std::any_of(plan.units.begin(), plan.units.end(),
                                       [](const query::QueryUnit& unit) { return !unit.fixed; });
    // Someone who typed marks somewhere meant the bare syllables as typed often enough that
    // interleaving other readings costs more than it finds.
    if (!ambiguous || !plan.typed_without_marks ||
        plan.units.size() > ranking().short_query_units) {
      return readings;
    }
    const auto& probabilities = plan.restoration.path_probabilities;
    const bool one_group = plan.units.front().group == plan.units.back().group;
    if (plan.units.size() >= 2 && one_group) {
      return readings_by_phrase_frequency(paths, probabilities);
    }
    if (probabilities[0] >= ranking().sure_reading) return readings;
    readings[0].weight = probabilities[0];
    for (std::size_t k = 1; k < paths.size(); ++k) {
      if (probabilities[k] >= 0.25 * probabilities[0]) {
        readings.push_back({paths[k], probabilities[k]});
      }
    }
    return readings;
  }

  // How many documents hold `reading` as a phrase (exact up to phrase_count_check, estimated
  // beyond).
  double phrase_documents(const std::vector<std::string>& reading) {
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_PHRASE, reading.begin(), reading.end(), reading.size()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, static_cast<Xapian::doccount>(ranking().phrase_count_check))
        .get_matches_estimated();
  }

  // Times `reading` occurs as adjacent syllables, from the syllable model's pair or triple
  // counts (0 for longer readings, and for counts pruned at load).
  double reading_occurrences(const std::vector<std::string>& reading) const {
    if (reading.size() == 2) return model->bigram(reading[0], reading[1]);
    if (reading.size() == 3) return model->trigram(reading[0], reading[1], reading[2]);
    return 0;
  }

  // A short query is a phrase someone expects to find: rank its candidate readings by how often
  // the indexed text holds them as phrases (the phrase table a bigram model lacks), with the
  // model's probability breaking ties; the likely few share the first page (reading_shares.h).
  std::vector<WeightedReading> readings_by_phrase_frequency(
      const std::vector<std::vector<std::string>>& paths,
      const std::vector<double>& probabilities) {
    std::vector<query::ReadingEvidence> evidence(paths.size());
    bool written = false;  // the model counts how often some reading is written
    for (std::size_t k = 0; k < paths.size(); ++k) {
      evidence[k].probability = probabilities[k];
      if (ranking().reading_occurrences) evidence[k].occurrences = reading_occurrences(paths[k]);
      written = written || evidence[k].occurrences > 0;
    }
    // Counting phrase documents checks positions (the costly part of a short query): only
    // where the model has no counts (four syllables, or readings all too rare to be kept).
    for (std::size_t k = 0; k < paths.size() && !written; ++k) {
      evidence[k].documents = phrase_documents(paths[k]);
    }
    std::vector<WeightedReading> readings;
    for (const query::ReadingShare& share :
         query::share_readings(evidence, {.by_occurrences = ranking().reading_occurrences,
                                         .runner_up = ranking().phrase_runner_up,
                                         .max_readings = ranking().interleaved_readings})) {
      readings.push_back({paths[share.path], share.weight});
    }
    return readings;
  }

  // Merges the readings' hit lists: each next slot goes to the reading with the largest
  // weight / (slots taken + 1) (D'Hondt), so a reading twice as likely gets twice the slots and
  // every likely reading appears early; the first occurrence of a document wins.
  static std::vector<Ranked> interleave(const std::vector<std::vector<Ranked>>& lists,
                                        const std::vector<WeightedReading>& readings,
                                        std::size_t wanted, double flatten) {
    std::vector<Ranked> merged;
    std::unordered_set<Xapian::docid> seen;
    std::unordered_set<std::string> stories;  // when collapsing, one copy per story across lists
    const auto taken_already = [&](const Ranked& ranked) {
      return seen.count(ranked.docid) != 0 ||
             (!ranked.story.empty() && stories.count(ranked.story) != 0);
    };
    std::vector<std::size_t> next(lists.size(), 0), taken(lists.size(), 0);
    while (merged.size() < wanted) {
      std::size_t best = lists.size();
      double best_quota = -1;
      for (std::size_t i = 0; i < lists.size(); ++i) {
        while (next[i] < lists[i].size() && taken_already(lists[i][next[i]])) ++next[i];
        if (next[i] == lists[i].size()) continue;
        const double quota =
            std::pow(readings[i].weight, flatten) / static_cast<double>(taken[i] + 1);
        if (quota > best_quota) {
          best_quota = quota;
          best = i;
        }
      }
      if (best == lists.size()) break;
      seen.insert(lists[best][next[best]].docid);
      if (!lists[best][next[best]].story.empty()) stories.insert(lists[best][next[best]].story);
      merged.push_back(lists[best][next[best]++]);
      ++taken[best];
    }
    return merged;
  }

  // The stored id of `docid` (its `Q` term), for the feature dump.
  std::string stored_id(Xapian::docid docid) {
    Xapian::TermIterator term = db.termlist_begin(docid);
    term.skip_to(std::string(schema::kId));
    if (term == db.termlist_end(docid) || (*term).rfind(schema::kId, 0) != 0) return {};
    return (*term).substr(schema::kId.size());
  }

  Hit make_hit(Xapian::docid docid, double score, const query::HighlightTerms& highlight,
               bool snippets) {
    StoredDocument stored = query::decode_stored_record(db.get_document(docid).get_data());
    Snippet snippet;
    if (snippets) {
      snippet =
          query::find_snippet(stored.body.empty() ? stored.description : stored.body, highlight);
    }
    Hit hit = query::hit_from_record(stored, score);
    hit.snippet = std::move(snippet);
    return hit;
  }

  // Highlight what was searched: the syllable as typed, every searched reading of a restored
  // one, and any reading only where restoration was unsure (the any-reading term was used).
  query::HighlightTerms highlight_terms(const QueryPlan& plan,
                                        const std::vector<WeightedReading>& readings) {
    query::HighlightTerms highlight;
    const auto& choices = plan.restoration.choices;
    for (std::size_t i = 0; i < plan.units.size(); ++i) {
      const bool sure = i < choices.size() && !choices[i].empty() &&
                        choices[i][0].posterior >= ranking().weights.sure_posterior;
      if (plan.units[i].fixed) {
        highlight.exact.insert(plan.units[i].exact);
      } else if (sure) {
        for (const WeightedReading& reading : readings) highlight.exact.insert(reading.words[i]);
      } else {
        highlight.folded.insert(plan.units[i].folded);
      }
    }
    highlight.exact.insert(plan.highlight_exact.begin(), plan.highlight_exact.end());
    highlight.folded.insert(plan.highlight_folded.begin(), plan.highlight_folded.end());
    return highlight;
  }

  // Newest or oldest first: every reading's matches together, ordered by publication time,
  // relevance breaking ties; undated documents come last either way (DateSortKey).
  std::vector<Ranked> by_date(const QueryPlan& plan, const std::vector<WeightedReading>& readings,
                              std::size_t offset, std::size_t limit, Xapian::MatchSpy* const* spies,
                              std::size_t spy_count, SearchResult& result) {
    std::vector<Xapian::Query> parts;
    for (const WeightedReading& reading : readings) {
      parts.push_back(query::ranked_query(plan, reading.words, ranking().weights));
    }
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(
        Xapian::BM25Weight(ranking().bm25_k1, 0, 1, ranking().bm25_b, 0.5));
    enquire.set_query(parts.size() == 1
                          ? parts[0]
                          : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
    const bool newest_first = sort != SearchSort::kOldest;
    query::DateSortKey key(newest_first);
    enquire.set_sort_by_key_then_relevance(&key, /*reverse=*/newest_first);
    if (time_limit > 0 && spy_count > 0) enquire.set_time_limit(time_limit);  // as above
    if (collapse) enquire.set_collapse_key(schema::kSlotStoryKey);
    for (std::size_t i = 0; i < spy_count; ++i) enquire.add_matchspy(spies[i]);
    const Xapian::doccount check = spy_count > 0 ? db.get_doccount() : 0;
    const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(offset),
                                               static_cast<Xapian::doccount>(limit), check);
    result.estimated_matches = mset.get_matches_estimated();
    result.exact_count = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    if (check > 0 && !result.exact_count) count_cut = true;
    if (check > 0) spied_matches = mset.get_matches_lower_bound();
    std::vector<Ranked> ranked;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ranked.push_back({*it, it.get_weight(), it.get_collapse_count(), it.get_collapse_key()});
    }
    return ranked;
  }

  SearchResult search(std::string_view text, SearchOptions options) {
    follow_snapshot();
    time_limit = std::chrono::duration<double>(options.time_limit).count();
    count_cut = false;
    spied_matches = 0;
    sort = options.sort;
    half_life_days = options.half_life_days;
    freshness.reset();
    if (sort == SearchSort::kFreshness) freshness.emplace(db);
    collapse = options.collapse;
    if (query::FeatureDump::instance() != nullptr) dump_text = std::string(text);
    SearchResult result;
    if (snapshot->shards && !snapshot->shards->down.empty()) {
      result.unavailable_shards = snapshot->shards->down;
      std::string text = "partial results: ";
      for (std::size_t i = 0; i < result.unavailable_shards.size(); ++i) {
        text += (i == 0 ? "shard " : "; shard ") + result.unavailable_shards[i];
      }
      add_note(result, NoteCode::kPartial, text + " (not searched)");
    }
    if (std::string note = bound_paging(options); !note.empty()) {
      add_note(result, NoteCode::kPagingCapped, std::move(note));
    }
    std::string query_text = truncate_utf8(text, kMaxQueryBytes);
    if (query_text.size() < text.size()) {
      add_note(result, NoteCode::kQueryTruncated,
               "query cut to its first " + std::to_string(kMaxQueryBytes) + " bytes");
    }
    if (snapshot->model_problem.empty()) {
      result.correction = correction_of(query_text);
      if (result.correction) {
        if (result.correction->applied && options.correct) {
          add_note(result, NoteCode::kCorrected,
                   "showing results for \"" + result.correction->text + "\"; search exactly \"" +
                       query_text + "\" instead");
          query_text = result.correction->text;
        } else {
          result.correction->applied = false;
          add_note(result, NoteCode::kSuggestion,
                   "did you mean \"" + result.correction->text + "\"?");
        }
      }
    }
    QueryPlan plan = query::plan_search(query_text, *model, db);
    question = query::asks_question(query_text);
    const Xapian::Query filters = query::filters_query(options.filters);
    if (!filters.empty()) {
      plan.filter = plan.filter.empty()
                        ? filters
                        : Xapian::Query(Xapian::Query::OP_AND, plan.filter, filters);
    }
    for (const std::string& note : plan.notes) add_note(result, NoteCode::kQueryRepaired, note);
    for (const std::string& note : plan.wildcard_notes) add_note(result, NoteCode::kWildcard, note);
    if (plan.empty()) {
      // The notes say what was ignored (a bad date, an empty title:) when that left nothing.
      add_note(result, NoteCode::kEmptyQuery,
               plan.notes.empty() ? "nothing to search for: the query has no words"
                                  : "nothing left to search for");
      return result;
    }
    if (!snapshot->model_problem.empty()) {
      add_note(result, NoteCode::kRestorationOff, snapshot->model_problem);
    }
    result.query_language = plan.language;
    const auto readings = readings_to_search(plan);
    for (const auto& reading : readings) {
      std::string joined;
      for (const std::string& word : reading.words) joined += (joined.empty() ? "" : " ") + word;
      if (!joined.empty()) result.readings.push_back(joined);
    }

    // No page can start past the last document: this bounds the work for any offset, and keeps
    // offset + limit from wrapping around.
    const std::size_t documents = db.get_doccount();
    const std::size_t offset = std::min(options.offset, documents);
    const std::size_t limit = std::min(options.limit, documents);
    const std::size_t wanted = offset + limit;
    Xapian::ValueCountMatchSpy sources(schema::kSlotSource), categories(schema::kSlotCategory),
        years(schema::kSlotYear);
    query::TimelineSpy timeline;
    query::EntitySpy entities;  // person / place / org facets over the same matches
    std::vector<Xapian::MatchSpy*> spy_list;
    if (options.facets) spy_list = {&sources, &categories, &years, &entities};
    if (options.timeline) spy_list.push_back(&timeline);
    Xapian::MatchSpy* const* spies = spy_list.data();
    const std::size_t spy_count = spy_list.size();
    bool spied_exact = true;  // the spies saw every match of the list they watched

    std::vector<Ranked> page;
    if (options.sort == SearchSort::kDate || options.sort == SearchSort::kOldest) {
      page = by_date(plan, readings, offset, limit, spies, spy_count, result);
      spied_exact = result.exact_count;
    } else {
      const std::size_t depth = std::max(
          wanted, freshness ? std::max(Freshness::kDepth, rerank_depth(plan)) : rerank_depth(plan));
      std::vector<std::vector<Ranked>> lists;
      bool exact = readings.size() == 1;
      for (std::size_t r = 0; r < readings.size(); ++r) {
        bool list_exact = false;
        reading_index = r;
        lists.push_back(retrieve(plan, readings[r].words, depth, spies, r == 0 ? spy_count : 0,
                                 result.estimated_matches, list_exact));
        exact = exact && list_exact;
        if (r == 0) spied_exact = list_exact;
      }
      result.exact_count = exact;
      const std::vector<Ranked> merged =
          interleave(lists, readings, wanted, ranking().interleave_flatten);
      for (std::size_t i = offset; i < merged.size() && i < wanted; ++i) page.push_back(merged[i]);
    }
    const query::HighlightTerms highlight = highlight_terms(plan, readings);
    for (const Ranked& ranked : page) {
      result.hits.push_back(make_hit(ranked.docid, ranked.score, highlight, options.snippets));
      result.hits.back().collapse_count = ranked.collapse_count;
      if (options.copies) {
        result.hits.back().copies =
            query::story_copies(db, query::story_key(db, ranked.docid), ranked.docid);
      }
    }
    if (options.facets) {
      auto collect = [](Xapian::ValueCountMatchSpy& spy) {
        std::vector<FacetCount> counts;
        for (auto it = spy.top_values_begin(20); it != spy.top_values_end(20); ++it) {
          counts.push_back({*it, it.get_termfreq()});
        }
        return counts;
      };
      result.facets["source"] = collect(sources);
      result.facets["category"] = collect(categories);
      result.facets["year"] = collect(years);
      for (const auto type : {schema::EntityType::kPerson, schema::EntityType::kPlace,
                              schema::EntityType::kOrganisation}) {
        result.facets[std::string(schema::entity_type_name(type))] = entities.top(type, 20);
      }
    }
    // A one-term query's count is exact from the term's statistics even when the time limit
    // stopped the matcher early: the spies then saw fewer documents than match.
    const std::uint64_t spied = options.facets ? sources.get_total() : timeline.seen();
    if (spy_count > 0 && spied < spied_matches) count_cut = true;
    if (count_cut) {
      spied_exact = false;
      add_note(result, NoteCode::kCountCut,
               "counting stopped at the time limit of " +
                   std::to_string(options.time_limit.count()) +
                   " ms: facet counts cover part of the matches, and the total is an estimate "
                   "unless exact");
    }
    if (options.timeline) result.timeline = timeline.finish(spied_exact);
    if (result.hits.empty() && result.estimated_matches > 0) {
      add_note(result, NoteCode::kPastLastPage,
               "no hits at offset " + std::to_string(options.offset) +
                   ": the query matches about " + std::to_string(result.estimated_matches) +
                   " documents");
    } else if (result.hits.empty() && result.estimated_matches == 0) {
      add_note(result, NoteCode::kNoMatch, "no matching documents");
    }
    return result;
  }

  // `applied` here means "sure": whether search uses it also depends on SearchOptions::correct.
  std::optional<QueryCorrection> correction_of(const std::string& text) const {
    const auto found = query::correct_query(*model, text);
    if (!found) return std::nullopt;
    QueryCorrection correction;
    correction.text = found->text;
    correction.original = text;
    correction.applied = found->sure;
    for (query::CorrectionKind kind : found->kinds) {
      correction.kinds.emplace_back(query::correction_kind_name(kind));
    }
    return correction;
  }

  std::optional<StoredDocument> document(std::string_view id) {
    follow_snapshot();
    const std::string term = std::string(schema::kId) + std::string(id);
    Xapian::PostingIterator posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term)) return std::nullopt;
    return query::decode_stored_record(db.get_document(*posting).get_data());
  }
  // Xapian's rule for readers: a DatabaseModifiedError means the writer moved on past the
  // revision this handle reads; reopen and try again. A vanished generation (after two `--fresh`
  // swaps) is followed by refreshing the shared index. Anything else that persists is a failure.
  //
  // One index run commits several times in quick succession (the documents, then the model
  // copy and story keys), and a revision is discarded two commits later, so a search that
  // reopens straight into such a burst can lose its revision again: with 3 attempts a facet
  // search failed about once in 12 runs of the live-reopen test. Later attempts wait a little
  // (1, 2, 4... up to 32 ms) to let the burst end.
  template <typename Work>
  auto with_retries(Work&& work) {
    constexpr int kAttempts = 8;
    for (int attempt = 1;; ++attempt) {
      try {
        return work();
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt == kAttempts) throw;
        if (attempt >= 2) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt - 2, 5)));
        }
        db.reopen();
      } catch (const Xapian::NetworkError&) {
        // A remote shard stopped answering (or timed out): probe the shards again, which
        // leaves it out (a partial result says so) or fails naming it.
        if (attempt == kAttempts) throw;
        index->refresh();
        follow_snapshot();
      } catch (const Xapian::DatabaseError&) {
        if (attempt == kAttempts) throw;
        index->refresh();  // throws std::runtime_error naming the database when it is gone
        follow_snapshot();
      }
    }
  }
};

std::string_view note_code_name(NoteCode code) {
  switch (code) {
    case NoteCode::kQueryTruncated:
      return "query_truncated";
    case NoteCode::kQueryRepaired:
      return "query_repaired";
    case NoteCode::kEmptyQuery:
      return "empty_query";
    case NoteCode::kNoMatch:
      return "no_match";
    case NoteCode::kPastLastPage:
      return "past_last_page";
    case NoteCode::kPagingCapped:
      return "paging_capped";
    case NoteCode::kRestorationOff:
      return "restoration_off";
    case NoteCode::kCorrected:
      return "corrected";
    case NoteCode::kSuggestion:
      return "suggestion";
    case NoteCode::kCountCut:
      return "count_cut";
    case NoteCode::kWildcard:
      return "wildcard";
    case NoteCode::kPartial:
      return "partial";
  }
  return "unknown";
}

Searcher::Searcher(const fs::path& database) : Searcher(std::make_shared<SearchIndex>(database)) {}
Searcher::Searcher(std::shared_ptr<SearchIndex> index)
    : impl_(std::make_unique<Impl>(std::move(index))) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResult Searcher::search(std::string_view query, const SearchOptions& options) {
  try {
    return impl_->with_retries([&] { return impl_->search(query, options); });
  } catch (const Xapian::Error& error) {
    SearchResult result;
    result.failure = query::describe_database_error(
        "search failed on database " + impl_->index->database().string(), error);
    result.message = *result.failure;
    return result;
  } catch (const std::runtime_error& error) {
    SearchResult result;
    result.failure = std::string("search failed: ") + error.what();
    result.message = *result.failure;
    return result;
  }
}

std::optional<StoredDocument> Searcher::document(std::string_view id) {
  try {
    return impl_->with_retries([&] { return impl_->document(id); });
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(query::describe_database_error(
        "cannot read database " + impl_->index->database().string(), error));
  }
}

RelatedResult Searcher::related(std::string_view id, const RelatedOptions& options) {
  try {
    return impl_->with_retries([&] {
      impl_->follow_snapshot();
      return query::find_related(impl_->db, id, options);
    });
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(query::describe_database_error(
        "cannot read database " + impl_->index->database().string(), error));
  }
}

IndexOverview Searcher::overview() {
  try {
    return impl_->with_retries([&] {
      impl_->follow_snapshot();
      return query::overview_of(impl_->db, impl_->snapshot->directory);
    });
  } catch (const Xapian::Error& error) {
    throw std::runtime_error(query::describe_database_error(
        "cannot read database " + impl_->index->database().string(), error));
  }
}

std::shared_ptr<const IndexSnapshot> Searcher::snapshot() const {
  return impl_->index->snapshot();
}

std::vector<std::string> Searcher::restore_diacritics(std::string_view text) {
  std::vector<query::RestorationInput> inputs;
  // Typed text is UTF-8: ill-formed bytes are repaired, never read as a legacy encoding.
  for (const Token& token : Analyzer({.encoding = Encoding::kUtf8}).analyze(text)) {
    if (token.role == TokenRole::kCompound || token.exact.empty()) continue;
    const bool marked = token.exact != token.folded || token.kind != TokenKind::kWord;
    inputs.push_back({token.exact, token.folded, marked});
  }
  impl_->follow_snapshot();
  const query::Restoration restoration = query::restore(*impl_->model, inputs);
  if (restoration.best_paths.empty()) return {};
  return restoration.best_paths[0];
}

std::optional<QueryCorrection> Searcher::correct(std::string_view text) {
  impl_->follow_snapshot();
  if (!impl_->snapshot->model_problem.empty()) return std::nullopt;
  return impl_->correction_of(truncate_utf8(text, kMaxQueryBytes));
}

void Searcher::refresh() {
  impl_->index->refresh();
  impl_->follow_snapshot();
}

}  // namespace vnsearch
