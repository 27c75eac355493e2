// Entities (docs/entities.md): extraction of people, places and organisations from capitalised
// runs and cue words; the person:/place:/org: filters with and without diacritics; the entity
// facets in results, JSON and the search page.
#include <xapian.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "entities.h"
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

TEST_CASE("a title before an organisation is the next name's", "[entities]") {
  const auto entities =
      extract_entities({"Phát biểu tại hội nghị, Bộ trưởng Bộ Công an Tô Lâm nhấn mạnh."});
  INFO(dump(entities));
  CHECK(find(entities, EntityType::kOrganisation, "bộ công an"));
  CHECK(find(entities, EntityType::kPerson, "tô lâm"));
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
