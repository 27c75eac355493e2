#include "compressed_payload.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <memory>
#include <stdexcept>

namespace vnsearch::schema {
namespace {

// Level 1: the coded tables are nearly incompressible hash gaps, so a higher level buys almost
// nothing and costs the indexer time at every publish (the model, once for its file and its
// copy in the database, and the counts file).
constexpr int kLevel = 1;

// A frame claiming more than this many times its own size is damage: a real model's coded
// payload compresses about 2x at most. The size claim sits in the frame header, outside the
// checksum, so one flipped bit could otherwise make a reader allocate gigabytes before failing.
constexpr unsigned long long kMaxExpansion = 8;

}  // namespace

std::string compress_payload(std::string_view payload) {
  const std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(),
                                                                     &ZSTD_freeCCtx);
  if (!context) throw std::runtime_error("cannot start zstd compression");
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, kLevel);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_contentSizeFlag, 1);
  std::string frame(ZSTD_compressBound(payload.size()), '\0');
  const std::size_t size =
      ZSTD_compress2(context.get(), frame.data(), frame.size(), payload.data(), payload.size());
  if (ZSTD_isError(size)) {
    throw std::runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(size));
  }
  frame.resize(size);
  return frame;
}

std::string decompress_payload(std::string_view frame, const std::string& name) {
  // The whole frame must be there: a frame cut short has no end to find.
  const std::size_t frame_size = ZSTD_findFrameCompressedSize(frame.data(), frame.size());
  if (ZSTD_isError(frame_size)) {
    throw std::runtime_error(name + (ZSTD_getErrorCode(frame_size) == ZSTD_error_srcSize_wrong
                                         ? " is truncated"
                                         : " is damaged"));
  }
  if (frame_size != frame.size()) throw std::runtime_error(name + " has trailing bytes");
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > (frame.size() + 1024) * kMaxExpansion) {
    throw std::runtime_error(name + " is damaged");
  }
  std::string payload(static_cast<std::size_t>(size), '\0');
  const std::size_t got =
      ZSTD_decompress(payload.data(), payload.size(), frame.data(), frame.size());
  // A checksum mismatch, a corrupt block or a size other than the frame's own: all damage.
  if (ZSTD_isError(got) || got != payload.size()) {
    throw std::runtime_error(name + " is damaged");
  }
  return payload;
}

}  // namespace vnsearch::schema
