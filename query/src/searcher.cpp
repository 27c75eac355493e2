// Searcher: parse, restore diacritics, retrieve with BM25, re-rank the top hits with proximity
// and title evidence, interleave the likely readings of short ambiguous queries, and dress the
// hits (stored fields, snippets, facets).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <unordered_set>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "proximity.h"
#include "query_plan.h"
#include "query_syntax.h"
#include "restoration.h"
#include "snippets.h"
#include "vnsearch/database_layout.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch {

namespace fs = std::filesystem;
using query::QueryPlan;

namespace {

/// Ranking constants, tuned on the dev sets of ../shared/eval (bench/README.md has the figures).
struct RankingParameters {
  double bm25_k1 = 1.2;
  double bm25_b = 0.9;
  std::size_t rerank_depth = 100;  ///< hits re-ranked with proximity evidence
  double adjacent_pair_bonus = 0.5;
  double title_coverage_bonus = 3.0;
  double passage_bonus = 2.0;  ///< long queries only: a short one is itself a passage
  Xapian::termpos passage_window = 20;
  /// Short queries whose best reading is less likely than this interleave their readings.
  double sure_reading = 0.75;
  std::size_t short_query_units = 4;
  /// Other readings of a short query are interleaved when they occur as a phrase in at least
  /// this share of the documents the commonest reading occurs in.
  double phrase_runner_up = 0.1;
  /// Exponent applied to reading weights when sharing the first page: below 1 flattens the
  /// shares towards round robin, which puts each likely reading's best hit early.
  double interleave_flatten = 0.5;
  query::WeightOptions weights;
};

constexpr std::size_t kMaxQueryBytes = 2000;

// VNSEARCH_RANKING="k1=1.0,b=0.7,..." overrides ranking constants: for tuning experiments on the
// dev sets (bench/README.md), never needed in normal use. Unknown names are ignored.
void override_ranking_from_environment(RankingParameters& ranking) {
  const char* text = std::getenv("VNSEARCH_RANKING");
  if (text == nullptr) return;
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
    if (name == "passage") ranking.passage_bonus = value;
    if (name == "window") ranking.passage_window = static_cast<Xapian::termpos>(value);
    if (name == "sure") ranking.sure_reading = value;
    if (name == "folded") ranking.weights.folded = value;
    if (name == "question") ranking.weights.question_word = value;
    if (name == "sure_unit") ranking.weights.sure_posterior = value;
    if (name == "phrase") ranking.weights.phrase = value;
    if (name == "runner_up") ranking.phrase_runner_up = value;
    if (name == "flatten") ranking.interleave_flatten = value;
  }
}

struct WeightedReading {
  std::vector<std::string> words;  ///< one exact form per query unit
  double weight = 1.0;             ///< share of the first page it deserves (relative)
};

struct Ranked {
  Xapian::docid docid = 0;
  double score = 0;
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

std::string string_field(const nlohmann::json& record, const char* name) {
  const auto value = record.find(name);
  return value != record.end() && value->is_string() ? value->get<std::string>() : std::string();
}

}  // namespace

struct Searcher::Impl {
  fs::path database;
  fs::path directory;
  Xapian::Database db;
  SyllableModel model;
  std::string model_problem;  // why restoration is off, said with every answer; else empty
  RankingParameters ranking;

  explicit Impl(const fs::path& path) : database(path) {
    open();
    override_ranking_from_environment(ranking);
  }

  void open() {
    // Says what is there instead when --db is not a database (a file, an empty folder...).
    directory = layout::live_directory_for_reading(database);
    try {
      db = Xapian::Database(directory.string());
    } catch (const Xapian::Error& failure) {
      throw std::runtime_error("cannot open database " + database.string() + ": " +
                               failure.get_description());
    }
    load_model();
  }

  // Without its model the search still works, but unaccented words are searched in every
  // reading: each answer says so, and how to mend it, rather than failing or staying silent.
  void load_model() {
    model = SyllableModel();
    model_problem.clear();
    const fs::path model_path = directory / SyllableModel::kFileName;
    const std::string remedy =
        "unaccented words are searched in every reading; rebuild it "
        "with `vnsearch rebuild-model --db " +
        database.string() + "`";
    std::error_code error;
    if (!fs::exists(model_path, error)) {
      model_problem = "the syllable model of " + database.string() + " is missing: " + remedy;
      return;
    }
    try {
      model.load(model_path);
    } catch (const std::exception& failure) {
      model = SyllableModel();
      model_problem = "the syllable model of " + database.string() + " cannot be used (" +
                      failure.what() + "): " + remedy;
    }
  }

  std::vector<Ranked> retrieve(const QueryPlan& plan, const std::vector<std::string>& reading,
                               std::size_t depth, Xapian::MatchSpy* const* spies,
                               std::size_t spy_count, std::uint64_t& estimated) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(ranking.bm25_k1, 0, 1, ranking.bm25_b, 0.5));
    enquire.set_query(query::ranked_query(plan, reading, ranking.weights));
    for (std::size_t i = 0; i < spy_count; ++i) enquire.add_matchspy(spies[i]);
    const Xapian::doccount check = spy_count > 0 ? db.get_doccount() : 0;
    const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(depth), check);
    estimated = std::max<std::uint64_t>(estimated, mset.get_matches_estimated());
    // A pair's rarity from the syllable model's bigram counts: a phrase like `cứu nhân` is far
    // rarer than either syllable, which is what makes finding it adjacent strong evidence.
    std::vector<double> pair_idf(reading.size(), 0.0);
    const double documents = db.get_doccount();
    for (std::size_t i = 1; i < reading.size(); ++i) {
      pair_idf[i] = std::log(documents / (1.0 + model.bigram(reading[i - 1], reading[i])));
    }
    std::vector<double> unit_idf(reading.size(), 0.0);
    for (std::size_t i = 0; i < reading.size(); ++i) {
      const double idf = std::log(documents / (1.0 + db.get_termfreq(reading[i])));
      unit_idf[i] =
          std::max(0.0, idf) * (plan.units[i].question ? ranking.weights.question_word : 1.0);
    }
    std::vector<Ranked> ranked;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      double score = it.get_weight();
      if (ranked.size() < ranking.rerank_depth && plan.units.size() > 0) {
        const query::ProximityEvidence evidence = query::proximity_evidence(
            db, *it, plan, reading, pair_idf, unit_idf, ranking.passage_window);
        score += ranking.adjacent_pair_bonus * evidence.adjacent_pairs +
                 ranking.title_coverage_bonus * evidence.title_coverage +
                 (plan.units.size() > ranking.short_query_units
                      ? ranking.passage_bonus * evidence.best_window
                      : 0.0);
      }
      ranked.push_back({*it, score});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Ranked& a, const Ranked& b) { return a.score > b.score; });
    return ranked;
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
    if (!ambiguous || !plan.typed_without_marks || plan.units.size() > ranking.short_query_units) {
      return readings;
    }
    const auto& probabilities = plan.restoration.path_probabilities;
    const bool one_group = plan.units.front().group == plan.units.back().group;
    if (plan.units.size() >= 2 && one_group) {
      return readings_by_phrase_frequency(paths, probabilities);
    }
    if (probabilities[0] >= ranking.sure_reading) return readings;
    readings[0].weight = probabilities[0];
    for (std::size_t k = 1; k < paths.size(); ++k) {
      if (probabilities[k] >= 0.25 * probabilities[0]) {
        readings.push_back({paths[k], probabilities[k]});
      }
    }
    return readings;
  }

  // How many documents hold `reading` as a phrase (exact up to a thousand).
  double phrase_documents(const std::vector<std::string>& reading) {
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_PHRASE, reading.begin(), reading.end(), reading.size()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, 1000).get_matches_estimated();
  }

  // A short query is a phrase someone expects to find: rank its candidate readings by how many
  // documents actually contain them as phrases (the phrase table a bigram model lacks), with
  // the model's probability breaking ties; the ones at least `phrase_runner_up` as common as
  // the best share the first page in proportion.
  std::vector<WeightedReading> readings_by_phrase_frequency(
      const std::vector<std::vector<std::string>>& paths,
      const std::vector<double>& probabilities) {
    std::vector<std::pair<double, std::size_t>> scored;
    for (std::size_t k = 0; k < paths.size(); ++k) {
      scored.emplace_back(phrase_documents(paths[k]) + 0.5 * probabilities[k] / probabilities[0],
                          k);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<WeightedReading> readings = {{paths[scored[0].second], scored[0].first}};
    for (std::size_t k = 1; k < scored.size() && readings.size() < 3; ++k) {
      if (scored[k].first >= ranking.phrase_runner_up * scored[0].first) {
        readings.push_back({paths[scored[k].second], scored[k].first});
      }
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
    std::vector<std::size_t> next(lists.size(), 0), taken(lists.size(), 0);
    while (merged.size() < wanted) {
      std::size_t best = lists.size();
      double best_quota = -1;
      for (std::size_t i = 0; i < lists.size(); ++i) {
        while (next[i] < lists[i].size() && seen.count(lists[i][next[i]].docid) != 0) ++next[i];
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
      merged.push_back(lists[best][next[best]++]);
      ++taken[best];
    }
    return merged;
  }

  Hit make_hit(const Ranked& ranked, const query::HighlightTerms& highlight, bool snippets) {
    const Xapian::Document document = db.get_document(ranked.docid);
    const std::string data = document.get_data();
    const schema::StoredRecordParts parts = schema::split_stored_record(data);
    const nlohmann::json record =
        nlohmann::json::parse(parts.header_json, nullptr, /*allow_exceptions=*/false);
    Hit hit;
    hit.score = ranked.score;
    if (!record.is_object()) return hit;
    hit.id = string_field(record, "id");
    hit.title = string_field(record, "title");
    hit.date = string_field(record, "date");
    hit.source = string_field(record, "source");
    hit.url = string_field(record, "url");
    hit.category = string_field(record, "category");
    if (snippets) {
      const std::string description = string_field(record, "description");
      hit.snippet = query::make_snippet(parts.body.empty() ? description : parts.body, highlight);
    }
    return hit;
  }

  SearchResult search(std::string_view text, SearchOptions options) {
    SearchResult result;
    auto add_note = [&result](const std::string& note) {
      if (!note.empty()) result.message += (result.message.empty() ? "" : "; ") + note;
    };
    add_note(bound_paging(options));
    std::string query_text = truncate_utf8(text, kMaxQueryBytes);
    if (query_text.size() < text.size()) {
      add_note("query cut to its first " + std::to_string(kMaxQueryBytes) + " bytes");
    }
    const QueryPlan plan = query::plan_query(query::parse_query(query_text), model);
    for (const std::string& note : plan.notes) add_note(note);
    if (plan.empty()) {
      // The notes say what was ignored (a bad date, an empty title:) when that left nothing.
      add_note(plan.notes.empty() ? "nothing to search for: the query has no words"
                                  : "nothing left to search for");
      return result;
    }
    add_note(model_problem);
    const auto readings = readings_to_search(plan);
    for (const auto& reading : readings) {
      std::string joined;
      for (const std::string& word : reading.words) joined += (joined.empty() ? "" : " ") + word;
      if (!joined.empty()) result.readings.push_back(joined);
    }

    // A page of no hits (--limit 0, or past the window) only counts: nothing to fetch.
    const std::size_t wanted = options.limit == 0 ? 0 : options.offset + options.limit;
    const std::size_t depth = std::max(wanted, ranking.rerank_depth);
    Xapian::ValueCountMatchSpy sources(schema::kSlotSource), categories(schema::kSlotCategory),
        years(schema::kSlotYear);
    Xapian::MatchSpy* spies[] = {&sources, &categories, &years};

    std::vector<std::vector<Ranked>> lists;
    for (std::size_t r = 0; r < readings.size(); ++r) {
      const bool with_spies = options.facets && r == 0;
      lists.push_back(retrieve(plan, readings[r].words, depth, spies, with_spies ? 3 : 0,
                               result.estimated_matches));
    }
    const std::vector<Ranked> merged =
        interleave(lists, readings, wanted, ranking.interleave_flatten);

    // Highlight what was searched: the syllable as typed, every searched reading of a restored
    // one, and any reading only where restoration was unsure (the any-reading term was used).
    query::HighlightTerms highlight;
    const auto& choices = plan.restoration.choices;
    for (std::size_t i = 0; i < plan.units.size(); ++i) {
      const bool sure = i < choices.size() && !choices[i].empty() &&
                        choices[i][0].posterior >= ranking.weights.sure_posterior;
      if (plan.units[i].fixed) {
        highlight.exact.insert(plan.units[i].exact);
      } else if (sure) {
        for (const WeightedReading& reading : readings) highlight.exact.insert(reading.words[i]);
      } else {
        highlight.folded.insert(plan.units[i].folded);
      }
    }
    for (std::size_t i = options.offset; i < merged.size() && i < wanted; ++i) {
      result.hits.push_back(make_hit(merged[i], highlight, options.snippets));
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
    }
    // An empty page of a query that matched (--limit 0, an offset past the end) is not "no
    // matching documents": the caller has estimated_matches to say what it is.
    const bool matched = std::any_of(lists.begin(), lists.end(),
                                     [](const std::vector<Ranked>& list) { return !list.empty(); });
    if (!matched) add_note("no matching documents");
    return result;
  }
};

Searcher::Searcher(const fs::path& database) : impl_(std::make_unique<Impl>(database)) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResult Searcher::search(std::string_view query, const SearchOptions& options) {
  try {
    return impl_->search(query, options);
  } catch (const Xapian::Error& error) {
    SearchResult result;
    result.message = "search failed: " + error.get_description();
    return result;
  }
}

std::vector<std::string> Searcher::restore_diacritics(std::string_view text) {
  std::vector<query::RestorationInput> inputs;
  // Typed text is UTF-8: ill-formed bytes are repaired, never read as a legacy encoding.
  for (const Token& token : Analyzer({.encoding = Encoding::kUtf8}).analyze(text)) {
    if (token.role == TokenRole::kCompound || token.exact.empty()) continue;
    const bool marked = token.exact != token.folded || token.kind != TokenKind::kWord;
    inputs.push_back({token.exact, token.folded, marked});
  }
  const query::Restoration restoration = query::restore(impl_->model, inputs);
  if (restoration.best_paths.empty()) return {};
  return restoration.best_paths[0];
}

void Searcher::refresh() {
  std::error_code error;
  const fs::path current = fs::canonical(impl_->database, error);
  if (!error && current != impl_->directory) {
    impl_->open();
  } else {
    impl_->db.reopen();
  }
}

}  // namespace vnsearch
