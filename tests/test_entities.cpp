// Entities (docs/entities.md): extraction of people, places and organisations from capitalised
// runs and cue words; the person:/place:/org: filters with and without diacritics; the entity
// facets in results, JSON and the search page.
#include <xapian.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "entities.h"
#include "page.h"
#include "temp_dir.h"
#include "vnsearch/entity_terms.h"
#include "vnsearch/index_writer.h"
#include "vnsearch/result_json.h"
#include "vnsearch/search.h"

namespace fs = std::filesystem;
using vnsearch::indexing::Entity;
using vnsearch::indexing::extract_entities;
using vnsearch::schema::EntityType;

namespace {

const Entity* find(const std::vector<Entity>& entities, EntityType type, const std::string& key) {
  const auto it = std::find_if(entities.begin(), entities.end(), [&](const Entity& entity) {
    return entity.type == type && entity.key == key;
  });
  return it == entities.end() ? nullptr : &*it;
}

bool has_key(const std::vector<Entity>& entities, const std::string& key) {
  return std::any_of(entities.begin(), entities.end(),
                     [&](const Entity& entity) { return entity.key == key; });
}

std::string dump(const std::vector<Entity>& entities) {
  std::string out;
  for (const Entity& entity : entities) {
    out += std::string(vnsearch::schema::entity_type_name(entity.type)) + ":" + entity.key + " (" +
           entity.display + ") x" + std::to_string(entity.mentions) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a title written in sentence case ends the name before it", "[entities]") {
  const auto entities =
      extract_entities({"Sáng nay tại Hà Nội Thủ tướng Nguyễn Xuân Phúc làm việc.",
                        "Đoàn đến TP Đà Nẵng Phó Chủ tịch Trần Văn Nam tiếp đoàn."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kPlace, "hà nội"));
  CHECK(find(entities, EntityType::kPerson, "nguyễn xuân phúc"));
  CHECK(find(entities, EntityType::kPlace, "đà nẵng"));
  CHECK(find(entities, EntityType::kPerson, "trần văn nam"));
  CHECK_FALSE(has_key(entities, "hà nội thủ"));
  CHECK_FALSE(has_key(entities, "đà nẵng phó chủ"));
}

TEST_CASE("people are found after titles, ranks and kinship words", "[entities]") {
  const auto entities =
      extract_entities({"Thiếu tướng Lê Hồng Hiệp làm việc với ông Trần Văn Nam tại trụ sở.",
                        "Theo bà Nguyễn Thị Hoa, Chủ tịch nước Võ Văn Thưởng đã gửi thư."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kPerson, "lê hồng hiệp"));
  CHECK(find(entities, EntityType::kPerson, "trần văn nam"));
  CHECK(find(entities, EntityType::kPerson, "nguyễn thị hoa"));
  CHECK(find(entities, EntityType::kPerson, "võ văn thưởng"));
  // The sentence's first word is no name: `Theo` starts no entity.
  CHECK_FALSE(has_key(entities, "theo"));
  CHECK_FALSE(has_key(entities, "theo bà nguyễn thị hoa"));
}

TEST_CASE("places after administrative words, with a dash inside", "[entities]") {
  const auto entities =
      extract_entities({"Mưa lớn ở tỉnh Bà Rịa – Vũng Tàu và huyện Đông Anh, TP Hà Nội.",
                        "Đoàn công tác đến thành phố Đà Nẵng rồi về TP.HCM."});
  INFO(dump(entities));
  const Entity* brvt = find(entities, EntityType::kPlace, "bà rịa vũng tàu");
  REQUIRE(brvt);
  CHECK(brvt->display == "Bà Rịa – Vũng Tàu");
  CHECK(brvt->folded_key == "ba ria vung tau");
  CHECK(find(entities, EntityType::kPlace, "đông anh"));
  CHECK(find(entities, EntityType::kPlace, "hà nội"));
  CHECK(find(entities, EntityType::kPlace, "đà nẵng"));
  CHECK(find(entities, EntityType::kPlace, "tphcm"));  // the code's exact form, dots dropped
  // The filter side spells the key the same way from any typing.
  CHECK(vnsearch::schema::entity_key("Bà Rịa-Vũng Tàu") == "bà rịa vũng tàu");
  CHECK(vnsearch::schema::folded_entity_key("ba ria - vung tau") == "ba ria vung tau");
}

TEST_CASE("organisations keep their head word and the place they belong to", "[entities]") {
  const auto entities = extract_entities(
      {"Bộ Công an cho biết Công an tỉnh Quảng Ninh đã phối hợp với Ngân hàng Nhà nước.",
       "Đại diện UBND TP.HCM và Bệnh viện Bạch Mai dự họp cùng Bộ Công Thương."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kOrganisation, "bộ công an"));
  CHECK(find(entities, EntityType::kOrganisation, "công an tỉnh quảng ninh"));
  CHECK(find(entities, EntityType::kPlace, "quảng ninh"));
  CHECK(find(entities, EntityType::kOrganisation, "ngân hàng nhà nước"));
  CHECK(find(entities, EntityType::kOrganisation, "ubnd tphcm"));
  CHECK(find(entities, EntityType::kOrganisation, "bệnh viện bạch mai"));
  CHECK(find(entities, EntityType::kOrganisation, "bộ công thương"));
  // `Bộ trưởng` is a title, not a ministry.
  CHECK_FALSE(has_key(entities, "bộ trưởng"));
}

TEST_CASE("ministry-like names of several words, joined by và and commas", "[entities]") {
  const auto entities = extract_entities(
      {"Bộ Giao thông Vận tải, Bộ Kế hoạch và Đầu tư cùng Sở Tài nguyên và Môi trường họp.",
       "Đại diện Bộ Văn hóa, Thể thao và Du lịch và Bộ Lao động – Thương binh và Xã hội dự.",
       "Văn phòng Chính phủ gửi công văn cho Công ty Cổ phần Vận tải."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kOrganisation, "bộ giao thông vận tải"));
  CHECK(find(entities, EntityType::kOrganisation, "bộ kế hoạch và đầu tư"));
  CHECK(find(entities, EntityType::kOrganisation, "sở tài nguyên và môi trường"));
  const Entity* culture =
      find(entities, EntityType::kOrganisation, "bộ văn hóa thể thao và du lịch");
  REQUIRE(culture);
  CHECK(culture->display == "Bộ Văn hóa, Thể thao và Du lịch");
  CHECK(find(entities, EntityType::kOrganisation, "bộ lao động thương binh và xã hội"));
  CHECK(find(entities, EntityType::kOrganisation, "văn phòng chính phủ"));
  CHECK(find(entities, EntityType::kOrganisation, "công ty cổ phần vận tải"));
  CHECK_FALSE(has_key(entities, "bộ giao thông"));
  CHECK_FALSE(has_key(entities, "bộ kế hoạch"));
}

TEST_CASE("a ministry's name stops before the words of the sentence", "[entities]") {
  const auto entities =
      extract_entities({"Bộ Ngoại giao Mỹ khẳng định lập trường. Bộ Y tế và Bộ Công an đã họp.",
                        "Sở Y tế cho biết. Bộ Quốc phòng và Việt Nam ký kết."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kOrganisation, "bộ ngoại giao"));
  CHECK(find(entities, EntityType::kOrganisation, "bộ y tế"));
  CHECK(find(entities, EntityType::kOrganisation, "bộ công an"));
  CHECK(find(entities, EntityType::kOrganisation, "sở y tế"));
  CHECK(find(entities, EntityType::kOrganisation, "bộ quốc phòng"));
  CHECK_FALSE(has_key(entities, "bộ ngoại giao mỹ khẳng"));
  CHECK_FALSE(has_key(entities, "bộ y tế và bộ công an"));
  CHECK_FALSE(has_key(entities, "sở y tế cho"));
}

TEST_CASE("initials, acronyms after titles, hyphenated names, places like bodies", "[entities]") {
  const auto entities = extract_entities(
      {"Anh H. kể lại với phóng viên TTXVN rằng Tổng thống Moon Jae-in đã tới Đài Loan.",
       "Thủ tướng Chính phủ Nguyễn Xuân Phúc thăm phố cổ Hội An và UBND TP. Đà Nẵng.",
       "Lực lượng Nhà nước Hồi giáo tự xưng IS rút lui."});
  INFO(dump(entities));
  CHECK_FALSE(has_key(entities, "h"));
  CHECK_FALSE(find(entities, EntityType::kPerson, "ttxvn"));
  const Entity* moon = find(entities, EntityType::kPerson, "moon jae in");
  REQUIRE(moon);
  CHECK(moon->display == "Moon Jae-in");
  CHECK(find(entities, EntityType::kPlace, "đài loan"));
  CHECK_FALSE(find(entities, EntityType::kOrganisation, "đài loan"));
  CHECK(find(entities, EntityType::kOrganisation, "chính phủ"));
  CHECK(find(entities, EntityType::kPerson, "nguyễn xuân phúc"));
  CHECK_FALSE(has_key(entities, "chính phủ nguyễn xuân phúc"));
  CHECK_FALSE(find(entities, EntityType::kOrganisation, "hội an"));
  CHECK(find(entities, EntityType::kOrganisation, "ubnd tp đà nẵng"));
  CHECK_FALSE(find(entities, EntityType::kPlace, "hồi"));
}

TEST_CASE("a title before an organisation is the next name's", "[entities]") {
  const auto entities =
      extract_entities({"Phát biểu tại hội nghị, Bộ trưởng Bộ Công an Tô Lâm nhấn mạnh.",
                        "Hội nghị có 80 Bộ trưởng Bộ Giáo dục, Việt Nam cử đoàn tới dự."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kOrganisation, "bộ công an"));
  CHECK(find(entities, EntityType::kPerson, "tô lâm"));
  // After a comma the name is no longer the title's.
  CHECK_FALSE(find(entities, EntityType::kPerson, "việt nam"));
}

TEST_CASE("case and tone-placement variants are one entity", "[entities]") {
  // hoà / hòa: two placements of one tone; NGUYỄN in capitals.
  const auto entities = extract_entities(
      {"Ông Nguyễn Văn Hoà phát biểu.", "Sau đó ông NGUYỄN Văn Hòa trả lời báo chí."});
  INFO(dump(entities));
  const Entity* person = find(entities, EntityType::kPerson, "nguyễn văn hòa");
  REQUIRE(person);
  CHECK(person->mentions == 2);
  CHECK(std::count_if(entities.begin(), entities.end(),
                      [](const Entity& e) { return e.type == EntityType::kPerson; }) == 1);
}

TEST_CASE("an untyped mention takes the type of the same name in the article", "[entities]") {
  const auto entities =
      extract_entities({"Anh Phạm Minh Chính đến sớm.", "Khi được hỏi, Phạm Minh Chính chỉ cười."});
  INFO(dump(entities));
  const Entity* person = find(entities, EntityType::kPerson, "phạm minh chính");
  REQUIRE(person);
  CHECK(person->mentions == 2);
}

TEST_CASE("sentence-initial capitals and headlines in capitals give no entity", "[entities]") {
  const auto entities = extract_entities({"GIÁ VÀNG TĂNG MẠNH TRONG PHIÊN SÁNG NAY",
                                          "Trong khi đó, Hôm nay trời mưa. Sáng nay giá giảm."});
  INFO(dump(entities));
  CHECK(entities.empty());
}

TEST_CASE("the facet slot round-trips and skips damaged lines", "[entities]") {
  using vnsearch::schema::SlotEntity;
  const std::vector<SlotEntity> slot = {
      {EntityType::kPerson, "lê hồng hiệp", "Lê Hồng Hiệp"},
      {EntityType::kPlace, "bà rịa vũng tàu", "Bà Rịa – Vũng Tàu"}};
  const std::string bytes = vnsearch::schema::encode_slot_entities(slot);
  const auto back = vnsearch::schema::decode_slot_entities("x\tbroken\n" + bytes + "o\t\tempty\n");
  REQUIRE(back.size() == 2);
  CHECK(back[0].display == "Lê Hồng Hiệp");
  CHECK(back[1].type == EntityType::kPlace);
  CHECK(back[1].key == "bà rịa vũng tàu");
}

// ---- The bundled corpus, indexed once: filters, facets, JSON, CLI and page.

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;

class CorpusIndex {
 public:
  CorpusIndex() : dir_("vnsearch-entities") {
    vnsearch::IndexOptions options;
    const fs::path inputs[] = {kSourceDir / "corpus" / "news-sample.jsonl"};
    const auto summary = vnsearch::index_paths(dir_.path() / "db", inputs, options, nullptr, {});
    if (summary.documents_in_index == 0) throw std::runtime_error("bundled corpus index is empty");
  }
  fs::path database() const { return dir_.path() / "db"; }
  const fs::path& root() const { return dir_.path(); }

 private:
  vnsearch::test::TempDir dir_;
};

const CorpusIndex& corpus() {
  static const CorpusIndex index;
  return index;
}

vnsearch::Searcher& searcher() {
  static vnsearch::Searcher instance(corpus().database());
  return instance;
}

std::vector<std::string> ids_of(const std::string& query, vnsearch::SearchFilters filters = {}) {
  vnsearch::SearchOptions options;
  options.limit = 1000;
  options.snippets = false;
  options.filters = std::move(filters);
  std::vector<std::string> ids;
  for (const auto& hit : searcher().search(query, options).hits) ids.push_back(hit.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

const vnsearch::FacetCount* facet_value(const vnsearch::SearchResult& result,
                                        const std::string& facet, const std::string& value) {
  const auto found = result.facets.find(facet);
  if (found == result.facets.end()) return nullptr;
  for (const auto& count : found->second) {
    if (count.value == value) return &count;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("entity filters match with and without diacritics", "[entities][search]") {
  // The bundled corpus names Thừa Thiên Huế, Donald Trump and Bộ Công an in several articles.
  const auto hue = ids_of("place:\"Thừa Thiên Huế\"");
  CHECK(hue.size() >= 5);
  CHECK(ids_of("place:\"thua thien hue\"") == hue);
  CHECK(ids_of("place:\"THỪA THIÊN HUẾ\"") == hue);
  const auto trump = ids_of("person:\"Donald Trump\"");
  CHECK(trump.size() >= 5);
  CHECK(ids_of("person:\"donald trump\"") == trump);
  // Unquoted: the words after the value complete a name some article has.
  CHECK(ids_of("person:donald trump") == trump);
  const auto police = ids_of("org:\"Bộ Công an\"");
  CHECK(police.size() >= 3);
  CHECK(ids_of("org:\"bo cong an\"") == police);
  // The type matters: Huế's province is no person.
  CHECK(ids_of("person:\"thua thien hue\"").empty());
  // The API's and page's parameters give what the query language gives.
  vnsearch::SearchFilters filters;
  filters.places = {"thua thien hue"};
  CHECK(ids_of("", filters) == hue);
  // A filter narrows a word search to the articles naming the place.
  const auto narrowed = ids_of("công an place:\"thua thien hue\"");
  CHECK_FALSE(narrowed.empty());
  CHECK(std::includes(hue.begin(), hue.end(), narrowed.begin(), narrowed.end()));
}

TEST_CASE("entity facets count the matches naming each entity", "[entities][search]") {
  vnsearch::SearchOptions options;
  options.facets = true;
  options.limit = 5;
  const auto result = searcher().search("Huế", options);
  REQUIRE(result.facets.count("place"));
  REQUIRE(result.facets.count("person"));
  REQUIRE(result.facets.count("org"));
  const auto* hue = facet_value(result, "place", "Thừa Thiên Huế");
  REQUIRE(hue);
  CHECK(hue->count > 0);
  // Counted over every match: as many as the filtered query finds, never more.
  CHECK(hue->count <= ids_of("Huế place:\"thua thien hue\"").size());
  CHECK(hue->count <= result.estimated_matches);
  // Most named first.
  const auto& places = result.facets.at("place");
  CHECK(std::is_sorted(places.begin(), places.end(),
                       [](const auto& a, const auto& b) { return a.count > b.count; }));
  // The JSON the API returns carries them.
  const auto json = vnsearch::result_to_json(result, {});
  REQUIRE(json["facets"].contains("place"));
  bool found = false;
  for (const auto& value : json["facets"]["place"]) {
    found = found || value["value"] == "Thừa Thiên Huế";
  }
  CHECK(found);
}

TEST_CASE("vnsearch search --facets prints the entity facets", "[entities][cli]") {
  const auto child = vnsearch::test::run_child(
      VNSEARCH_BINARY, {"search", "--db", corpus().database().string(), "--facets", "Huế"},
      corpus().root(), false, {}, std::chrono::seconds(60));
  REQUIRE_FALSE(child.timed_out);
  CHECK(child.exit_code() == 0);
  CHECK(child.out.find("\nplace: ") != std::string::npos);
  CHECK(child.out.find("Thừa Thiên Huế (") != std::string::npos);
  CHECK(child.out.find("\nperson: ") != std::string::npos);
  CHECK(child.out.find("\norg: ") != std::string::npos);
}

TEST_CASE("the page links each entity to its filter and escapes it", "[entities][server]") {
  vnsearch::SearchResult result;
  result.estimated_matches = 1;
  result.facets["person"] = {{"<script>alert(1)</script>", 3}};
  result.facets["place"] = {{"Bà Rịa – Vũng Tàu", 2}};
  vnsearch::server::SearchRequest request;
  request.query = "tin";
  vnsearch::server::PageInput input;
  input.messages = &vnsearch::server::vietnamese();
  input.request = &request;
  input.result = &result;
  const std::string page = vnsearch::server::render_page(input);
  CHECK(page.find("<script>alert(1)") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("Nhân vật") != std::string::npos);
  CHECK(page.find("Địa danh") != std::string::npos);
  // The link filters on the value (URL-encoded in the href).
  CHECK(page.find("person=%3Cscript%3E") != std::string::npos);
  CHECK(page.find("place=B%C3%A0%20R%E1%BB%8Ba") != std::string::npos);
}
