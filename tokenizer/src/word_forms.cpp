#include "word_forms.h"

#include <memory>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "char_class.h"
#include "syllable.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::detail {
namespace {

// Reads `word` into keys and tones. Returns false when some character needs the generic path.
bool read_letters(std::string_view word, LetterBuffer& letters) {
  const LetterTables& tables = letter_tables();
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(word.data());
  const auto length = static_cast<std::int32_t>(word.size());
  std::int32_t offset = 0;
  letters.size = 0;
  letters.toned = 0;
  while (offset < length) {
    UChar32 c;
    U8_NEXT(bytes, offset, length, c);
    if (!letters.add(c, tables.lookup(c))) return false;
  }
  return true;
}

}  // namespace

void move_tone_to_slot(LetterBuffer& letters, std::size_t toned) {
  const int slot = syllable_tone_slot(std::string_view(letters.keys.data(), letters.size));
  if (slot < 0 || static_cast<std::size_t>(slot) == toned) return;
  letters.tones[static_cast<std::size_t>(slot)] = letters.tones[toned];
  letters.tones[toned] = kLevel;
}

namespace {

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

}  // namespace

bool LetterBuffer::add_other(UChar32 c) {
  switch (classify(c)) {
    case CharClass::kInvisible:
    case CharClass::kSpace:  // only inside a word when a stray mark was re-attached
      return true;
    case CharClass::kMark: {
      if (size == 0) return true;  // a mark with nothing to sit on carries no meaning
      const std::size_t last = size - 1;
      if (const std::uint8_t tone = combining_tone(c); tone != kLevel) {
        if (!is_vowel_key(keys[last]) || tones[last] != kLevel) return false;
        tones[last] = tone;
        ++toned;
        return true;
      }
      const char marked = apply_combining_vowel_mark(keys[last], c);
      if (marked == 0) return false;
      keys[last] = marked;
      return true;
    }
    default:
      return false;
  }
}

bool accepts_stray_mark(std::string_view word, UChar32 mark) {
  if (!is_vietnamese_combining_mark(mark)) return false;
  LetterBuffer letters;
  return read_letters(word, letters) && letters.size > 0 && letters.add_other(mark);
}

void write_word_forms(LetterBuffer& letters, std::string& exact, std::string& folded) {
  // Compose into stack buffers and assign once: cheaper than growing two strings per letter.
  char exact_bytes[kMaxFastLetters * 3 + 1];
  char folded_bytes[kMaxFastLetters];
  const std::size_t exact_size =
      compose_word_forms(letters, letter_tables(), exact_bytes, folded_bytes);
  // The analyzer hands in fresh (empty) strings; append avoids assign's aliasing checks.
  exact.clear();
  folded.clear();
  exact.append(exact_bytes, exact_size);
  folded.append(folded_bytes, letters.size);
}

namespace {

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
    write_word_forms(letters, exact, folded);
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
    write_word_forms(letters, exact, folded);
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
  if (letters.size == 0 || letters.size > 8 || letters.toned > 1) return false;
  const std::string_view keys(letters.keys.data(), letters.size);
  if (detail::syllable_tone_slot(keys) < 0) return false;
  // Syllables closed by a stop (p t c ch) take only the acute or the dot-below tone.
  const char last = keys.back();
  const bool stop_coda = last == 'p' || last == 't' || last == 'c' ||
                         (keys.size() >= 2 && keys.substr(keys.size() - 2) == "ch");
  if (!stop_coda) return true;
  for (std::size_t i = 0; i < letters.size; ++i) {
    if (letters.tones[i] == detail::kAcute || letters.tones[i] == detail::kDot) return true;
  }
  return false;
}

}  // namespace vnsearch
