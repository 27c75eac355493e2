// The analyzer's intermediate units: atoms (runs of letters or digits found by the scan) and
// groups of atoms that make one token (a word, number, date, code, e-mail address or URL).
#pragma once

#include <cstddef>

#include <unicode/umachine.h>

#include "vnsearch/tokenizer.h"
#include "word_forms.h"

namespace vnsearch::detail {

// A code, URL or e-mail address longer than this many parts is cut into several: no real code
// has more, and it bounds the work on adversarial input like `a-a-a-a-...`.
constexpr std::size_t kMaxParts = 32;

// Joiner value for an atom whose gap before it separates it from the previous atom.
constexpr UChar32 kNoJoin = -1;

// One run of letters or of digits, with what the scan learnt about it and the gap before it.
struct Atom {
  // User-provided, so that `emplace_back()` does not zero the letter arrays of every atom
  // first (`= default` would): they are read only up to `letters.size`, which starts at 0.
  Atom() {}

  std::size_t start = 0;
  std::size_t end = 0;
  bool digits = false;          // a run of digits (possibly merged into a number: 13.926.122)
  bool number = false;          // digits merged across '.' or ',' separators
  bool all_caps = true;         // every letter upper-case (TP, HCM): dots between such join
  bool ascii = true;            // only ASCII: candidates for domain names
  UChar32 joiner = kNoJoin;     // the single character between this atom and the previous one;
                                // 0 when they touch (U23), kNoJoin when separated
  bool sentence_break = false;  // a . ! ? … or line break lies in the gap before it
  bool paragraph_break = false;
  bool space_before = false;  // white space (any kind) lies in the gap before it
  bool letters_fast = false;  // `letters` holds the whole word (the table-driven fast path)
  LetterBuffer letters;       // filled during the scan, so each character is decoded once
};

// Atoms that make one token.
struct Group {
  std::size_t begin = 0;  // atom indices [begin, end)
  std::size_t end = 0;
  TokenKind kind = TokenKind::kWord;
};

}  // namespace vnsearch::detail
