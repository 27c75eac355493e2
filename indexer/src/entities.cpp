#include "entities.h"

#include <algorithm>
#include <map>
#include <optional>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "entity_cues.h"
#include "vnsearch/schema.h"

namespace vnsearch::indexing {
namespace {

using schema::EntityType;
using Unit = EntityCollector::Unit;
using Units = std::vector<Unit>;

// Longer runs of capitalised words are headlines or English titles, not names.
constexpr std::size_t kMaxNameUnits = 8;
// A field with at least this many words, this share of them capitalised, is written in
// capitals or Title Case: its capitals say nothing about names.
constexpr std::size_t kShoutingMinWords = 5;
constexpr double kShoutingShare = 0.7;
// The slot holds this many entities of a document (the facets count them); terms hold all.
constexpr std::size_t kMaxSlotEntities = 32;

bool first_letter_upper(std::string_view text) {
  std::int32_t at = 0;
  const auto length = static_cast<std::int32_t>(std::min<std::size_t>(text.size(), 1 << 20));
  while (at < length) {
    UChar32 c = 0;
    U8_NEXT(text.data(), at, length, c);
    if (c < 0) return false;
    if (u_isalpha(c)) return u_isupper(c) != 0;
  }
  return false;
}

bool is_space_at(std::string_view gap, std::size_t& at) {
  if (gap[at] == ' ' || gap[at] == '\t') {
    ++at;
    return true;
  }
  if (gap.substr(at, 2) == "\xC2\xA0") {  // no-break space
    at += 2;
    return true;
  }
  return false;
}

// How the text between two words of one sentence joins them.
enum class Join {
  kNone,
  kSpace,   // spaces only
  kDash,    // a dash with spaces on both sides (`Bà Rịa – Vũng Tàu`), or an en/em dash bare
  kHyphen,  // a bare hyphen (`Bà Rịa-Vũng Tàu`, `Jae-in`)
  kComma,   // a comma and spaces: breaks a name, but lists the words of a ministry's name
};

Join join_kind(std::string_view gap) {
  std::size_t at = 0, spaces_before = 0;
  while (at < gap.size() && is_space_at(gap, at)) ++spaces_before;
  if (at == gap.size()) return spaces_before > 0 ? Join::kSpace : Join::kNone;
  std::size_t dash = 0;
  if (gap[at] == ',') {
    std::size_t spaces_after = 0;
    ++at;
    while (at < gap.size() && is_space_at(gap, at)) ++spaces_after;
    return at == gap.size() && spaces_before == 0 && spaces_after > 0 ? Join::kComma : Join::kNone;
  }
  if (gap[at] == '-') {
    dash = 1;
  } else if (gap.substr(at, 3) == "\xE2\x80\x93" || gap.substr(at, 3) == "\xE2\x80\x94") {
    dash = 3;  // en dash, em dash
  } else {
    return Join::kNone;
  }
  at += dash;
  std::size_t spaces_after = 0;
  while (at < gap.size() && is_space_at(gap, at)) ++spaces_after;
  if (at != gap.size() || (spaces_before > 0) != (spaces_after > 0)) return Join::kNone;
  return spaces_before == 0 && dash == 1 ? Join::kHyphen : Join::kDash;
}

// `UBND TP. Hà Nội`: the abbreviation's dot is no sentence end.
bool abbreviation_dot(const std::string& previous_exact, std::string_view gap) {
  if (previous_exact != "tp" || gap.size() < 2 || gap[0] != '.') return false;
  std::size_t at = 1, spaces = 0;
  while (at < gap.size() && is_space_at(gap, at)) ++spaces;
  return spaces > 0 && at == gap.size();
}

Unit make_unit(std::string_view text, const Token& token) {
  Unit unit;
  unit.exact = token.exact;
  unit.folded = token.folded;
  unit.surface = std::string(text.substr(token.start, token.end - token.start));
  unit.capital = first_letter_upper(unit.surface);
  unit.syllable = token.kind == TokenKind::kWord && is_vietnamese_syllable(unit.surface);
  return unit;
}

// `TP.HCM`, `Tp.Cần Thơ`: thành phố, abbreviated, joined to the name.
bool is_city_code(std::string_view surface) {
  return surface.size() > 3 && (surface[0] == 'T' || surface[0] == 't') &&
         (surface[1] == 'P' || surface[1] == 'p') && surface[2] == '.';
}

// The length of the longest cue of `cues` written at units[at...] (joined words), or 0.
std::size_t cue_at(const Units& units, std::size_t at, const std::vector<cues::Cue>& cues,
                   const cues::Cue** which = nullptr) {
  std::size_t best = 0;
  for (const cues::Cue& cue : cues) {
    if (cue.size() <= best || at + cue.size() > units.size()) continue;
    bool match = true;
    for (std::size_t k = 0; k < cue.size() && match; ++k) {
      match = units[at + k].exact == cue[k] && (k == 0 || units[at + k].joined);
    }
    if (match) {
      best = cue.size();
      if (which) *which = &cue;
    }
  }
  return best;
}

// The length of the longest cue of `cues` written just before units[at], joined to it; 0 for
// none. The longest wins between types: `Chủ tịch nước Võ Văn Thưởng` (a title) against
// `nước Mỹ` (a country).
std::size_t cue_before(const Units& units, std::size_t at, const std::vector<cues::Cue>& cues) {
  if (at == 0 || at >= units.size() || !units[at].joined) return 0;
  std::size_t best = 0;
  for (const cues::Cue& cue : cues) {
    if (cue.size() > at || cue.size() <= best) continue;
    const std::size_t first = at - cue.size();
    bool match = true;
    for (std::size_t k = 0; k < cue.size() && match; ++k) {
      match = units[first + k].exact == cue[k] && (k == 0 || units[first + k].joined);
    }
    if (match) best = cue.size();
  }
  return best;
}

// End of the run of joined capitalised words from `begin`. A family name after two or more of
// them starts a new run when two to four capitalised words follow from it: `UBND tỉnh Quảng
// Ninh Nguyễn Văn A` names a place, then a person. A lower-case part joined by a bare hyphen
// belongs to the word before it (`Moon Jae-in`, `Kim Jong-un`). A title written in sentence case
// ends it (`Hà Nội Thủ tướng`).
std::size_t run_end(const Units& units, std::size_t begin) {
  std::size_t end = begin;
  while (end < units.size()) {
    const Unit& unit = units[end];
    const bool word_goes_on = end > begin && unit.hyphen && !unit.capital && !unit.surface.empty();
    if (!word_goes_on && !(unit.capital && (end == begin || unit.joined))) break;
    // `tại Hà Nội Thủ tướng Nguyễn Xuân Phúc`: a title written with one capital (its last
    // syllable in lower case) ends the name before it, and then names the one after it.
    if (end > begin && unit.capital) {
      const std::size_t title = cue_at(units, end, cues::person_before());
      if (title >= 2 && !units[end + title - 1].capital) break;
    }
    if (unit.capital && end - begin >= 2 && cues::is_family_name(unit.exact)) {
      std::size_t rest = end + 1;
      while (rest < units.size() && units[rest].capital && units[rest].joined) ++rest;
      if (rest - end >= 2 && rest - end <= 4) break;
    }
    ++end;
  }
  return end;
}

struct Mention {
  std::optional<EntityType> type;
  bool weak_place = false;  // after `tại`, `ở`...
  std::size_t begin = 0, end = 0;
};

class FieldScanner {
 public:
  FieldScanner(const Units& units, const std::unordered_set<std::string>& lower_words)
      : units_(units), lower_words_(lower_words) {}

  std::vector<Mention> scan() {
    std::size_t at = 0;
    while (at < units_.size()) {
      if (!units_[at].capital) {
        ++at;
      } else if (const std::size_t next = organisation(at); next > at) {
        at = next;
      } else {
        at = name(at);
      }
    }
    return std::move(mentions_);
  }

 private:
  // An organisation head at `at` and its name: returns the unit after it, or `at` when none.
  std::size_t organisation(std::size_t at) {
    const cues::Cue* head = nullptr;
    const std::size_t head_length = cue_at(units_, at, cues::organisation_heads(), &head);
    if (head_length == 0) return at;
    // `Đài Loan`, `Hội An`: places whose first syllable is also an organisation's head.
    if (cue_at(units_, at, cues::places_like_organisations()) > 0) return at;
    const std::size_t name_begin = at + head_length;
    std::size_t end = name_begin;
    if (end < units_.size() && units_[end].joined) end = std::min(run_end(units_, end), end + 6);
    // `Thủ tướng Chính phủ Nguyễn Xuân Phúc`: a body named by its head alone, then a person.
    if (cues::head_stands_alone(*head) && end > name_begin &&
        cues::is_family_name(units_[name_begin].exact)) {
      end = name_begin;
    }
    const std::size_t capitals = end - name_begin;
    // `Bộ Công an`, `Sở Y tế`: a two-syllable word written with one capital.
    const bool titled = cue_before(units_, at, cues::person_before()) > 0;
    if (capitals == 1 && cues::head_takes_lower_syllable(*head) && lower_half_at(end - 1)) {
      ++end;
      // `Bộ Giao thông Vận tải`, `Bộ Kế hoạch và Đầu tư`: more words of the same name.
      end = more_name_words(end);
      // `Sở Y tế Hà Nội`, `Bệnh viện Trung ương Huế`: a short name after it is the body's
      // place, unless it is the person a title before the body introduces.
      if (!titled && end < units_.size() && units_[end].capital && units_[end].joined &&
          !cues::is_family_name(units_[end].exact)) {
        const std::size_t more = run_end(units_, end);
        // Not when a lower-case syllable follows: `Bộ Văn hóa Thể thao` is one more word.
        const bool word_goes_on = more < units_.size() && units_[more].joined &&
                                  !units_[more].capital && units_[more].syllable;
        if (more - end <= 2 && !word_goes_on) end = more;
      }
    }
    // `UBND tỉnh Quảng Ninh`, `Công an huyện Đông Anh`: the place is part of the name, and a
    // place of its own.
    if (end < units_.size() && units_[end].joined && !units_[end].capital) {
      const std::size_t level = cue_at(units_, end, cues::place_before());
      const std::size_t place = end + level;
      if (level > 0 && place < units_.size() && units_[place].capital && units_[place].joined) {
        const std::size_t place_end = std::min(run_end(units_, place), place + 5);
        mentions_.push_back({EntityType::kPlace, false, place, place_end});
        end = place_end;
      }
    }
    if (end == name_begin && !cues::head_stands_alone(*head)) return at;
    if (end - at > kMaxNameUnits + head_length) return at;
    mentions_.push_back({EntityType::kOrganisation, false, at, end});
    // `Bộ trưởng Bộ Công an Tô Lâm`: the title before the organisation is the person's.
    person_after_ = titled ? end : npos;
    return end;
  }

  // units_[at] is a capitalised Vietnamese syllable and the next one the lower-case half of its
  // word (`Công an`, `Vận tải`), not a grammatical word (`Sở Huế cho biết`).
  bool lower_half_at(std::size_t at) const {
    return at + 1 < units_.size() && units_[at].capital && units_[at].syllable &&
           units_[at + 1].joined && !units_[at + 1].capital && units_[at + 1].syllable &&
           !cues::is_function_word(units_[at + 1].exact);
  }

  // A word of a ministry-like name at `at`: a capitalised syllable and its lower-case half that
  // starts no other organisation or person. Unless `và` or a comma vouches for it, it must also
  // end where a name can end, not inside a phrase going on in lower case (`Bộ Ngoại giao Mỹ
  // khẳng định` adds nothing).
  bool name_word_at(std::size_t at, bool vouched) const {
    if (!lower_half_at(at) || cues::is_family_name(units_[at].exact) ||
        cue_at(units_, at, cues::organisation_heads()) > 0) {
      return false;
    }
    const std::size_t after = at + 2;
    return vouched || after >= units_.size() || !units_[after].joined || units_[after].capital ||
           !units_[after].syllable || cues::is_function_word(units_[after].exact);
  }

  // The end of a ministry-like name whose first word ends before `at`: more capitalised words
  // (`Giao thông Vận tải`, `Lao động – Thương binh`), and a last word after `và`, alone or
  // closing a list written with commas (`Kế hoạch và Đầu tư`, `Văn hóa, Thể thao và Du lịch`).
  std::size_t more_name_words(std::size_t at) const {
    std::size_t end = at;
    while (end < units_.size() && units_[end].joined && name_word_at(end, false)) end += 2;
    const auto closes_with_and = [&](std::size_t k) {
      return k + 1 < units_.size() && units_[k].joined && units_[k].exact == "và" &&
             units_[k + 1].joined && name_word_at(k + 1, true);
    };
    if (closes_with_and(end)) return end + 3;
    std::size_t list = end;
    while (list < units_.size() && units_[list].after_comma && name_word_at(list, true)) list += 2;
    if (list > end && closes_with_and(list)) return list + 3;
    return end;
  }

  // A run of capitalised words at `at` that is no organisation: returns the unit after it.
  std::size_t name(std::size_t at) {
    // A sentence's first word is capitalised anyway: a common word there starts no name.
    if (units_[at].sentence_start &&
        (cues::is_sentence_starter(units_[at].exact) || lower_words_.count(units_[at].exact))) {
      // It may still be a title written in capitals (`Ông Nguyễn Văn A`).
      const std::size_t cue = cue_at(units_, at, cues::person_inline());
      if (cue == 0 || !all_capital(at, at + cue)) return at + 1;
    }
    std::optional<EntityType> type;
    std::size_t begin = at;
    const std::size_t person_cue = cue_before(units_, at, cues::person_before());
    const std::size_t place_cue = place_cue_before(at);
    if (const std::size_t place = cue_at(units_, at, cues::place_inline());
        place > 0 && all_capital(at, at + place)) {
      type = EntityType::kPlace;  // `TP Hà Nội`: the name is `Hà Nội`
      begin += place;
    } else if (place_cue > person_cue) {
      type = EntityType::kPlace;  // `tỉnh Bà Rịa`: `Bà` here is no title
    } else if (const std::size_t cue = cue_at(units_, at, cues::person_inline());
               cue > 0 && all_capital(at, at + cue)) {
      type = EntityType::kPerson;
      begin += cue;
    }
    if (begin >= units_.size() || !units_[begin].capital || (begin > at && !units_[begin].joined)) {
      return std::max(begin, at + 1);
    }
    const std::size_t end = run_end(units_, begin);
    if (end - begin > kMaxNameUnits) return end;
    if (!type && cue_at(units_, begin, cues::places_like_organisations()) == end - begin) {
      type = EntityType::kPlace;  // `Đài Loan`
    }
    Mention mention{type, false, begin, end};
    if (!mention.type) {
      const std::size_t person = cue_before(units_, begin, cues::person_before());
      const std::size_t place = place_cue_before(begin);
      // `Bộ trưởng Bộ Công an Tô Lâm`, but not `Bộ trưởng Bộ Giáo dục, Việt Nam`: the title's
      // person follows the organisation directly.
      const bool titled = person_after_ == begin && units_[begin].joined;
      if (titled || (person > 0 && person >= place)) {
        mention.type = EntityType::kPerson;
        if (!titled && !cue_before(units_, begin, cues::kinship())) {
          return after_title(mention);
        }
      } else if (place > 0) {
        mention.type = EntityType::kPlace;
      } else if (end - begin == 1 && is_city_code(units_[begin].surface)) {
        mention.type = EntityType::kPlace;  // `TP.HCM`: thành phố Hồ Chí Minh
      } else {
        mention.weak_place = cue_before(units_, begin, cues::place_weak()) > 0;
      }
    }
    // `châu Âu`, `miền Trung`: the word before is part of the name.
    if (mention.type == EntityType::kPlace && begin == at &&
        cue_before(units_, begin, cues::place_bound()) > 0) {
      mention.begin = begin - 1;
    } else if ((mention.type || mention.weak_place) && end - begin == 1 && end < units_.size() &&
               units_[end].joined && !units_[end].capital && units_[end].syllable &&
               units_[begin].syllable && cue_before(units_, begin, cues::place_admin()) == 0 &&
               cue_before(units_, begin, cues::kinship()) == 0) {
      // `vùng Thủ đô`, `tại Khu lưu niệm`: one capital before a lower-case syllable is a
      // common noun written with a capital; only a kinship or administrative word vouches.
      mention.type.reset();
      mention.weak_place = false;
    }
    mentions_.push_back(mention);
    return end;
  }

  // A name after a title or office (not a kinship word): `Tổng thống Mỹ Donald Trump` names
  // a country, then a person; `Thủ tướng Anh` only a country (left untyped for the article to
  // decide). Vietnamese officials are named in full, from the family name.
  std::size_t after_title(Mention mention) {
    const std::size_t end = mention.end;
    std::size_t vietnamese = mention.begin;
    while (vietnamese < end && units_[vietnamese].syllable) ++vietnamese;
    if (vietnamese > mention.begin && vietnamese < end && vietnamese - mention.begin <= 2) {
      // Vietnamese words, then foreign ones: the place, then the person.
      mentions_.push_back({std::nullopt, false, mention.begin, vietnamese});
      mentions_.push_back({EntityType::kPerson, false, vietnamese, end});
      return end;
    }
    if (vietnamese == end && end - mention.begin <= 2 &&
        !cues::is_family_name(units_[mention.begin].exact)) {
      mention.type.reset();
      mention.weak_place = false;
    }
    mentions_.push_back(mention);
    return end;
  }

  // A place cue before units_[at], but not the `nước` of `nhà nước` (the state: `Nhà nước Hồi
  // giáo` is no country).
  std::size_t place_cue_before(std::size_t at) const {
    const std::size_t cue = cue_before(units_, at, cues::place_before());
    if (cue == 1 && units_[at - 1].exact == "nước" && at >= 2 && units_[at - 1].joined &&
        units_[at - 2].exact == "nhà") {
      return 0;
    }
    return cue;
  }

  bool all_capital(std::size_t begin, std::size_t end) const {
    for (std::size_t i = begin; i < end; ++i) {
      if (!units_[i].capital) return false;
    }
    return true;
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const Units& units_;
  const std::unordered_set<std::string>& lower_words_;
  std::vector<Mention> mentions_;
  std::size_t person_after_ = npos;
};

// What the document says about one key.
struct KeyVotes {
  std::string folded;
  std::map<EntityType, std::uint32_t> typed;
  std::uint32_t untyped = 0, weak_place = 0;
  std::map<std::string, std::uint32_t> displays;
  bool family_name_form = false;  // 3-4 Vietnamese syllables, the first a family name
};

struct LetterCase {
  std::size_t letters = 0, upper = 0;
};

LetterCase letter_case(std::string_view text) {
  LetterCase out;
  std::int32_t at = 0;
  const auto length = static_cast<std::int32_t>(std::min<std::size_t>(text.size(), 1 << 20));
  while (at < length) {
    UChar32 c = 0;
    U8_NEXT(text.data(), at, length, c);
    if (c < 0 || !u_isalpha(c)) continue;
    ++out.letters;
    if (u_isupper(c)) ++out.upper;
  }
  return out;
}

std::string display_of(const Units& units, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin && units[i].hyphen && !units[i].capital) {
      out += '-';  // `Jae-in`
    } else if (i > begin) {
      out += units[i].dash ? " – " : units[i].after_comma ? ", " : " ";
    }
    out += units[i].surface;
  }
  return out;
}

}  // namespace

void EntityCollector::add_field(std::string_view text, const std::vector<Token>& tokens) {
  Units units;
  std::size_t words = 0, capitals = 0;
  std::uint32_t sentence = 0;
  std::size_t previous_end = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.role == TokenRole::kPart || token.exact.empty() || token.end > text.size()) continue;
    if (token.kind != TokenKind::kWord && token.kind != TokenKind::kCode) {
      // Numbers, dates, urls break names; a unit that cannot join anything.
      Unit breaker;
      breaker.exact = token.exact;
      breaker.folded = token.folded;
      units.push_back(std::move(breaker));
      previous_end = token.end;
      sentence = token.sentence;
      continue;
    }
    // `Rịa-Vũng` is one code token; its words are the name's words.
    std::size_t parts_end = i + 1;
    while (parts_end < tokens.size() && tokens[parts_end].role == TokenRole::kPart) ++parts_end;
    const bool split = schema::splits_into_words(text, tokens, i, parts_end);
    const std::size_t first = split ? i + 1 : i, last = split ? parts_end : i + 1;
    for (std::size_t p = first; p < last; ++p) {
      Unit unit = make_unit(text, tokens[p]);
      const std::string_view gap = !units.empty() && tokens[p].start >= previous_end
                                       ? text.substr(previous_end, tokens[p].start - previous_end)
                                       : std::string_view();
      const bool abbreviated = !units.empty() && abbreviation_dot(units.back().exact, gap);
      const bool same_sentence = !units.empty() && (tokens[p].sentence == sentence || abbreviated);
      const Join join = abbreviated                                        ? Join::kSpace
                        : same_sentence && tokens[p].start >= previous_end ? join_kind(gap)
                                                                           : Join::kNone;
      unit.joined = join != Join::kNone && join != Join::kComma;
      unit.dash = join == Join::kDash || join == Join::kHyphen;
      unit.hyphen = join == Join::kHyphen;
      unit.after_comma = join == Join::kComma;
      unit.sentence_start = !same_sentence;
      sentence = tokens[p].sentence;
      previous_end = tokens[p].end;
      if (token.kind == TokenKind::kWord) ++words;
      if (unit.capital && token.kind == TokenKind::kWord) ++capitals;
      units.push_back(std::move(unit));
    }
    i = parts_end - 1;
  }
  if (words >= kShoutingMinWords &&
      static_cast<double>(capitals) >= kShoutingShare * static_cast<double>(words)) {
    return;
  }
  for (const Unit& unit : units) {
    if (!unit.capital && !unit.surface.empty()) lower_words_.insert(unit.exact);
  }
  fields_.push_back(std::move(units));
}

std::vector<Entity> EntityCollector::finish() const {
  std::map<std::string, KeyVotes> votes;
  for (const Units& units : fields_) {
    for (const Mention& mention : FieldScanner(units, lower_words_).scan()) {
      std::string key, folded;
      bool vietnamese = true;
      for (std::size_t i = mention.begin; i < mention.end; ++i) {
        if (i > mention.begin) {
          key += ' ';
          folded += ' ';
        }
        key += units[i].exact;
        folded += units[i].folded;
        vietnamese = vietnamese && units[i].syllable;
      }
      if (key.empty() || key.size() > schema::kMaxTermBytes) continue;
      const std::size_t length = mention.end - mention.begin;
      const LetterCase letters =
          length == 1 ? letter_case(units[mention.begin].surface) : LetterCase{};
      if (length == 1 && letters.letters == 1) continue;  // an initial: `anh H.`
      // `phóng viên TTXVN`, `Chủ tịch UBND`: an acronym after a title is a body, not a person.
      const bool acronym = letters.letters >= 2 && letters.upper == letters.letters;
      const bool typed = mention.type && !(acronym && *mention.type == EntityType::kPerson);
      KeyVotes& vote = votes[key];
      vote.folded = folded;
      vote.family_name_form = vietnamese && length >= 3 && length <= 4 &&
                              cues::is_family_name(units[mention.begin].exact);
      if (typed) {
        ++vote.typed[*mention.type];
      } else {
        ++vote.untyped;
        if (mention.weak_place) ++vote.weak_place;
      }
      ++vote.displays[display_of(units, mention.begin, mention.end)];
    }
  }
  std::vector<Entity> out;
  for (auto& [key, vote] : votes) {
    std::map<EntityType, std::uint32_t> counts = vote.typed;
    if (!counts.empty()) {
      // Untyped mentions of a typed name take its most frequent type.
      const auto best = std::max_element(counts.begin(), counts.end(),
                                         [](auto& a, auto& b) { return a.second < b.second; });
      best->second += vote.untyped;
    } else if (vote.family_name_form) {
      counts[EntityType::kPerson] = vote.untyped;
    } else if (vote.weak_place > 0) {
      counts[EntityType::kPlace] = vote.untyped;
    }
    const auto display = std::max_element(vote.displays.begin(), vote.displays.end(),
                                          [](auto& a, auto& b) { return a.second < b.second; });
    for (const auto& [type, count] : counts) {
      out.push_back({type, key, vote.folded, display->first, count});
    }
  }
  std::sort(out.begin(), out.end(), [](const Entity& a, const Entity& b) {
    if (a.mentions != b.mentions) return a.mentions > b.mentions;
    if (a.key != b.key) return a.key < b.key;
    return a.type < b.type;
  });
  if (out.size() > kMaxEntities) out.resize(kMaxEntities);
  return out;
}

void add_entity_terms(Xapian::Document& xdoc, const std::vector<Entity>& entities) {
  std::vector<schema::SlotEntity> slot;
  for (const Entity& entity : entities) {
    const std::string exact = schema::entity_term(entity.type, entity.key);
    const std::string folded = schema::folded_entity_term(entity.type, entity.folded_key);
    xdoc.add_boolean_term(exact);
    // The folded twin only where it differs: filters also search the exact term of the folded
    // key (entity_filters.cpp), which for `XPdonald trump` is the exact term itself.
    if (!schema::same_as_folded(exact, folded)) xdoc.add_boolean_term(folded);
    if (slot.size() < kMaxSlotEntities) slot.push_back({entity.type, entity.key, entity.display});
  }
  if (!slot.empty()) xdoc.add_value(schema::kSlotEntities, schema::encode_slot_entities(slot));
}

std::vector<Entity> extract_entities(const std::vector<std::string>& fields) {
  EntityCollector collector;
  for (const std::string& field : fields) {
    collector.add_field(field, Analyzer().analyze(field));
  }
  return collector.finish();
}

}  // namespace vnsearch::indexing
