// Tokens without a heap string each: the analyzer's output as compact records whose two forms
// are views into one character arena, reused from one text to the next.
//
// `Analyzer::analyze(input, std::vector<Token>&)` builds this batch and copies it into Tokens;
// a hot loop can read the batch directly and skip the two `std::string`s per token (filled
// through out-of-line appends, destroyed again by the caller). The tokenizer bench does; the
// indexer and the query side still take the vector (bench/README.md, "Analyzer").
// Both give the same tokens, byte for byte (tests/test_token_batch.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "vnsearch/tokenizer.h"

namespace vnsearch {

namespace detail {
struct TokenBatchWriter;
}  // namespace detail

/// One token of a TokenBatch: the fields of `Token`, with the forms as views into the batch.
/// The views stay valid until the batch is next written to, cleared or destroyed.
struct TokenView {
  std::size_t start = 0;        ///< byte offset of the first byte in the original input
  std::size_t end = 0;          ///< byte offset one past the last byte in the original input
  std::uint32_t position = 0;   ///< word position; a compound shares the position of its first part
  std::uint32_t sentence = 0;   ///< index of the sentence the token is in (0-based)
  std::uint32_t paragraph = 0;  ///< index of the paragraph (line-separated block) it is in
  std::string_view exact;       ///< canonical form with diacritics, case-folded
  std::string_view folded;      ///< exact form with every mark removed and đ→d
  TokenKind kind = TokenKind::kWord;
  TokenRole role = TokenRole::kSimple;

  /// The same token as an owning `Token`.
  [[nodiscard]] Token to_token() const;
};

/// The tokens of one or more analysed texts, in order. `clear()` keeps the memory, so a batch
/// reused across texts stops allocating once it has grown to the largest of them.
class TokenBatch final {
 public:
  TokenBatch() = default;
  TokenBatch(const TokenBatch& other);
  TokenBatch& operator=(const TokenBatch& other);
  // Written out: a moved-from batch must be empty with no arena, so that it can be reused.
  TokenBatch(TokenBatch&& other) noexcept;
  TokenBatch& operator=(TokenBatch&& other) noexcept;
  ~TokenBatch() = default;

  [[nodiscard]] std::size_t size() const { return records_.size(); }
  [[nodiscard]] bool empty() const { return records_.empty(); }

  /// Forgets every token; keeps the memory for the next text.
  void clear() {
    records_.clear();
    arena_size_ = 0;
  }

  /// Token `index` (< size()).
  [[nodiscard]] TokenView operator[](std::size_t index) const {
    const Record& r = records_[index];
    const char* text = arena_.get();
    return {r.start,
            r.end,
            r.position,
            r.sentence,
            r.paragraph,
            {text + r.exact_at, r.exact_size},
            {text + r.folded_at, r.folded_size},
            r.kind,
            r.role};
  }

  /// Appends every token, as owning `Token`s, to `out`.
  void append_to(std::vector<Token>& out) const;

  /// Iterates over the tokens as TokenViews (`for (const TokenView& t : batch)`).
  class const_iterator {
   public:
    using value_type = TokenView;
    using difference_type = std::ptrdiff_t;
    const_iterator() = default;
    const_iterator(const TokenBatch* batch, std::size_t index) : batch_(batch), index_(index) {}
    TokenView operator*() const { return (*batch_)[index_]; }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }

   private:
    const TokenBatch* batch_ = nullptr;
    std::size_t index_ = 0;
  };
  [[nodiscard]] const_iterator begin() const { return {this, 0}; }
  [[nodiscard]] const_iterator end() const { return {this, records_.size()}; }

 private:
  friend struct detail::TokenBatchWriter;

  // 56 bytes against Token's 96, and no destructor to run. A form is a range of the arena;
  // a folded form equal to the exact one (every plain ASCII word) shares its bytes.
  struct Record {
    std::size_t start = 0;
    std::size_t end = 0;
    std::size_t exact_at = 0;
    std::size_t folded_at = 0;
    std::uint32_t exact_size = 0;
    std::uint32_t folded_size = 0;
    std::uint32_t position = 0;
    std::uint32_t sentence = 0;
    std::uint32_t paragraph = 0;
    TokenKind kind = TokenKind::kWord;
    TokenRole role = TokenRole::kSimple;
  };

  std::vector<Record> records_;
  std::unique_ptr<char[]> arena_;  // not a std::string: growing it must not zero-fill
  std::size_t arena_size_ = 0;
  std::size_t arena_capacity_ = 0;
};

}  // namespace vnsearch
