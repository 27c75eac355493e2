// Bit-level writing and reading for the compact tables of the syllable model (ngram_counts.cpp):
// sorted 64-bit hash keys are stored as Rice-coded gaps and counts as Elias-gamma codes, which
// take about 45 bits an entry where the plain arrays took 96. Bits are packed least significant
// first. The reader never reads past its bytes: running out is reported as truncation, and a
// code that cannot be what the writer made (a run of ones too long) as damage.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vnsearch::schema {

class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}

  /// Appends the low `bits` bits of `value` (bits ≤ 64).
  void put(std::uint64_t value, unsigned bits) {
    if (bits > 32) {
      put32(value & 0xFFFFFFFFu, 32);
      value >>= 32;
      bits -= 32;
    }
    put32(value, bits);
  }

  /// `ones` one bits and a zero: the unary code of `ones`.
  void put_unary(std::uint64_t ones) {
    for (; ones >= 32; ones -= 32) put32(0xFFFFFFFFu, 32);
    put32((std::uint64_t{1} << ones) - 1, static_cast<unsigned>(ones) + 1);
  }

  /// Writes out the last partial byte (zero-padded); call once at the end.
  void finish() {
    if (used_ > 0) out_.push_back(static_cast<char>(pending_ & 0xFF));
    pending_ = 0;
    used_ = 0;
  }

 private:
  std::string& out_;
  std::uint64_t pending_ = 0;  // `used_` (< 8) bits not yet written
  unsigned used_ = 0;

  void put32(std::uint64_t value, unsigned bits) {
    if (bits < 64) value &= (std::uint64_t{1} << bits) - 1;
    pending_ |= value << used_;
    used_ += bits;
    while (used_ >= 8) {
      out_.push_back(static_cast<char>(pending_ & 0xFF));
      pending_ >>= 8;
      used_ -= 8;
    }
  }
};

class BitReader {
 public:
  /// `name` says what is read in errors ("<name> is truncated" / "is damaged").
  BitReader(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  /// The next `bits` bits (≤ 32).
  std::uint64_t get(unsigned bits) {
    if (bits == 0) return 0;
    if (available_ < bits) refill();
    if (available_ < bits) throw std::runtime_error(name_ + " is truncated");
    const std::uint64_t value = window_ & ((std::uint64_t{1} << bits) - 1);
    consume(bits);
    return value;
  }

  /// The next unary code (ones before a zero); more than `limit` ones is damage.
  std::uint64_t get_unary(std::uint64_t limit) {
    std::uint64_t ones = 0;
    for (;;) {
      if (available_ == 0) refill();
      if (available_ == 0) throw std::runtime_error(name_ + " is truncated");
      const auto run = static_cast<unsigned>(std::countr_one(window_));
      if (run < available_) {
        ones += run;
        consume(run + 1);
        break;
      }
      ones += available_;
      consume(available_);
      if (ones > limit) break;
    }
    if (ones > limit) throw std::runtime_error(name_ + " is damaged");
    return ones;
  }

  /// Bytes taken so far (the partial last byte included).
  [[nodiscard]] std::size_t bytes_used() const { return at_ - available_ / 8; }

 private:
  std::string_view bytes_;
  const std::string& name_;
  std::size_t at_ = 0;        // next byte to load into the window
  std::uint64_t window_ = 0;  // `available_` bits, the next one lowest
  unsigned available_ = 0;

  void refill() {
    // Whole bytes up to 56 bits at once where eight can be loaded; byte by byte at the end.
    if (available_ <= 56 && bytes_.size() - at_ >= 8) {
      std::uint64_t next = 0;
      std::memcpy(&next, bytes_.data() + at_, sizeof next);  // little-endian, as written
      const unsigned take = (63 - available_) / 8;
      window_ |= (next & ((std::uint64_t{1} << (take * 8)) - 1)) << available_;
      at_ += take;
      available_ += take * 8;
      return;
    }
    while (available_ <= 56 && at_ < bytes_.size()) {
      window_ |= std::uint64_t{static_cast<unsigned char>(bytes_[at_++])} << available_;
      available_ += 8;
    }
  }
  void consume(unsigned bits) {
    window_ = bits >= 64 ? 0 : window_ >> bits;
    available_ -= bits;
  }
};

}  // namespace vnsearch::schema
