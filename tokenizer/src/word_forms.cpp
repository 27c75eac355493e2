#include "word_forms.h"

#include <array>
#include <memory>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "char_class.h"
#include "letters.h"
#include "syllable.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::detail {
namespace {

// Words longer than this are not Vietnamese syllables; they still get exact and folded forms,
// through the generic path.
constexpr std::size_t kMaxFastLetters = 48;

struct LetterBuffer {
  std::array<char, kMaxFastLetters> keys{};
  std::array<std::uint8_t, kMaxFastLetters> tones{};
  std::size_t size = 0;
};

// Reads `word` into keys and tones. Returns false when some character needs the generic path.
bool read_letters(std::string_view word, LetterBuffer& letters) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(word.data());
  const auto length = static_cast<std::int32_t>(word.size());
  std::int32_t offset = 0;
  letters.size = 0;
  while (offset < length) {
    UChar32 c;
    U8_NEXT(bytes, offset, length, c);
    const LetterInfo info = letter_info(c);
    if (info.key != 0) {
      if (letters.size == kMaxFastLetters) return false;
      letters.keys[letters.size] = info.key;
      letters.tones[letters.size] = info.tone;
      ++letters.size;
      continue;
    }
    switch (classify(c)) {
      case CharClass::kInvisible:
      case CharClass::kSpace:  // only inside a word when a stray mark was re-attached
        continue;
      case CharClass::kMark: {
        if (letters.size == 0) continue;  // a mark with nothing to sit on carries no meaning
        const std::size_t last = letters.size - 1;
        if (const std::uint8_t tone = combining_tone(c); tone != kLevel) {
          if (!is_vowel_key(letters.keys[last]) || letters.tones[last] != kLevel) return false;
          letters.tones[last] = tone;
          continue;
        }
        const char marked = apply_combining_vowel_mark(letters.keys[last], c);
        if (marked == 0) return false;
        letters.keys[last] = marked;
        continue;
      }
      default:
        return false;
    }
  }
  return true;
}

// Moves a single tone mark to the canonical vowel when the word is a Vietnamese syllable.
void place_tone(LetterBuffer& letters) {
  if (letters.size > 8) return;
  std::size_t toned = letters.size;
  std::array<char, 8> plain{};
  for (std::size_t i = 0; i < letters.size; ++i) {
    plain[i] = letters.keys[i];
    if (letters.tones[i] == kLevel) continue;
    if (toned != letters.size) return;  // two tones: not a syllable, leave as written
    toned = i;
  }
  if (toned == letters.size) return;
  const std::string_view keys(plain.data(), letters.size);
  const auto parts = parse_syllable(keys);
  if (!parts) return;
  const std::size_t target = canonical_tone_index(keys, *parts);
  if (target == toned) return;
  letters.tones[target] = letters.tones[toned];
  letters.tones[toned] = kLevel;
}

void write_forms(const LetterBuffer& letters, std::string& exact, std::string& folded) {
  exact.clear();
  folded.clear();
  for (std::size_t i = 0; i < letters.size; ++i) {
    exact.append(compose_letter(letters.keys[i], letters.tones[i]));
    folded.push_back(fold_key(letters.keys[i]));
  }
}

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Normalizer2::getNFKCCasefoldInstance(status);
  }();
  return *instance;
}

// Transliterators keep per-call state, so each thread gets its own.
icu::Transliterator& latin_ascii() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    return std::unique_ptr<icu::Transliterator>(
        icu::Transliterator::createInstance("Latin-ASCII; Lower", UTRANS_FORWARD, status));
  }();
  return *instance;
}

void normalize_generic(std::string_view word, std::string& exact, std::string& folded) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<std::int32_t>(word.size())));
  icu::UnicodeString normalized = nfkc_casefold().normalize(text, status);
  std::string utf8;
  normalized.toUTF8String(utf8);
  // NFKC_Casefold turns full-width and other compatibility forms into plain letters, which the
  // fast path may now handle (and place the tone canonically).
  LetterBuffer letters;
  if (read_letters(utf8, letters)) {
    place_tone(letters);
    write_forms(letters, exact, folded);
    return;
  }
  exact = utf8;
  latin_ascii().transliterate(normalized);
  folded.clear();
  normalized.toUTF8String(folded);
}

}  // namespace

void normalize_word(std::string_view word, std::string& exact, std::string& folded) {
  LetterBuffer letters;
  if (read_letters(word, letters)) {
    place_tone(letters);
    write_forms(letters, exact, folded);
    return;
  }
  normalize_generic(word, exact, folded);
}

}  // namespace vnsearch::detail

namespace vnsearch {

bool is_vietnamese_syllable(std::string_view word) {
  detail::LetterBuffer letters;
  if (!detail::read_letters(word, letters)) {
    std::string exact, folded;
    detail::normalize_generic(word, exact, folded);
    if (!detail::read_letters(exact, letters)) return false;
  }
  if (letters.size == 0 || letters.size > 8) return false;
  std::array<char, 8> plain{};
  int tones = 0;
  for (std::size_t i = 0; i < letters.size; ++i) {
    plain[i] = letters.keys[i];
    if (letters.tones[i] != detail::kLevel) ++tones;
  }
  if (tones > 1) return false;
  return detail::parse_syllable(std::string_view(plain.data(), letters.size)).has_value();
}

}  // namespace vnsearch
