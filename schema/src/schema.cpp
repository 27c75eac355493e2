#include "vnsearch/schema.h"

#include "vnsearch/tokenizer.h"

namespace vnsearch::schema {

std::string boolean_term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += to_exact(value);
  if (term.size() > kMaxTermBytes) term.resize(kMaxTermBytes);
  return term;
}

}  // namespace vnsearch::schema
