#include "compressed_input.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace vnsearch::detail {

namespace {

constexpr std::size_t kChunkBytes = 1u << 20;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what);
}

class PlainFile final : public ByteSource {
 public:
  // "-" is standard input, read to its end but never closed here.
  explicit PlainFile(const std::filesystem::path& path)
      : file_(path == "-" ? stdin : std::fopen(path.c_str(), "rb")), owned_(path != "-") {
    if (!file_) fail(std::string("cannot open: ") + std::strerror(errno));
  }
  ~PlainFile() override {
    if (owned_) std::fclose(file_);
  }
  PlainFile(const PlainFile&) = delete;
  PlainFile& operator=(const PlainFile&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = std::fread(out, 1, capacity, file_);
    if (n == 0 && std::ferror(file_)) fail(std::string("read error: ") + std::strerror(errno));
    consumed_ += n;
    return n;
  }
  std::uint64_t raw_bytes_read() const override { return consumed_; }

 private:
  std::FILE* file_;
  bool owned_;
  std::uint64_t consumed_ = 0;
};

class GzipFile final : public ByteSource {
 public:
  explicit GzipFile(const std::filesystem::path& path) : file_(gzopen(path.c_str(), "rb")) {
    if (!file_) fail(std::string("cannot open: ") + std::strerror(errno));
    gzbuffer(file_, 1u << 17);
  }
  ~GzipFile() override { gzclose(file_); }
  GzipFile(const GzipFile&) = delete;
  GzipFile& operator=(const GzipFile&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    const int n = gzread(file_, out, static_cast<unsigned>(capacity));
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    // zlib reports a truncated stream as Z_BUF_ERROR after returning the data it could inflate;
    // deliver that data first and fail on the next call.
    if (n < 0 || (n == 0 && code != Z_OK)) fail(std::string("gzip: ") + message);
    return static_cast<std::size_t>(n);
  }
  std::uint64_t raw_bytes_read() const override {
    const z_off_t offset = gzoffset(file_);
    return offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
  }

 private:
  gzFile file_;
};

class ZstdFile final : public ByteSource {
 public:
  explicit ZstdFile(const std::filesystem::path& path)
      : raw_(path), stream_(ZSTD_createDStream()), in_buffer_(ZSTD_DStreamInSize()) {
    if (!stream_) fail("zstd: out of memory");
  }
  ~ZstdFile() override { ZSTD_freeDStream(stream_); }
  ZstdFile(const ZstdFile&) = delete;
  ZstdFile& operator=(const ZstdFile&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos == 0) {
      if (input_.pos == input_.size) {
        const std::size_t n = raw_.read(in_buffer_.data(), in_buffer_.size());
        if (n == 0) {
          // A zero hint means the last frame ended cleanly; anything else is a cut-off file.
          if (last_hint_ != 0) fail("zstd: truncated stream");
          return 0;
        }
        input_ = ZSTD_inBuffer{in_buffer_.data(), n, 0};
      }
      last_hint_ = ZSTD_decompressStream(stream_, &output, &input_);
      if (ZSTD_isError(last_hint_)) fail(std::string("zstd: ") + ZSTD_getErrorName(last_hint_));
    }
    return output.pos;
  }
  std::uint64_t raw_bytes_read() const override { return raw_.raw_bytes_read(); }

 private:
  PlainFile raw_;
  ZSTD_DStream* stream_;
  std::vector<char> in_buffer_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  std::size_t last_hint_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_byte_source(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".zst") return std::make_unique<ZstdFile>(path);
  if (ext == ".gz") return std::make_unique<GzipFile>(path);
  return std::make_unique<PlainFile>(path);
}

LineReader::LineReader(std::unique_ptr<ByteSource> source, std::size_t max_line_bytes)
    : source_(std::move(source)), max_line_bytes_(max_line_bytes) {}

bool LineReader::fill() {
  if (at_end_) return false;
  // Drop consumed bytes first so the buffer stays near max_line_bytes + one chunk.
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + kChunkBytes);
  const std::size_t n = source_->read(buffer_.data() + old_size, kChunkBytes);
  buffer_.resize(old_size + n);
  if (n == 0) at_end_ = true;
  return n > 0;
}

LineReader::Status LineReader::next(std::string& line) {
  std::size_t scan_from = pos_;
  bool skipping = false;  // inside a line that is already known to be too long
  for (;;) {
    const std::size_t newline = buffer_.find('\n', scan_from);
    if (newline != std::string::npos) {
      ++line_number_;
      const std::size_t begin = pos_;
      pos_ = newline + 1;
      if (skipping) return Status::kTooLong;
      std::size_t end = newline;
      if (end > begin && buffer_[end - 1] == '\r') --end;
      if (end - begin > max_line_bytes_) return Status::kTooLong;
      line.assign(buffer_, begin, end - begin);
      return Status::kLine;
    }
    if (buffer_.size() - pos_ > max_line_bytes_) {
      skipping = true;
      pos_ = buffer_.size();  // forget what we have of the oversized line
    }
    const std::size_t scanned = buffer_.size() - pos_;
    if (!fill()) break;
    scan_from = pos_ + scanned;  // fill() moved the unread bytes to the front
  }
  if (pos_ == buffer_.size() && !skipping) return Status::kEnd;
  ++line_number_;  // the last line had no trailing newline
  const std::size_t begin = pos_;
  pos_ = buffer_.size();
  if (skipping || buffer_.size() - begin > max_line_bytes_) return Status::kTooLong;
  std::size_t end = buffer_.size();
  if (end > begin && buffer_[end - 1] == '\r') --end;
  line.assign(buffer_, begin, end - begin);
  return Status::kLine;
}

}  // namespace vnsearch::detail
