// Long prose queries (issue 14, the same-event set): a pasted lead's quotes and signs are not
// operators (query/src/prose_query.*), its top hits' distinctive words re-weight the matches
// (feedback_expansion.*). On the bundled corpus's first 60 articles, which hold the newsmds-001
// event (three articles).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "corpus_sample.h"
#include "feedback_expansion.h"
#include "prose_query.h"
#include "ranking.h"
#include "scoped_env.h"
#include "temp_dir.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/search.h"

namespace {

namespace q = vnsearch::query;
namespace fs = std::filesystem;

// The lead of newsmds-001-1 with a quotation no article holds verbatim (28 words): as
// operators, the quotes would require it as a phrase and nothing would match.
constexpr const char* kQuotingLead =
    "Quân đội Israel tuyên bố phát hiện đường hầm Hamas từng giam con tin tại thành phố Khan "
    "Younis, \"nơi có phòng giam, tường lát gạch và cả bếp riêng\", -theo IDF.";

using vnsearch::test::ScopedEnv;

struct SampleIndex {
  vnsearch::test::TempDir dir{"test_long_queries"};
  fs::path database = dir / "db";
  SampleIndex() {
    vnsearch::IndexOptions options;
    options.analysis_threads = 2;
    const vnsearch::IssueSink issues = [](const vnsearch::ReadIssue&) {
      return vnsearch::ReadFlow::kContinue;
    };
    const std::vector<fs::path> inputs = {vnsearch::test::corpus_sample(dir, 60)};
    const auto summary = vnsearch::index_paths(database, inputs, options, issues, {});
    REQUIRE(summary.documents_in_index > 0);
  }
};

const SampleIndex& sample_index() {
  static const SampleIndex index;
  return index;
}

}  // namespace

TEST_CASE("words are counted between spaces, punctuation alone is no word", "[long_queries]") {
  CHECK(q::count_words("") == 0);
  CHECK(q::count_words("  thi   đua ") == 2);
  CHECK(q::count_words("a - b \" , c") == 3);
  CHECK(q::count_words("Hà Nội, \"đẹp\"") == 3);
}

TEST_CASE("a query of more than 16 words is prose: quotes and signs are text", "[long_queries]") {
  std::vector<std::string> notes;
  const std::string short_query = "\"thi đua\" -khen +thưởng năm 2023";
  CHECK(q::prose_as_text(short_query, notes) == short_query);
  CHECK(notes.empty());
  const std::string prose = q::prose_as_text(kQuotingLead, notes);
  CHECK(prose.find('"') == std::string::npos);
  CHECK(prose.find(" -theo") == std::string::npos);
  CHECK(prose.find("Khan Younis,") != std::string::npos);  // everything else as it was
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("16 words") != std::string::npos);
}

TEST_CASE("a long query written with operators keeps them", "[long_queries]") {
  std::vector<std::string> notes;
  // Eighteen words each, but a journalist's: fields, boolean words, wildcards mean what they say.
  const std::vector<std::string> operator_queries = {
      "(\"Nguyễn Văn An\" OR \"Trần Văn Bình\" OR \"Lê Văn Cường\" OR \"Phạm Văn Dũng\") AND "
      "tham nhũng",
      "kết quả thi đua khen thưởng của các đơn vị công an trong năm qua \"cụm thi đua\" "
      "-source:vnexpress",
      "kết quả thi đua khen thưởng của các đơn vị công an trong năm qua trên cả nước "
      "title:\"thi đua\"",
      "\"cụm thi đua\" NEAR/5 \"Bộ Công an\" tổng kết phong trào năm 2020 của lực lượng công an "
      "cả nước",
      "\"thi đua\" khen thưởng của các đơn vị công an trong năm qua trên cả nước và địa phương "
      "thưở*"};
  for (const std::string& query : operator_queries) {
    INFO(query);
    CHECK(q::count_words(query) > q::kProseWords);
    CHECK(q::uses_operators(query));
    CHECK(q::prose_as_text(query, notes) == query);
  }
  CHECK(notes.empty());
  // Brackets and a colon after an ordinary word are prose.
  const std::string lead =
      "Hà Nội (TTXVN): Bộ trưởng nói \"đây là bước ngoặt\" của ngành trong năm qua, theo báo cáo "
      "gửi Chính phủ";
  CHECK_FALSE(q::uses_operators(lead));
  CHECK(q::prose_as_text(lead, notes).find('"') == std::string::npos);
}

TEST_CASE("a pasted lead with a quotation finds its event", "[long_queries]") {
  vnsearch::Searcher searcher(sample_index().database);
  vnsearch::SearchOptions options;
  options.limit = 5;
  const vnsearch::SearchResult prose = searcher.search(kQuotingLead, options);
  REQUIRE_FALSE(prose.hits.empty());
  CHECK(prose.hits[0].id.rfind("newsmds-001-", 0) == 0);
  // The same quotation in a short query is a required phrase, which no article holds.
  const vnsearch::SearchResult phrase =
      searcher.search("Israel \"nơi có phòng giam, tường lát gạch và cả bếp riêng\"", options);
  CHECK(phrase.hits.empty());
}

TEST_CASE("feedback orders a long statement the same with facets as without", "[long_queries]") {
  vnsearch::SearchOptions plain;
  plain.limit = 10;
  vnsearch::SearchOptions counted = plain;
  counted.facets = true;  // the search page always counts facets and the timeline
  counted.timeline = true;
  const auto ids = [](const vnsearch::SearchResult& result) {
    std::vector<std::string> out;
    for (const auto& hit : result.hits) out.push_back(hit.id);
    return out;
  };
  const std::string question = std::string(kQuotingLead) + " Vậy đường hầm ở đâu?";
  std::vector<std::string> without, question_without;
  {
    ScopedEnv env("VNSEARCH_RANKING", "feedback=0");
    vnsearch::Searcher searcher(sample_index().database);
    without = ids(searcher.search(kQuotingLead, plain));
    question_without = ids(searcher.search(question, plain));
  }
  vnsearch::Searcher searcher(sample_index().database);
  const std::vector<std::string> with = ids(searcher.search(kQuotingLead, plain));
  INFO("without feedback: " << nlohmann::json(without).dump());
  INFO("with feedback: " << nlohmann::json(with).dump());
  CHECK(with != without);  // here feedback moves the event's other articles
  CHECK(ids(searcher.search(kQuotingLead, counted)) == with);
  CHECK(ids(searcher.search(question, plain)) == question_without);  // a question: none
}

TEST_CASE("feedback expansion adds the top hits' own words, weighted", "[long_queries]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const auto add = [&](const std::vector<std::string>& terms) {
    Xapian::Document document;
    for (const std::string& term : terms) document.add_term(term);
    db.add_document(document);
  };
  add({"hamas", "đường", "hầm", "Fhầm", "Qid"});
  add({"hamas", "con", "tin"});
  for (int i = 0; i < 20; ++i) add({"đường", "con", "x"});
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("hamas"));
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  q::FeedbackOptions options;
  options.documents = 0;
  CHECK(q::feedback_query(db, mset, options).empty());  // off
  options.documents = 2;
  const std::string description = q::feedback_query(db, mset, options).get_description();
  CHECK(description.find("hamas") != std::string::npos);
  CHECK(description.find("hầm") != std::string::npos);
  CHECK(description.find("Fhầm") == std::string::npos);  // prefixed terms are not words
  CHECK(description.find("Qid") == std::string::npos);
  CHECK(description.find("x") == std::string::npos);  // in no top hit
}

TEST_CASE("long leads get feedback by default, and it can be turned off", "[long_queries]") {
  CHECK(q::asks_question("Những hành động nào đã được thực hiện để phòng trừ dịch bệnh?"));
  CHECK_FALSE(q::asks_question(kQuotingLead));  // a statement: feedback
  CHECK(q::asks_question("Vì sao \"cơn sốt\" đất nền lại bùng phát? "));
  CHECK(q::asks_question("Ông ấy hỏi: \u201CVì sao?\u201D"));
  CHECK(q::asks_question("Vì sao giá vàng tăng\uFF1F"));  // full-width, typed on a phone
  CHECK_FALSE(q::asks_question("Ông hỏi \"vì sao?\" rồi kể lại câu chuyện của mình"));
  const q::RankingParameters defaults;
  CHECK(defaults.feedback.documents == 3);
  CHECK(defaults.feedback.min_units == 17);
  ScopedEnv env("VNSEARCH_RANKING", "feedback=0,feedback_weight=0.25");
  const q::RankingParameters tuned = q::ranking_from_environment();
  CHECK(tuned.feedback.documents == 0);
  CHECK(tuned.feedback.weight == 0.25);
}
