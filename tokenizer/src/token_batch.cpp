#include "vnsearch/token_batch.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "token_batch_writer.h"

namespace vnsearch {

Token TokenView::to_token() const {
  Token token;
  token.start = start;
  token.end = end;
  token.position = position;
  token.sentence = sentence;
  token.paragraph = paragraph;
  token.exact.assign(exact);
  token.folded.assign(folded);
  token.kind = kind;
  token.role = role;
  return token;
}

TokenBatch::TokenBatch(const TokenBatch& other)
    : records_(other.records_),
      arena_(other.arena_size_ > 0 ? std::make_unique<char[]>(other.arena_size_) : nullptr),
      arena_size_(other.arena_size_),
      arena_capacity_(other.arena_size_) {
  if (arena_size_ > 0) std::memcpy(arena_.get(), other.arena_.get(), arena_size_);
}

TokenBatch::TokenBatch(TokenBatch&& other) noexcept
    : records_(std::move(other.records_)),
      arena_(std::move(other.arena_)),
      arena_size_(std::exchange(other.arena_size_, 0)),
      arena_capacity_(std::exchange(other.arena_capacity_, 0)) {
  other.records_.clear();
}

TokenBatch& TokenBatch::operator=(TokenBatch&& other) noexcept {
  if (this != &other) {
    records_ = std::move(other.records_);
    other.records_.clear();
    arena_ = std::move(other.arena_);
    arena_size_ = std::exchange(other.arena_size_, 0);
    arena_capacity_ = std::exchange(other.arena_capacity_, 0);
  }
  return *this;
}

TokenBatch& TokenBatch::operator=(const TokenBatch& other) {
  if (this != &other) *this = TokenBatch(other);
  return *this;
}

void TokenBatch::append_to(std::vector<Token>& out) const {
  out.reserve(out.size() + records_.size());
  for (const TokenView view : *this) out.push_back(view.to_token());
}

namespace detail {

void TokenBatchWriter::grow(std::size_t bytes) {
  // Doubling keeps appends amortised O(1); 4 KiB first, so short texts grow once.
  const std::size_t wanted = batch.arena_size_ + bytes;
  const std::size_t capacity = std::max({wanted, batch.arena_capacity_ * 2, std::size_t{4096}});
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (batch.arena_size_ > 0) std::memcpy(bigger.get(), batch.arena_.get(), batch.arena_size_);
  batch.arena_ = std::move(bigger);
  batch.arena_capacity_ = capacity;
}

}  // namespace detail
}  // namespace vnsearch
