// How the analyzer writes a TokenBatch: records appended in place, forms composed straight
// into the arena (no intermediate string).
#pragma once

#include <cstring>
#include <string_view>

#include "vnsearch/token_batch.h"

namespace vnsearch::detail {

struct TokenBatchWriter {
  using Record = TokenBatch::Record;

  TokenBatch& batch;

  std::vector<Record>& records() { return batch.records_; }
  [[nodiscard]] std::size_t arena_size() const { return batch.arena_size_; }
  [[nodiscard]] char* arena() { return batch.arena_.get(); }

  /// Room for `bytes` more bytes at the end of the arena; the pointer is valid until the next
  /// call (growing moves the arena, so records keep offsets, never pointers).
  char* reserve(std::size_t bytes) {
    if (batch.arena_capacity_ - batch.arena_size_ < bytes) grow(bytes);
    return batch.arena_.get() + batch.arena_size_;
  }
  void commit(std::size_t bytes) { batch.arena_size_ += bytes; }
  void truncate(std::size_t size) { batch.arena_size_ = size; }

  /// Copies `text` to the end of the arena; returns where it starts.
  std::size_t append(std::string_view text) {
    const std::size_t at = batch.arena_size_;
    if (!text.empty()) std::memcpy(reserve(text.size()), text.data(), text.size());
    commit(text.size());
    return at;
  }

  /// Copies arena bytes [from, from + size) to the end of the arena; returns where they start.
  std::size_t append_own(std::size_t from, std::size_t size) {
    const std::size_t at = batch.arena_size_;
    char* to = reserve(size);  // may move the arena: read the source only after
    if (size > 0) std::memcpy(to, batch.arena_.get() + from, size);
    commit(size);
    return at;
  }

  /// Memory held, records and arena.
  [[nodiscard]] std::size_t capacity_bytes() const {
    return batch.records_.capacity() * sizeof(Record) + batch.arena_capacity_;
  }

  [[nodiscard]] std::string_view view(std::size_t at, std::size_t size) const {
    return {batch.arena_.get() + at, size};
  }

 private:
  void grow(std::size_t bytes);
};

}  // namespace vnsearch::detail
