// The ../shared corpus is large and read-only; these readers stream it (zstd frames are
// decompressed chunk by chunk) so a test that wants the first thousand articles stays fast.
#include "shared_data.h"

#include <zstd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

std::optional<fs::path> shared_dir() {
  std::error_code ec;
  if (const char* env = std::getenv("VNSEARCH_SHARED"); env != nullptr && *env != '\0') {
    if (fs::is_directory(fs::path(env) / "corpus", ec)) return fs::path(env);
  }
#ifdef VNSEARCH_SOURCE_DIR
  const fs::path beside = fs::path(VNSEARCH_SOURCE_DIR) / ".." / "shared";
  if (fs::is_directory(beside / "corpus", ec)) return fs::weakly_canonical(beside, ec);
#endif
  return std::nullopt;
}

namespace {

// Splits a byte stream into lines across chunk boundaries.
class LineSplitter {
 public:
  explicit LineSplitter(const std::function<bool(std::string_view)>& line) : line_(line) {}

  // Returns false once the callback asked to stop.
  bool feed(std::string_view chunk) {
    std::size_t from = 0;
    for (std::size_t nl = chunk.find('\n'); nl != std::string_view::npos;
         nl = chunk.find('\n', from)) {
      std::string_view piece = chunk.substr(from, nl - from);
      from = nl + 1;
      if (!pending_.empty()) {
        pending_.append(piece);
        const bool go_on = line_(pending_);
        pending_.clear();
        if (!go_on) return false;
      } else if (!line_(piece)) {
        return false;
      }
    }
    pending_.append(chunk.substr(from));
    return true;
  }

  void finish() {
    if (!pending_.empty()) line_(pending_);
    pending_.clear();
  }

 private:
  const std::function<bool(std::string_view)>& line_;
  std::string pending_;
};

}  // namespace

void for_each_jsonl_line(const fs::path& path, const std::function<bool(std::string_view)>& line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  LineSplitter splitter(line);
  std::vector<char> raw(1 << 20);
  if (path.extension() != ".zst") {
    while (in) {
      in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
      const auto got = static_cast<std::size_t>(in.gcount());
      if (got == 0) break;
      if (!splitter.feed(std::string_view(raw.data(), got))) return;
    }
    splitter.finish();
    return;
  }
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<char> out(ZSTD_DStreamOutSize());
  while (in) {
    in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    ZSTD_inBuffer input{raw.data(), static_cast<std::size_t>(in.gcount()), 0};
    while (input.pos < input.size) {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      const std::size_t rc = ZSTD_decompressStream(dctx.get(), &output, &input);
      if (ZSTD_isError(rc)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(rc));
      if (!splitter.feed(std::string_view(out.data(), output.pos))) return;
    }
  }
  splitter.finish();
}

std::vector<std::string> read_jsonl_field(const fs::path& path, std::size_t max_docs,
                                          std::string_view field) {
  std::vector<std::string> out;
  const std::string key(field);
  for_each_jsonl_line(path, [&](std::string_view line) {
    const auto doc = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object()) {
      const auto it = doc.find(key);
      if (it != doc.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
        out.push_back(it->get<std::string>());
    }
    return max_docs == 0 || out.size() < max_docs;
  });
  return out;
}

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
