// The cue words that type an entity (docs/entities.md): language facts, not fitted to any
// query. Every cue is written as exact syllables (lower case, canonical tones).
#pragma once

#include <string_view>
#include <vector>

namespace vnsearch::indexing::cues {

using Cue = std::vector<std::string_view>;

/// Before a name: titles, ranks, kinship and professions (`ông`, `Thiếu tướng`, `Bộ trưởng`).
[[nodiscard]] const std::vector<Cue>& person_before();
/// The kinship words among them (`ông`, `bà`, `anh`): followed by given names as often as by
/// full names, where titles and offices are followed by full names or countries.
[[nodiscard]] const std::vector<Cue>& kinship();
/// Written capitalised at the start of a name and stripped from it (`Ông`, `HLV`, `GS.TS`).
[[nodiscard]] const std::vector<Cue>& person_inline();
/// Before a name: administrative units and geographic kinds (`tỉnh`, `huyện`, `TP`, `sông`).
[[nodiscard]] const std::vector<Cue>& place_before();
/// Administrative units (`tỉnh`, `xã`, `TP`, `nước`): they vouch for a one-syllable name.
[[nodiscard]] const std::vector<Cue>& place_admin();
/// Place words that belong to the name they precede (`châu Âu`, `miền Trung`).
[[nodiscard]] const std::vector<Cue>& place_bound();
/// Written capitalised at the start of a place and stripped from it (`TP`, `Tỉnh`).
[[nodiscard]] const std::vector<Cue>& place_inline();
/// Prepositions of place (`tại`, `ở`): a weak cue, used only when nothing else types the name.
[[nodiscard]] const std::vector<Cue>& place_weak();
/// Heads of organisation names, kept in the name (`Bộ`, `Công an`, `Ngân hàng`, `UBND`).
[[nodiscard]] const std::vector<Cue>& organisation_heads();
/// Heads whose name is usually one capitalised word of two syllables (`Bộ Công an`, `Sở Y tế`,
/// `Ngân hàng Nhà nước`): one lower-case syllable after a single capitalised one is kept.
[[nodiscard]] bool head_takes_lower_syllable(const Cue& head);
/// Places whose first syllable is an organisation head (`Đài Loan`, `Hội An`).
[[nodiscard]] const std::vector<Cue>& places_like_organisations();
/// Grammatical words and common verbs that never end a name's two-syllable word (`đã`, `cho`,
/// `là`): `Sở Huế cho biết` is no `Sở Huế cho`.
[[nodiscard]] bool is_function_word(std::string_view exact);
/// Heads that name one organisation on their own (`Quốc hội`, `Chính phủ`).
[[nodiscard]] bool head_stands_alone(const Cue& head);
/// The commonest Vietnamese family names (`Nguyễn`, `Trần`, `Lê`...), excluding those that also
/// begin common place names (`Hà`, `Cao`, `Lâm`, `Thái`).
[[nodiscard]] bool is_family_name(std::string_view exact);
/// Common words that begin sentences (`theo`, `trong`, `sau`): capitalised there, not names.
[[nodiscard]] bool is_sentence_starter(std::string_view exact);

}  // namespace vnsearch::indexing::cues
