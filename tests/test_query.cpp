// The query side pinned down: query syntax, diacritic restoration over a hand-built syllable
// model, and Searcher/CLI behaviour on an index of the bundled corpus/ sample (so the relevance
// regression test for the portal page runs without ../shared).
//
// Expectations about the corpus are not hard-coded: an oracle reads the stored records back from
// the Xapian database and re-analyses them with the tokenizer, independently of the query code,
// to say which documents contain a phrase, carry a date in a range or come from a source.
#include <sys/wait.h>
#include <unistd.h>

#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "query_syntax.h"
#include "restoration.h"
#include "snippets.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/schema.h"
#include "vnsearch/search.h"
#include "vnsearch/syllable_model.h"
#include "vnsearch/tokenizer.h"

namespace fs = std::filesystem;
using json = nlohmann::json;
using vnsearch::Searcher;
using vnsearch::SearchOptions;
using vnsearch::SearchResult;
using vnsearch::query::Clause;
using vnsearch::query::parse_query;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;
const std::string kPortalId = "ca-brvt-cum-thi-dua-so-8";

// ---------------------------------------------------------------------------------------------
// The bundled corpus, indexed once per test binary (indexing is the slow part, especially under
// ASan), into a temporary directory removed at exit.

struct StoredDoc {
  std::string id, title, description, body, date, source;
};

class BundledIndex {
 public:
  BundledIndex() {
    std::string pattern = (fs::temp_directory_path() / "vnsearch-query-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    database_ = root_ / "db";
    const std::vector<fs::path> inputs = {kSourceDir / "corpus"};
    vnsearch::IndexOptions options;
    options.analysis_threads = 2;  // the CI machine has two cores
    std::vector<std::string> problems;
    const auto issues = [&](const vnsearch::ReadIssue& issue) {
      if (issue.fatal_for_document) problems.push_back(vnsearch::format_issue(issue));
      return vnsearch::ReadFlow::kContinue;
    };
    const auto summary = vnsearch::index_paths(database_, inputs, options, issues, {});
    if (!problems.empty() || summary.documents_in_index == 0) {
      throw std::runtime_error("indexing corpus/ failed: " +
                               (problems.empty() ? std::string("no documents") : problems[0]));
    }
    load_stored_records();
  }
  ~BundledIndex() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  BundledIndex(const BundledIndex&) = delete;
  BundledIndex& operator=(const BundledIndex&) = delete;

  const fs::path& database() const { return database_; }
  const fs::path& root() const { return root_; }
  const std::map<std::string, StoredDoc>& docs() const { return docs_; }

 private:
  // Reads every stored record straight from Xapian: the oracle's view of the corpus.
  void load_stored_records() {
    Xapian::Database db(fs::canonical(database_).string());
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const std::string data = db.get_document(*it).get_data();
      const auto parts = vnsearch::schema::split_stored_record(data);
      const json header = json::parse(parts.header_json, nullptr, false);
      if (!header.is_object()) continue;
      auto field = [&](const char* name) {
        const auto value = header.find(name);
        return value != header.end() && value->is_string() ? value->get<std::string>()
                                                           : std::string();
      };
      StoredDoc doc{field("id"),   field("title"), field("description"), std::string(parts.body),
                    field("date"), field("source")};
      docs_[doc.id] = std::move(doc);
    }
  }

  fs::path root_, database_;
  std::map<std::string, StoredDoc> docs_;
};

const BundledIndex& bundled_index() {
  static const BundledIndex index;
  return index;
}

Searcher& bundled_searcher() {
  static Searcher searcher(bundled_index().database());
  return searcher;
}

// True when `text` holds syllable `first` immediately followed by `second` (exact forms, or
// folded ones when `folded`; by token position, as a Xapian phrase sees them).
bool has_adjacent(std::string_view text, const std::string& first, const std::string& second,
                  bool folded = false) {
  std::map<std::uint32_t, std::set<std::string>> at;
  for (const vnsearch::Token& token : vnsearch::Analyzer().analyze(text)) {
    at[token.position].insert(folded ? token.folded : token.exact);
  }
  for (const auto& [position, forms] : at) {
    if (forms.count(first) == 0) continue;
    const auto next = at.find(position + 1);
    if (next != at.end() && next->second.count(second) != 0) return true;
  }
  return false;
}

bool doc_has_phrase(const StoredDoc& doc, const std::string& first, const std::string& second) {
  return has_adjacent(doc.title, first, second) || has_adjacent(doc.description, first, second) ||
         has_adjacent(doc.body, first, second);
}

bool doc_has_word(const StoredDoc& doc, const std::string& exact) {
  for (const std::string* text : {&doc.title, &doc.description, &doc.body}) {
    for (const vnsearch::Token& token : vnsearch::Analyzer().analyze(*text)) {
      if (token.exact == exact) return true;
    }
  }
  return false;
}

std::vector<std::string> hit_ids(const SearchResult& result) {
  std::vector<std::string> ids;
  for (const auto& hit : result.hits) ids.push_back(hit.id);
  return ids;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80         ? 1
                         : (lead >> 5) == 6  ? 2
                         : (lead >> 4) == 14 ? 3
                         : (lead >> 3) == 30 ? 4
                                             : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// Runs the CLI with stdout and stderr captured to files; returns the exit status (-1 when the
// process did not exit normally, for example killed by a sanitizer signal).
int run_cli(const std::string& args, const fs::path& out, const fs::path& err) {
  const std::string command = shell_quote(kBinary.string()) + " " + args + " >" +
                              shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ---------------------------------------------------------------------------------------------
// A small syllable model built by hand from a few sentences, as the indexer builds the real one.

vnsearch::SyllableModel model_from(const std::vector<std::pair<std::string, int>>& sentences) {
  vnsearch::SyllableModel model;
  const vnsearch::Analyzer analyzer;
  for (const auto& [sentence, times] : sentences) {
    for (int i = 0; i < times; ++i) model.add_tokens(analyzer.analyze(sentence));
  }
  model.index_readings();
  return model;
}

// Query syllables as the query planner makes them: marked syllables and non-words are fixed.
std::vector<vnsearch::query::RestorationInput> inputs_of(std::string_view text) {
  std::vector<vnsearch::query::RestorationInput> inputs;
  for (const vnsearch::Token& token : vnsearch::Analyzer().analyze(text)) {
    if (token.role == vnsearch::TokenRole::kCompound) continue;
    inputs.push_back({token.exact, token.folded,
                      token.exact != token.folded || token.kind != vnsearch::TokenKind::kWord});
  }
  return inputs;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// Invariants every restoration must satisfy, whatever the model.
void check_restoration_invariants(const vnsearch::query::Restoration& restoration,
                                  std::size_t length) {
  REQUIRE(restoration.choices.size() == length);
  REQUIRE_FALSE(restoration.best_paths.empty());
  REQUIRE(restoration.path_probabilities.size() == restoration.best_paths.size());
  for (const auto& choices : restoration.choices) {
    REQUIRE_FALSE(choices.empty());
    double sum = 0;
    for (std::size_t k = 0; k < choices.size(); ++k) {
      sum += choices[k].posterior;
      if (k > 0) CHECK(choices[k - 1].posterior >= choices[k].posterior);
    }
    CHECK(sum == Approx(1.0).epsilon(1e-6));
  }
  for (std::size_t k = 0; k < restoration.best_paths.size(); ++k) {
    const auto& path = restoration.best_paths[k];
    REQUIRE(path.size() == length);
    if (k > 0) CHECK(restoration.path_probabilities[k - 1] >= restoration.path_probabilities[k]);
    // A whole reading cannot be more likely than any one of its syllables' readings.
    for (std::size_t i = 0; i < length; ++i) {
      const auto& choices = restoration.choices[i];
      const auto found = std::find_if(choices.begin(), choices.end(),
                                      [&](const auto& choice) { return choice.exact == path[i]; });
      REQUIRE(found != choices.end());
      CHECK(restoration.path_probabilities[k] <= found->posterior + 1e-9);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. Syntax

TEST_CASE("plain words, with or without marks, merge into one text clause", "[query][syntax]") {
  const auto parsed = parse_query("  cum thi   dua so 8 ");
  REQUIRE(parsed.clauses.size() == 1);
  CHECK(parsed.clauses[0].kind == Clause::Kind::kText);
  CHECK(parsed.clauses[0].text == "cum thi dua so 8");
  CHECK_FALSE(parsed.clauses[0].required);
  CHECK_FALSE(parsed.clauses[0].excluded);
  CHECK(parsed.clauses[0].field.empty());
  CHECK(parsed.notes.empty());

  const auto marked = parse_query("Cụm thi đua số 8");
  REQUIRE(marked.clauses.size() == 1);
  CHECK(marked.clauses[0].text == "Cụm thi đua số 8");
}

TEST_CASE("quotes, + and - operators", "[query][syntax]") {
  const auto parsed = parse_query("bão \"thi đua\" +covid -lũ -\"tin giả\"");
  REQUIRE(parsed.clauses.size() == 5);
  CHECK(parsed.clauses[0].kind == Clause::Kind::kText);
  CHECK(parsed.clauses[0].text == "bão");

  CHECK(parsed.clauses[1].kind == Clause::Kind::kPhrase);
  CHECK(parsed.clauses[1].text == "thi đua");
  CHECK(parsed.clauses[1].required);
  CHECK_FALSE(parsed.clauses[1].excluded);

  CHECK(parsed.clauses[2].kind == Clause::Kind::kText);
  CHECK(parsed.clauses[2].text == "covid");
  CHECK(parsed.clauses[2].required);

  CHECK(parsed.clauses[3].kind == Clause::Kind::kText);
  CHECK(parsed.clauses[3].text == "lũ");
  CHECK(parsed.clauses[3].excluded);
  CHECK_FALSE(parsed.clauses[3].required);

  CHECK(parsed.clauses[4].kind == Clause::Kind::kPhrase);
  CHECK(parsed.clauses[4].text == "tin giả");
  CHECK(parsed.clauses[4].excluded);
  CHECK_FALSE(parsed.clauses[4].required);
  CHECK(parsed.notes.empty());
}

TEST_CASE("field operators", "[query][syntax]") {
  const auto one = [](std::string_view text) {
    const auto parsed = parse_query(text);
    REQUIRE(parsed.clauses.size() == 1);
    return parsed.clauses[0];
  };
  const Clause title = one("title:\"thi đua\"");
  CHECK(title.kind == Clause::Kind::kPhrase);
  CHECK(title.field == "title");
  CHECK(title.text == "thi đua");
  CHECK(title.required);

  for (const std::string field : {"source", "category", "tag", "author"}) {
    INFO(field);
    const Clause clause = one(field + ":VnExpress");
    CHECK(clause.kind == Clause::Kind::kFilter);
    CHECK(clause.field == field);
    CHECK(clause.text == "VnExpress");
    CHECK(clause.required);
    CHECK_FALSE(clause.excluded);
  }
  const Clause quoted = one("source:\"Trí Thức VN\"");
  CHECK(quoted.field == "source");
  CHECK(quoted.text == "Trí Thức VN");

  // Field names are case-insensitive; a sign before a field negates the filter.
  CHECK(one("Source:x").field == "source");
  const Clause negated = one("-category:thể-thao");
  CHECK(negated.kind == Clause::Kind::kFilter);
  CHECK(negated.excluded);
  CHECK_FALSE(negated.required);

  const Clause month = one("date:2020-11");
  CHECK(month.kind == Clause::Kind::kFilter);
  CHECK(month.field == "date");
  CHECK(month.text == "2020-11");
  CHECK(one("date:2020-01..2020-06").text == "2020-01..2020-06");
  const Clause year = one("year:2020");
  CHECK(year.field == "date");
  CHECK(year.text == "2020");
}

TEST_CASE("words with a colon that are not fields stay text", "[query][syntax]") {
  for (const char* text : {"họp lúc 10:30 sáng", "https://x", "xem https://vnexpress.net/a ngay",
                           "foo:bar", "tỉ số 2:1"}) {
    INFO(text);
    const auto parsed = parse_query(text);
    REQUIRE(parsed.clauses.size() == 1);
    CHECK(parsed.clauses[0].kind == Clause::Kind::kText);
    CHECK(parsed.clauses[0].field.empty());
    CHECK(parsed.clauses[0].text == text);
  }
}

TEST_CASE("an unbalanced quote runs to the end and is noted", "[query][syntax]") {
  const auto parsed = parse_query("bão \"thi đua số 8");
  REQUIRE(parsed.clauses.size() == 2);
  CHECK(parsed.clauses[1].kind == Clause::Kind::kPhrase);
  CHECK(parsed.clauses[1].text == "thi đua số 8");
  REQUIRE(parsed.notes.size() == 1);
  CHECK(parsed.notes[0].find("quote") != std::string::npos);

  const auto field = parse_query("title:\"thi đua");
  REQUIRE(field.clauses.size() == 1);
  CHECK(field.clauses[0].field == "title");
  CHECK(field.clauses[0].text == "thi đua");
  CHECK(field.notes.size() == 1);
}

TEST_CASE("a lone sign is text", "[query][syntax]") {
  for (const char* text : {"-", "+", "a - b", "a + b"}) {
    INFO(text);
    const auto parsed = parse_query(text);
    REQUIRE(parsed.clauses.size() == 1);
    CHECK(parsed.clauses[0].kind == Clause::Kind::kText);
    CHECK(parsed.clauses[0].text == text);
    CHECK_FALSE(parsed.clauses[0].required);
    CHECK_FALSE(parsed.clauses[0].excluded);
  }
}

TEST_CASE("empty and whitespace-only input give no clauses", "[query][syntax]") {
  for (const char* text : {"", " ", "  \t\r\n  "}) {
    const auto parsed = parse_query(text);
    CHECK(parsed.clauses.empty());
    CHECK(parsed.notes.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Restoration

TEST_CASE("restoration uses the previous syllable to pick a reading", "[query][restoration]") {
  // `đua` is the more frequent reading of "dua" overall, so only the bigram can make `quả dua`
  // read `quả dừa`.
  const auto model = model_from({{"Phong trào thi đua yêu nước, cụm thi đua số 8.", 6},
                                 {"Mùa này quả dừa rất ngọt.", 6},
                                 {"Đua xe trái phép.", 4},
                                 {"Dưa hấu ngon.", 2}});
  REQUIRE(model.readings("dua").size() >= 3);
  REQUIRE(model.unigram("đua") > model.unigram("dừa"));

  const auto thi = vnsearch::query::restore(model, inputs_of("thi dua"));
  check_restoration_invariants(thi, 2);
  CHECK(joined(thi.best_paths[0]) == "thi đua");
  CHECK(thi.choices[1][0].exact == "đua");

  const auto qua = vnsearch::query::restore(model, inputs_of("qua dua"));
  check_restoration_invariants(qua, 2);
  CHECK(joined(qua.best_paths[0]) == "quả dừa");
  CHECK(qua.choices[1][0].exact == "dừa");

  const auto cum = vnsearch::query::restore(model, inputs_of("cum thi dua so 8"));
  check_restoration_invariants(cum, 5);
  CHECK(joined(cum.best_paths[0]) == "cụm thi đua số 8");
  // best_paths[0] agrees with the most probable reading of each syllable in a clear-cut model.
  for (std::size_t i = 0; i < cum.choices.size(); ++i) {
    CHECK(cum.best_paths[0][i] == cum.choices[i][0].exact);
  }
}

TEST_CASE("fixed syllables are kept; unknown ones read as typed", "[query][restoration]") {
  const auto model = model_from({{"Mùa này quả dừa rất ngọt.", 6}, {"Dưa hấu ngon.", 2}});

  // Typed with marks: kept even against the bigram evidence for `dừa`.
  const std::vector<vnsearch::query::RestorationInput> fixed = {{"quả", "qua", true},
                                                                {"dưa", "dua", true}};
  const auto kept = vnsearch::query::restore(model, fixed);
  check_restoration_invariants(kept, 2);
  CHECK(joined(kept.best_paths[0]) == "quả dưa");
  REQUIRE(kept.choices[1].size() == 1);
  CHECK(kept.choices[1][0].exact == "dưa");
  CHECK(kept.choices[1][0].posterior == Approx(1.0));

  // Never seen by the model: read as typed, alone.
  const auto unknown = vnsearch::query::restore(model, inputs_of("qua xyzzy dua"));
  check_restoration_invariants(unknown, 3);
  REQUIRE(unknown.choices[1].size() == 1);
  CHECK(unknown.choices[1][0].exact == "xyzzy");
  CHECK(unknown.best_paths[0][1] == "xyzzy");

  // An empty model knows nothing: everything reads as typed.
  const vnsearch::SyllableModel empty;
  const auto plain = vnsearch::query::restore(empty, inputs_of("cum thi dua"));
  check_restoration_invariants(plain, 3);
  CHECK(joined(plain.best_paths[0]) == "cum thi dua");

  CHECK(vnsearch::query::restore(model, {}).best_paths.empty());
}

TEST_CASE("restoration invariants hold on the bundled corpus model", "[query][restoration]") {
  vnsearch::SyllableModel model;
  model.load(fs::canonical(bundled_index().database()) / vnsearch::SyllableModel::kFileName);
  for (const char* text : {"cum thi dua so 8", "ha noi mua lu", "gia vang hom nay tang",
                           "bo cong an thong bao ve viec tuyen sinh nam 2024"}) {
    INFO(text);
    const auto inputs = inputs_of(text);
    check_restoration_invariants(vnsearch::query::restore(model, inputs), inputs.size());
  }
}

// The first-order restoration model (trigrams off) is a chain, so the joint probability of a whole
// reading factors into the joints of its adjacent pairs over the marginals of the syllables between
// them. Those come from restore() itself on one- and two-syllable inputs, where every path is
// listed, so the best whole reading can be found by an exhaustive search independent of the beam.
TEST_CASE("best_paths[0] is the most probable whole reading", "[query][restoration]") {
  vnsearch::SyllableModel model;
  model.load(fs::canonical(bundled_index().database()) / vnsearch::SyllableModel::kFileName);
  vnsearch::query::RestorationOptions bigrams_only;
  bigrams_only.trigrams = false;
  vnsearch::query::RestorationOptions all_paths = bigrams_only;
  all_paths.max_paths = 1000;  // 12 × 12 pairs at most: every path of a pair is returned

  const std::vector<std::string> ambiguous = {"ma",  "ba",  "tan", "co",  "bao", "chi", "di",
                                              "thi", "dua", "so",  "ban", "cho", "lam", "sau",
                                              "toi", "nam", "hoa", "the", "ta",  "ca",  "cum"};
  std::mt19937 random(7);
  std::size_t checked = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<vnsearch::query::RestorationInput> inputs;
    const std::size_t length = 3 + random() % 4;
    for (std::size_t i = 0; i < length; ++i) {
      const std::string& word = ambiguous[random() % ambiguous.size()];
      inputs.push_back({word, word, false});
    }
    std::string text;
    for (const auto& input : inputs) text += input.exact + " ";
    INFO("query: " << text);

    // log p(one syllable's reading) and log p(pair of readings), from restore() itself.
    std::vector<std::map<std::string, double>> single(length);
    std::vector<std::map<std::pair<std::string, std::string>, double>> pair(length);
    for (std::size_t i = 0; i < length; ++i) {
      const auto one = vnsearch::query::restore(model, {inputs[i]});
      for (const auto& choice : one.choices[0]) {
        single[i][choice.exact] = std::log(choice.posterior);
      }
      if (i == 0) continue;
      const auto two = vnsearch::query::restore(model, {inputs[i - 1], inputs[i]}, all_paths);
      REQUIRE(two.best_paths.size() == two.choices[0].size() * two.choices[1].size());
      for (std::size_t k = 0; k < two.best_paths.size(); ++k) {
        pair[i][{two.best_paths[k][0], two.best_paths[k][1]}] = std::log(two.path_probabilities[k]);
      }
    }
    const auto log_joint = [&](const std::vector<std::string>& path) {
      double score = single[0].at(path[0]);
      for (std::size_t i = 1; i < length; ++i) {
        score += pair[i].at({path[i - 1], path[i]}) - single[i - 1].at(path[i - 1]);
      }
      return score;
    };
    // Exact best score (max) and normaliser (log-sum) by dynamic programming over the chain.
    const auto log_add = [](double a, double b) {
      const double high = std::max(a, b);
      return high + std::log(std::exp(a - high) + std::exp(b - high));
    };
    std::map<std::string, double> best = single[0], sum = single[0];
    for (std::size_t i = 1; i < length; ++i) {
      std::map<std::string, double> next_best, next_sum;
      for (const auto& [words, log_p] : pair[i]) {
        const double step = log_p - single[i - 1].at(words.first);
        const double max_score = best.at(words.first) + step;
        const double sum_score = sum.at(words.first) + step;
        auto [b, new_best] = next_best.emplace(words.second, max_score);
        if (!new_best) b->second = std::max(b->second, max_score);
        auto [z, new_sum] = next_sum.emplace(words.second, sum_score);
        if (!new_sum) z->second = log_add(z->second, sum_score);
      }
      best = std::move(next_best);
      sum = std::move(next_sum);
    }
    double best_score = -std::numeric_limits<double>::infinity();
    double log_total = -std::numeric_limits<double>::infinity();
    for (const auto& [word, score] : best) best_score = std::max(best_score, score);
    for (const auto& [word, score] : sum) log_total = log_add(log_total, score);

    const auto restoration = vnsearch::query::restore(model, inputs, bigrams_only);
    check_restoration_invariants(restoration, length);
    CHECK(log_joint(restoration.best_paths[0]) == Approx(best_score).margin(1e-6));
    // The reported probability of each path is its joint probability given the query.
    for (std::size_t k = 0; k < restoration.best_paths.size(); ++k) {
      CHECK(std::log(restoration.path_probabilities[k]) ==
            Approx(log_joint(restoration.best_paths[k]) - log_total).margin(1e-6));
    }
    ++checked;
  }
  CHECK(checked == 60);
}

// The second-order decoder (trigrams, the default) against exhaustive enumeration of every whole
// reading over the same candidates, scored by reading_log_score: the best path, its probability
// and each syllable's posterior must match.
TEST_CASE("with trigrams, best_paths and posteriors match exhaustive enumeration",
          "[query][restoration]") {
  vnsearch::SyllableModel model;
  model.load(fs::canonical(bundled_index().database()) / vnsearch::SyllableModel::kFileName);
  REQUIRE(model.trigram_types() > 0);
  vnsearch::query::RestorationOptions options;
  options.max_candidates = 6;
  options.trigram_candidates = 6;  // no pruning: the candidates enumerated below
  options.trigram_min_share = 0;
  options.max_paths = 3;
  const std::vector<std::string> ambiguous = {"ma",  "ba",  "tan", "co",  "bao", "chi",  "di",
                                              "thi", "dua", "so",  "ban", "cho", "lam",  "sau",
                                              "toi", "nam", "hoa", "the", "cum", "dong", "tin"};
  std::mt19937 random(11);
  for (int round = 0; round < 25; ++round) {
    std::vector<vnsearch::query::RestorationInput> inputs;
    const std::size_t length = 3 + random() % 2;
    for (std::size_t i = 0; i < length; ++i) {
      const std::string& word = ambiguous[random() % ambiguous.size()];
      inputs.push_back({word, word, false});
    }
    // A marked syllable in the middle is fixed context.
    if (round % 5 == 0) inputs[1] = {"đua", "dua", true};
    const auto restoration = vnsearch::query::restore(model, inputs, options);
    check_restoration_invariants(restoration, length);

    std::vector<std::vector<std::string>> candidates;
    for (const auto& choices : restoration.choices) {
      candidates.emplace_back();
      for (const auto& choice : choices) candidates.back().push_back(choice.exact);
    }
    double best = -std::numeric_limits<double>::infinity();
    double total = -std::numeric_limits<double>::infinity();
    std::vector<std::map<std::string, double>> marginal(length);
    std::vector<std::size_t> pick(length, 0);
    while (true) {
      std::vector<std::string> reading;
      for (std::size_t i = 0; i < length; ++i) reading.push_back(candidates[i][pick[i]]);
      const double score = vnsearch::query::reading_log_score(model, inputs, reading, options);
      best = std::max(best, score);
      const double high = std::max(total, score);
      total = high + std::log(std::exp(total - high) + std::exp(score - high));
      for (std::size_t i = 0; i < length; ++i) marginal[i][reading[i]] += std::exp(score);
      std::size_t i = 0;
      while (i < length && ++pick[i] == candidates[i].size()) pick[i++] = 0;
      if (i == length) break;
    }
    INFO("round " << round);
    CHECK(vnsearch::query::reading_log_score(model, inputs, restoration.best_paths[0], options) ==
          Approx(best).margin(1e-6));
    CHECK(std::log(restoration.path_probabilities[0]) == Approx(best - total).margin(1e-6));
    for (std::size_t i = 0; i < length; ++i) {
      for (const auto& choice : restoration.choices[i]) {
        CHECK(choice.posterior ==
              Approx(marginal[i][choice.exact] / std::exp(total)).margin(1e-9).epsilon(1e-6));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Searcher on the bundled index

TEST_CASE("the portal page ranks first, typed with or without marks", "[query][search]") {
  Searcher& searcher = bundled_searcher();
  const auto marked = searcher.search("Cụm thi đua số 8");
  REQUIRE_FALSE(marked.hits.empty());
  CHECK(marked.hits[0].id == kPortalId);
  REQUIRE_FALSE(marked.readings.empty());
  CHECK(marked.readings[0] == "cụm thi đua số 8");

  const auto bare = searcher.search("cum thi dua so 8");
  REQUIRE_FALSE(bare.hits.empty());
  CHECK(bare.hits[0].id == kPortalId);
  REQUIRE_FALSE(bare.readings.empty());
  CHECK(bare.readings[0] == "cụm thi đua số 8");
}

TEST_CASE("a phrase query returns exactly the documents holding the phrase", "[query][search]") {
  const auto& docs = bundled_index().docs();
  std::set<std::string> expected;
  for (const auto& [id, doc] : docs) {
    if (doc_has_phrase(doc, "thi", "đua")) expected.insert(id);
  }
  REQUIRE(expected.count(kPortalId) == 1);

  SearchOptions options;
  options.limit = docs.size();
  const auto result = bundled_searcher().search("\"thi đua\"", options);
  const auto ids = hit_ids(result);
  CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
  CHECK(ids.size() == expected.size());
}

TEST_CASE("title:\"phrase\" keeps the documents whose title holds the phrase", "[query][search]") {
  const auto& docs = bundled_index().docs();
  SearchOptions options;
  options.limit = docs.size();
  struct Case {
    const char* query;
    std::string first, second;
    bool folded;  // typed without marks: any reading of the letters
  };
  for (const Case& c : {Case{"title:\"thi đua\"", "thi", "đua", false},
                        Case{"title:\"thi dua\"", "thi", "dua", true},
                        Case{"title:\"đua thi\"", "đua", "thi", false}}) {
    INFO(c.query);
    std::set<std::string> expected;
    for (const auto& [id, doc] : docs) {
      if (has_adjacent(doc.title, c.first, c.second, c.folded)) expected.insert(id);
    }
    const auto ids = hit_ids(bundled_searcher().search(c.query, options));
    CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
  }
}

TEST_CASE("-word removes the documents holding it", "[query][search]") {
  const auto& docs = bundled_index().docs();
  REQUIRE(doc_has_word(docs.at(kPortalId), "hiệp"));
  SearchOptions options;
  options.limit = 50;
  const auto result = bundled_searcher().search("cụm thi đua số 8 -hiệp", options);
  REQUIRE_FALSE(result.hits.empty());
  for (const auto& hit : result.hits) {
    INFO(hit.id);
    CHECK_FALSE(doc_has_word(docs.at(hit.id), "hiệp"));
  }
}

TEST_CASE("-\"phrase\" removes only the documents holding the phrase", "[query][search]") {
  // `đua` without `thi` before it: the exclusion is of the phrase, not of each of its words.
  const auto& docs = bundled_index().docs();
  std::set<std::string> expected;
  for (const auto& [id, doc] : docs) {
    if (doc_has_word(doc, "đua") && !doc_has_phrase(doc, "thi", "đua")) expected.insert(id);
  }
  REQUIRE_FALSE(expected.empty());
  SearchOptions options;
  options.limit = docs.size();
  const auto result = bundled_searcher().search("đua -\"thi đua\"", options);
  const auto ids = hit_ids(result);
  for (const auto& id : ids) {
    INFO(id);
    CHECK_FALSE(doc_has_phrase(docs.at(id), "thi", "đua"));
  }
  CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
}

TEST_CASE("date filters keep exactly the dated documents in range", "[query][search]") {
  const auto& docs = bundled_index().docs();
  SearchOptions options;
  options.limit = docs.size();
  struct Case {
    const char* query;
    std::string first, last;  // inclusive, compared with the stored ISO date's prefix
  };
  for (const Case& c :
       {Case{"date:2023-01..2023-06", "2023-01", "2023-06"}, Case{"year:2020", "2020", "2020"},
        Case{"date:2024-02-07", "2024-02-07", "2024-02-07"}}) {
    INFO(c.query);
    std::set<std::string> expected;
    for (const auto& [id, doc] : docs) {
      const std::string key = doc.date.substr(0, c.first.size());
      if (!doc.date.empty() && key >= c.first && key <= c.last) expected.insert(id);
    }
    REQUIRE_FALSE(expected.empty());
    const auto result = bundled_searcher().search(c.query, options);
    for (const auto& hit : result.hits) {
      INFO(hit.id << " " << hit.date);
      REQUIRE_FALSE(hit.date.empty());
      CHECK(hit.date.substr(0, c.first.size()) >= c.first);
      CHECK(hit.date.substr(0, c.first.size()) <= c.last);
    }
    const auto ids = hit_ids(result);
    CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
  }
  // Combined with words, the filter still holds.
  const auto mixed = bundled_searcher().search("thi đua date:2023", options);
  REQUIRE_FALSE(mixed.hits.empty());
  for (const auto& hit : mixed.hits) CHECK(hit.date.substr(0, 4) == "2023");
}

TEST_CASE("source: keeps only that source, however it is typed", "[query][search]") {
  const auto& docs = bundled_index().docs();
  SearchOptions options;
  options.limit = docs.size();
  options.facets = true;
  const auto result = bundled_searcher().search("thi đua source:vnexpress", options);
  REQUIRE_FALSE(result.hits.empty());
  for (const auto& hit : result.hits) CHECK(hit.source == "VnExpress");
  // The facet is computed over every match, so it must say the same.
  REQUIRE(result.facets.count("source") == 1);
  REQUIRE(result.facets.at("source").size() == 1);
  CHECK(result.facets.at("source")[0].value == "VnExpress");
  CHECK(result.facets.at("source")[0].count == result.hits.size());

  // Negated: every other source (and documents without one) stays.
  const auto negated = bundled_searcher().search("thi đua -source:VnExpress", options);
  REQUIRE_FALSE(negated.hits.empty());
  for (const auto& hit : negated.hits) CHECK(hit.source != "VnExpress");

  std::set<std::string> expected;
  for (const auto& [id, doc] : docs) {
    if (doc.source == "Trí Thức VN") expected.insert(id);
  }
  REQUIRE_FALSE(expected.empty());
  const auto quoted = bundled_searcher().search("source:\"trí thức vn\"", options);
  const auto ids = hit_ids(quoted);
  CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
}

TEST_CASE("pages are disjoint, consecutive and agree with one larger page", "[query][search]") {
  for (const char* query : {"thi đua", "cum thi dua so 8", "ha noi"}) {
    INFO(query);
    SearchOptions all;
    all.limit = 30;
    all.snippets = false;
    const auto whole = hit_ids(bundled_searcher().search(query, all));
    REQUIRE(whole.size() == 30);
    REQUIRE(std::set<std::string>(whole.begin(), whole.end()).size() == whole.size());
    std::vector<std::string> paged;
    for (std::size_t offset = 0; offset < 30; offset += 10) {
      SearchOptions page = all;
      page.limit = 10;
      page.offset = offset;
      const auto ids = hit_ids(bundled_searcher().search(query, page));
      CHECK(ids.size() == 10);
      paged.insert(paged.end(), ids.begin(), ids.end());
    }
    CHECK(paged == whole);
  }
}

TEST_CASE("facet counts are positive and within the matches", "[query][search]") {
  SearchOptions options;
  options.facets = true;
  for (const char* query : {"cum thi dua so 8", "bão lũ miền trung", "giá vàng"}) {
    INFO(query);
    const auto result = bundled_searcher().search(query, options);
    REQUIRE(result.estimated_matches > 0);
    for (const char* name : {"source", "category", "year"}) {
      INFO(name);
      REQUIRE(result.facets.count(name) == 1);
      std::uint64_t sum = 0;
      for (const auto& count : result.facets.at(name)) {
        CHECK(count.count > 0);
        CHECK_FALSE(count.value.empty());
        sum += count.count;
      }
      CHECK(sum <= result.estimated_matches);
    }
    CHECK_FALSE(result.facets.at("source").empty());
  }
  // Not asked for: not computed.
  CHECK(bundled_searcher().search("giá vàng").facets.empty());
}

TEST_CASE("snippets mark matches with <b> and escape the text", "[query][search][snippets]") {
  SearchOptions options;
  options.limit = 20;
  const auto result = bundled_searcher().search("thi đua", options);
  REQUIRE_FALSE(result.hits.empty());
  std::size_t marked = 0;
  for (const auto& hit : result.hits) {
    const std::string snippet = vnsearch::render_snippet(hit.snippet);
    INFO(hit.id << ": " << snippet);
    std::string plain;
    std::size_t at = 0;
    while (at < snippet.size()) {
      if (snippet.compare(at, 3, "<b>") == 0) {
        const std::size_t close = snippet.find("</b>", at);
        REQUIRE(close != std::string::npos);
        const std::string inside = snippet.substr(at + 3, close - at - 3);
        const std::string folded = vnsearch::to_folded(inside);
        CHECK((folded == "thi" || folded == "dua"));
        ++marked;
        plain += inside;
        at = close + 4;
      } else {
        plain += snippet[at++];
      }
    }
    CHECK(plain.find_first_of("<>\"") == std::string::npos);
    for (std::size_t amp = plain.find('&'); amp != std::string::npos;
         amp = plain.find('&', amp + 1)) {
      const std::string_view rest = std::string_view(plain).substr(amp);
      CHECK((rest.rfind("&amp;", 0) == 0 || rest.rfind("&lt;", 0) == 0 ||
             rest.rfind("&gt;", 0) == 0 || rest.rfind("&quot;", 0) == 0));
    }
  }
  CHECK(marked > 0);

  SearchOptions without = options;
  without.snippets = false;
  for (const auto& hit : bundled_searcher().search("thi đua", without).hits) {
    CHECK(hit.snippet.empty());
  }
}

TEST_CASE("make_snippet escapes markup and marks exact and folded matches", "[query][snippets]") {
  vnsearch::query::HighlightTerms terms;
  terms.exact.insert("đua");
  terms.folded.insert("thi");
  const std::string snippet =
      vnsearch::query::make_snippet("Giá <b>vàng</b> & \"thi đua\" > 5% hay Thí nghiệm", terms);
  CHECK(snippet.find("<b>thi</b> <b>đua</b>") != std::string::npos);
  CHECK(snippet.find("<b>Thí</b>") != std::string::npos);  // folded match, surface kept
  CHECK(snippet.find("&lt;b&gt;vàng&lt;/b&gt;") != std::string::npos);
  CHECK(snippet.find("&amp;") != std::string::npos);
  CHECK(snippet.find("&quot;") != std::string::npos);
  CHECK(snippet.find("&gt; 5%") != std::string::npos);
  CHECK(snippet.find("<b>vàng") == std::string::npos);
  CHECK(vnsearch::query::make_snippet("", terms).empty());
}

// ---------------------------------------------------------------------------------------------
// 4. Bad queries

TEST_CASE("bad queries never throw and give an empty result with a message, or a sensible one",
          "[query][search][robustness]") {
  // Random syllables, deterministic so a failure reproduces.
  const std::vector<std::string> syllables = {"thi", "đua", "cụm", "số", "người", "nước",
                                              "hà",  "nội", "bão", "lũ", "giá",   "vàng"};
  std::mt19937 random(20240218);
  std::string long_query;
  while (long_query.size() < 10000) {
    long_query += syllables[random() % syllables.size()];
    long_query += ' ';
  }

  struct Case {
    std::string query;
    bool must_be_empty;
  };
  const std::vector<Case> cases = {
      {"", true},
      {"   \t ", true},
      {"?!...", true},
      {"\"\"\"", true},
      {long_query, false},
      {"\xff\xfe\xc3 thi \xe1\xba", false},
      {"\xcc\x81\xcc\x80 \xcc\x83", false},
      {"gì nào", false},
      {"\"thi đua", false},
      {"cụm \"\" số", false},
      {"source:", false},
      {"date:", false},
      {"date:abcd", false},
      {"date:2020-13", false},
      {"-thi", false},
      {"-\"thi đua\"", false},
      {"title:\"\"", false},
      {std::string("thi\0đua", 7), false},
  };
  for (const Case& c : cases) {
    INFO("query: " << c.query.substr(0, 60) << " (" << c.query.size() << " bytes)");
    SearchResult result;
    REQUIRE_NOTHROW(result = bundled_searcher().search(c.query));
    CHECK((!result.hits.empty() || !result.message.empty()));
    if (c.must_be_empty) {
      CHECK(result.hits.empty());
      CHECK_FALSE(result.message.empty());
    }
    for (const auto& reading : result.readings) CHECK(valid_utf8(reading));
    for (const auto& hit : result.hits) CHECK_FALSE(hit.id.empty());
  }

  // The long query is cut, and says so.
  const auto cut = bundled_searcher().search(long_query);
  CHECK(cut.message.find("cut") != std::string::npos);
  // An unbalanced quote is repaired, and says so.
  CHECK(bundled_searcher().search("\"thi đua").message.find("quote") != std::string::npos);
  // A date filter that cannot be read is reported, not silently applied.
  CHECK_FALSE(bundled_searcher().search("thi đua date:2020-13").message.empty());
}

TEST_CASE("a huge offset gives an empty page, not a crash", "[query][search][robustness]") {
  for (const std::size_t offset :
       {std::size_t{1'000'000}, std::numeric_limits<std::size_t>::max() - 3}) {
    INFO(offset);
    SearchOptions options;
    options.offset = offset;
    SearchResult result;
    REQUIRE_NOTHROW(result = bundled_searcher().search("thi đua", options));
    CHECK(result.hits.empty());
    CHECK_FALSE(result.message.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Missing index

TEST_CASE("a missing database is a clear error naming the path", "[query][errors]") {
  const fs::path missing = bundled_index().root() / "no-such-database";
  try {
    Searcher searcher(missing);
    FAIL("opening a missing database did not throw");
  } catch (const std::runtime_error& error) {
    CHECK(std::string(error.what()).find(missing.string()) != std::string::npos);
  }

  const fs::path out = bundled_index().root() / "missing.out";
  const fs::path err = bundled_index().root() / "missing.err";
  const int status = run_cli("search --db " + shell_quote(missing.string()) + " x", out, err);
  CHECK(status > 0);
  const std::string message = read_text(err);
  CHECK(message.find(missing.string()) != std::string::npos);
  CHECK(read_text(out).empty());
}

// ---------------------------------------------------------------------------------------------
// 6. CLI batch mode

TEST_CASE("batch mode answers every line in order and reports bad ones by file:line",
          "[query][cli]") {
  const fs::path batch = bundled_index().root() / "batch.jsonl";
  {
    std::ofstream file(batch);
    file << json{{"qid", "q1"}, {"query", "Cụm thi đua số 8"}}.dump() << "\n"
         << "{\"qid\": \"q2\", \"query\": \n"  // cut-off JSON
         << json{{"qid", "q3"}, {"query", "cum thi dua so 8"}}.dump() << "\n";
  }
  const fs::path out = bundled_index().root() / "batch.out";
  const fs::path err = bundled_index().root() / "batch.err";
  const int status = run_cli("search --db " + shell_quote(bundled_index().database().string()) +
                                 " --limit 3 --batch " + shell_quote(batch.string()),
                             out, err);
  CHECK(status > 0);

  std::vector<json> lines;
  std::istringstream output(read_text(out));
  for (std::string line; std::getline(output, line);) {
    lines.push_back(json::parse(line, nullptr, false));
  }
  // One line out per line in: the cut-off line is answered with an error in its place.
  REQUIRE(lines.size() == 3);
  CHECK(lines[1]["qid"].is_null());
  CHECK(lines[1].value("error", "").find("truncated JSON") != std::string::npos);
  lines.erase(lines.begin() + 1);
  const std::vector<std::string> qids = {"q1", "q3"};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i].dump());
    REQUIRE(lines[i].is_object());
    CHECK(lines[i].value("qid", "") == qids[i]);
    REQUIRE(lines[i]["hits"].is_array());
    REQUIRE_FALSE(lines[i]["hits"].empty());
    CHECK(lines[i]["hits"].size() <= 3);
    CHECK(lines[i]["hits"][0]["id"] == kPortalId);
    CHECK(lines[i]["hits"][0]["title"].is_string());
    CHECK(lines[i]["hits"][0]["score"].is_number());
    CHECK(lines[i]["readings"].is_array());
  }
  CHECK(lines[1]["readings"][0] == "cụm thi đua số 8");
  CHECK(read_text(err).find(batch.string() + ":2") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// 7. Diacritic restoration on its own (Searcher::restore_diacritics and `vnsearch restore`)

TEST_CASE("restore_diacritics gives the reading the search uses", "[query][restore]") {
  Searcher& searcher = bundled_searcher();
  const std::vector<std::string> restored = searcher.restore_diacritics("cum thi dua so 8");
  CHECK(restored == std::vector<std::string>{"cụm", "thi", "đua", "số", "8"});
  // Marked syllables stay as typed; nothing to restore gives nothing back.
  CHECK(searcher.restore_diacritics("Cụm thi đua")[0] == "cụm");
  CHECK(searcher.restore_diacritics("?!").empty());
}

TEST_CASE("restore --evaluate reports syllable accuracy on a labelled file", "[query][cli]") {
  const fs::path labelled = bundled_index().root() / "labelled.jsonl";
  {
    std::ofstream file(labelled);
    file << json{{"query", "Cụm thi đua số 8"}}.dump() << "\n"
         << "not json\n"
         << json{{"query", "thi đua"}}.dump() << "\n";
  }
  const fs::path out = bundled_index().root() / "restore.out";
  const fs::path err = bundled_index().root() / "restore.err";
  const int status = run_cli("restore --db " + shell_quote(bundled_index().database().string()) +
                                 " --evaluate " + shell_quote(labelled.string()),
                             out, err);
  CHECK(status == 0);
  const std::string report = read_text(out);
  INFO(report);
  // Two texts, six syllables (the number 8 is left out), all restored; the bad line is counted.
  CHECK(report.find("2 texts, 6 syllables, 100.00% restored exactly") != std::string::npos);
  CHECK(report.find("1 lines skipped") != std::string::npos);
}
