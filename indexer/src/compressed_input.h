// Line-by-line reading of plain, zstd- and gzip-compressed files with a bounded line length
// (internal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace vnsearch::detail {

/// A source of decompressed bytes. read() returns 0 at the end and throws std::runtime_error
/// on I/O errors and corrupt or truncated compressed data.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
  /// On-disk bytes consumed so far (compressed bytes for compressed files).
  [[nodiscard]] virtual std::uint64_t raw_bytes_read() const = 0;
};

/// Opens `path`, decompressing by its extension (.zst, .gz). Throws std::runtime_error when the
/// file cannot be opened.
[[nodiscard]] std::unique_ptr<ByteSource> open_byte_source(const std::filesystem::path& path);

/// Splits a ByteSource into lines without ever holding more than max_line_bytes of one line.
class LineReader final {
 public:
  enum class Status {
    kLine,     ///< `line` holds the next line, without its "\n" or "\r\n"
    kTooLong,  ///< the next line exceeded max_line_bytes and was skipped
    kEnd,      ///< no more lines
  };

  LineReader(std::unique_ptr<ByteSource> source, std::size_t max_line_bytes);

  /// Reads the next line; throws what the ByteSource throws.
  Status next(std::string& line);
  /// 1-based number of the line last returned.
  [[nodiscard]] std::size_t line_number() const { return line_number_; }
  [[nodiscard]] std::uint64_t raw_bytes_read() const { return source_->raw_bytes_read(); }

 private:
  bool fill();  // appends one chunk to buffer_; false at the end of input

  std::unique_ptr<ByteSource> source_;
  std::size_t max_line_bytes_;
  std::string buffer_;
  std::size_t pos_ = 0;  // start of unread data in buffer_
  std::size_t line_number_ = 0;
  bool at_end_ = false;
};

}  // namespace vnsearch::detail
