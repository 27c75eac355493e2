#include "vnsearch/schema.h"

#include "vnsearch/tokenizer.h"

namespace vnsearch::schema {

std::string bigram_term(std::string_view first, std::string_view second) {
  std::string term;
  term.reserve(kBigram.size() + first.size() + 1 + second.size());
  term.append(kBigram).append(first).append(1, ' ').append(second);
  return term;
}

std::string folded_bigram_term(std::string_view first, std::string_view second) {
  std::string term;
  term.reserve(kFoldedBigram.size() + first.size() + 1 + second.size());
  term.append(kFoldedBigram).append(first).append(1, ' ').append(second);
  return term;
}

std::string boolean_term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += to_exact(value);
  if (term.size() > kMaxTermBytes) term.resize(kMaxTermBytes);
  return term;
}

}  // namespace vnsearch::schema
