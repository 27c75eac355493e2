// Exhaustive checks over the generated syllable inventory: every spelling of a syllable (NFC/NFD,
// old/new tone placement, lower/UPPER/Title) must normalize to one exact form, be recognized as a
// syllable, and fold like ICU's Latin-ASCII transliterator.
#include <catch2/catch.hpp>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "syllable_inventory.h"
#include "vnsearch/tokenizer.h"

namespace {

// Collects the first failures of a property over thousands of inputs, so that a broken rule
// reports a readable sample instead of ten thousand assertion lines.
class Failures {
 public:
  void add(const std::string& input, const std::string& expected, const std::string& got) {
    if (count_++ < 25)
      sample_ << "  input '" << input << "': expected '" << expected << "', got '" << got << "'\n";
  }
  std::size_t count() const { return count_; }
  std::string report() const {
    return std::to_string(count_) + " failures, first:\n" + sample_.str();
  }

 private:
  std::size_t count_ = 0;
  std::ostringstream sample_;
};

// Every way the same syllable is written in real text.
std::vector<std::string> spellings(const std::string& syllable) {
  std::set<std::string> out;
  for (const std::string& styled : {syllable, new_style(syllable)}) {
    for (const std::string& cased : {styled, to_upper(styled), to_title(styled)}) {
      out.insert(to_nfc(cased));
      out.insert(to_nfd(cased));
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace

TEST_CASE("the syllable oracle is a plausible inventory", "[syllables]") {
  const auto syllables = vietnamese_syllables();
  // The real inventory is in the low tens of thousands of toned spellings.
  CHECK(syllables.size() > 10000);
  CHECK(std::is_sorted(syllables.begin(), syllables.end()));
  CHECK(std::adjacent_find(syllables.begin(), syllables.end()) == syllables.end());
  for (const char* known :
       {"hòa", "thủy", "khỏe", "quý", "hoàn", "thuyền", "khuếch", "ngoài", "khuỷu", "người",
        "giếng", "gì", "quốc", "yêu", "nghiêng", "đua", "dừa", "ướt", "uống"}) {
    INFO(known);
    CHECK(std::binary_search(syllables.begin(), syllables.end(), std::string(known)));
  }
  // New-style and misplaced spellings are not canonical, so the oracle must not contain them.
  for (const char* other : {"hoà", "thuỷ", "khoẻ", "qúy", "gịa"}) {
    INFO(other);
    CHECK_FALSE(std::binary_search(syllables.begin(), syllables.end(), std::string(other)));
  }
  CHECK(new_style("hòa") == "hoà");
  CHECK(new_style("thủy") == "thuỷ");
  CHECK(new_style("quý") == "quý");
  CHECK(new_style("hoàn") == "hoàn");
}

TEST_CASE("every spelling of a syllable has one exact form", "[syllables]") {
  Failures exact, recognized, folded;
  std::size_t checked = 0;
  for (const auto& syllable : vietnamese_syllables()) {
    const std::string fold = icu_ascii_fold(syllable);
    for (const auto& form : spellings(syllable)) {
      ++checked;
      if (const auto got = vnsearch::to_exact(form); got != syllable)
        exact.add(form, syllable, got);
      if (!vnsearch::is_vietnamese_syllable(form)) recognized.add(form, "true", "false");
      if (const auto got = vnsearch::to_folded(form); got != fold) folded.add(form, fold, got);
    }
  }
  INFO(checked << " spellings checked");
  {
    INFO("to_exact: " << exact.report());
    CHECK(exact.count() == 0);
  }
  {
    INFO("is_vietnamese_syllable: " << recognized.report());
    CHECK(recognized.count() == 0);
  }
  {
    INFO("to_folded vs ICU Latin-ASCII; Lower: " << folded.report());
    CHECK(folded.count() == 0);
  }
}

TEST_CASE("the tone misplaced after qu or gi normalizes", "[syllables]") {
  // qúy is quý with the tone on the onset's u; the old style never puts it there.
  CHECK(vnsearch::to_exact("qúy") == "quý");
  CHECK(vnsearch::to_exact("QÚY") == "quý");
  CHECK(vnsearch::to_exact("qùa") == "quà");
  CHECK(vnsearch::to_exact(to_nfd("qủy")) == "quỷ");
}

TEST_CASE("every syllable analyzes to one word token", "[syllables][analyzer]") {
  const vnsearch::Analyzer analyzer;
  Failures failures;
  std::vector<vnsearch::Token> tokens;
  for (const auto& syllable : vietnamese_syllables()) {
    const std::string fold = icu_ascii_fold(syllable);
    // The hardest spellings: decomposed, new style, upper and title case.
    for (const std::string& form : {syllable, to_nfd(new_style(syllable)),
                                    to_upper(new_style(syllable)), to_title(syllable)}) {
      tokens.clear();
      analyzer.analyze(form, tokens);
      std::ostringstream got;
      for (const auto& t : tokens)
        got << "[" << t.exact << "|" << t.folded << "|" << vnsearch::token_kind_name(t.kind) << "|"
            << t.start << "-" << t.end << "]";
      const bool ok = tokens.size() == 1 && tokens[0].exact == syllable &&
                      tokens[0].folded == fold && tokens[0].kind == vnsearch::TokenKind::kWord &&
                      tokens[0].role == vnsearch::TokenRole::kSimple && tokens[0].start == 0 &&
                      tokens[0].end == form.size();
      if (!ok)
        failures.add(form,
                     "[" + syllable + "|" + fold + "|word|0-" + std::to_string(form.size()) + "]",
                     got.str());
    }
  }
  INFO(failures.report());
  CHECK(failures.count() == 0);
}

TEST_CASE("words that are not Vietnamese syllables are rejected", "[syllables]") {
  for (const char* word :
       {"gaza", "xyz",  "khuyenh", "hello", "world", "covid", "hcm", "tp",   "ce",     "ci",
        "kya",  "ka",   "ko",      "ge",    "gê",    "ngi",   "nge", "qa",   "quu",    "bàt",
        "sảch", "lõp",  "mãc",     "tiéng", "thươg", "nghhe", "trr", "aaa",  "đđ",     "gh",
        "ngh",  "anh1", "a b",     "",      "ưo",    "oo",    "iii", "thii", "nguoiw", "x"}) {
    INFO("'" << word << "'");
    CHECK_FALSE(vnsearch::is_vietnamese_syllable(word));
  }
}

namespace {

// Every p/t/c/ch syllable of the oracle spelled with `bad` tones instead of its acute one.
void check_stop_coda_tones(std::initializer_list<Tone> bad_tones) {
  Failures accepted;
  std::size_t checked = 0;
  for (const auto& parts : vietnamese_syllable_parts()) {
    if (!parts.stop_coda || parts.tone != Tone::kAcute) continue;
    for (Tone bad : bad_tones) {
      const std::string word = spell_syllable(parts.onset, parts.rhyme, bad);
      ++checked;
      if (vnsearch::is_vietnamese_syllable(word)) accepted.add(word, "false", "true");
    }
  }
  INFO(checked << " checked; " << accepted.report());
  CHECK(checked > 1000);
  CHECK(accepted.count() == 0);
}

}  // namespace

TEST_CASE("stop codas take only the acute and dot tones", "[syllables]") {
  SECTION("grave, hook and tilde") {
    check_stop_coda_tones({Tone::kGrave, Tone::kHook, Tone::kTilde});
  }
  SECTION("level tone (bac, tiêt are unaccented spellings, not syllables)") {
    check_stop_coda_tones({Tone::kLevel});
  }
}

TEST_CASE("a syllable carries at most one tone", "[syllables]") {
  // NFD syllable with a tone, plus a second, different tone mark after it.
  Failures accepted;
  for (const auto& parts : vietnamese_syllable_parts()) {
    if (parts.tone != Tone::kGrave) continue;
    const std::string word = to_nfd(parts.text) + "\u0301";
    if (vnsearch::is_vietnamese_syllable(word)) accepted.add(to_nfc(word), "false", "true");
  }
  INFO(accepted.report());
  CHECK(accepted.count() == 0);
}

TEST_CASE("the spelling rules c/k, g/gh, ng/ngh are enforced", "[syllables]") {
  // Swapping the spelling of the onset makes a word that breaks the rule (ka, ge, nge, cia).
  Failures accepted;
  std::size_t checked = 0;
  for (const auto& parts : vietnamese_syllable_parts()) {
    std::string swapped;
    const std::string& o = parts.onset;
    const bool front_i = !parts.rhyme.empty() && parts.rhyme[0] == 'i';
    if (o == "c")
      swapped = "k";
    else if (o == "k")
      swapped = "c";
    else if (o == "g")
      swapped = "gh";
    else if (o == "gh" && !front_i)
      swapped = "g";  // gh + i would read as the gi onset
    else if (o == "ng")
      swapped = "ngh";
    else if (o == "ngh")
      swapped = "ng";
    else
      continue;
    const std::string word = swapped + parts.text.substr(o.size());
    ++checked;
    if (vnsearch::is_vietnamese_syllable(word)) accepted.add(word, "false", "true");
  }
  INFO(checked << " checked; " << accepted.report());
  CHECK(checked > 1000);
  CHECK(accepted.count() == 0);
}
