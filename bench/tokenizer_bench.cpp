// Tokenizer throughput beside ICU peers measured on the same text in the same run, so the ratios
// hold across machines: vnsearch Analyzer::analyze (into a TokenBatch, then into a
// std::vector<Token>), ICU word BreakIterator, ICU `Latin-ASCII; Lower` transliterator, and ICU
// NFC normalization (a calibration: the least any pipeline does).
//
// Usage: tokenizer_bench [corpus.jsonl.zst] [max_docs] [repeats] [only-vnsearch]
// With a fourth argument `only-vnsearch` only the TokenBatch path runs (for profiling the
// analyzer): the vector<Token> path and the ICU peers are skipped.
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/token_batch.h"
#include "vnsearch/tokenizer.h"

namespace {

namespace fs = std::filesystem;

// Concatenated non-empty `body` fields of a zstd-compressed JSONL file, one paragraph per body.
std::string read_bodies(const fs::path& path, std::size_t max_docs, std::size_t& docs) {
  std::ifstream in(path, std::ios::binary);
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<char> raw(1 << 20), out(ZSTD_DStreamOutSize());
  std::string text, pending;
  docs = 0;
  const auto take_line = [&](const std::string& line) {
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (!doc.is_object()) return;
    const auto it = doc.find("body");
    if (it == doc.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return;
    text += it->get_ref<const std::string&>();
    text += "\n\n";
    ++docs;
  };
  while (in && (max_docs == 0 || docs < max_docs)) {
    in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    ZSTD_inBuffer input{raw.data(), static_cast<std::size_t>(in.gcount()), 0};
    while (input.pos < input.size) {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      const std::size_t rc = ZSTD_decompressStream(dctx.get(), &output, &input);
      if (ZSTD_isError(rc)) {
        std::fprintf(stderr, "zstd error: %s\n", ZSTD_getErrorName(rc));
        std::exit(1);
      }
      pending.append(out.data(), output.pos);
      std::size_t from = 0;
      for (std::size_t nl; (nl = pending.find('\n', from)) != std::string::npos; from = nl + 1) {
        if (max_docs == 0 || docs < max_docs) take_line(pending.substr(from, nl - from));
      }
      pending.erase(0, from);
    }
  }
  if (!pending.empty() && (max_docs == 0 || docs < max_docs)) take_line(pending);
  return text;
}

std::size_t count_code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// CPU time of the calling thread, in seconds.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Best time of `repeats` runs of `run`, in seconds: the thread's CPU time, not wall time, so
// that on a shared machine the time other processes hold the core is not counted (on an idle
// machine the two agree).
double best_of(int repeats, const std::function<void()>& run) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const double t0 = thread_cpu_seconds();
    run();
    best = std::min(best, thread_cpu_seconds() - t0);
  }
  return best;
}

struct Figure {
  const char* name;
  double mb_per_s, mchars_per_s;
};

Figure report(const char* name, std::size_t bytes, std::size_t chars, double seconds,
              const char* note) {
  const Figure f{name, bytes / seconds / 1e6, chars / seconds / 1e6};
  std::printf("%-34s %9.1f MB/s %9.2f M chars/s  (%.3f s for %.1f MB%s)\n", name, f.mb_per_s,
              f.mchars_per_s, seconds, bytes / 1e6, note);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path path = argc > 1 ? fs::path(argv[1])
                                 : fs::path(VNSEARCH_SOURCE_DIR) / ".." / "shared" / "corpus" /
                                       "baomoi-2017.jsonl.zst";
  const std::size_t max_docs = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  if (!fs::exists(path)) {
    std::printf("skipped: %s not found (../shared absent); pass a .jsonl.zst path\n",
                path.string().c_str());
    return 0;
  }

  std::size_t docs = 0;
  const std::string text = read_bodies(path, max_docs, docs);
  const std::size_t bytes = text.size(), chars = count_code_points(text);
  std::printf("corpus: %s\n%zu bodies, %.1f MB, %.1f M code points; best of %d runs (CPU time)\n\n",
              path.filename().string().c_str(), docs, bytes / 1e6, chars / 1e6, repeats);

  // (a) The whole vnsearch pipeline: decode, repair, normalize, tokenize, fold. The text is fed
  // in paragraph-aligned slices of about 1 MB, reusing one output vector, so that the tokens of
  // 100+ MB (gigabytes of std::string) never need to be held at once.
  std::vector<std::string_view> slices;
  for (std::size_t from = 0; from < bytes;) {
    std::size_t cut = text.find("\n\n", std::min(bytes, from + (1 << 20)));
    cut = cut == std::string::npos ? bytes : cut + 2;
    slices.emplace_back(text.data() + from, cut - from);
    from = cut;
  }
  // The tokens go to a TokenBatch (forms as views into one arena, vnsearch/token_batch.h), as
  // the indexer's hot loop reads them; the std::vector<Token> API (two strings per token) is
  // timed after it for comparison.
  const vnsearch::Analyzer analyzer;
  vnsearch::TokenBatch batch;
  std::size_t token_count = 0;
  const double t_vn = best_of(repeats, [&] {
    token_count = 0;
    for (const auto slice : slices) {
      batch.clear();
      analyzer.analyze(slice, batch);
      token_count += batch.size();
    }
  });
  char note[96];
  std::snprintf(note, sizeof note, ", %zu tokens", token_count);
  const Figure vn = report("vnsearch Analyzer (TokenBatch)", bytes, chars, t_vn, note);
  if (argc > 4 && std::string_view(argv[4]) == "only-vnsearch") return 0;
  std::vector<vnsearch::Token> tokens;
  const double t_vec = best_of(repeats, [&] {
    token_count = 0;
    for (const auto slice : slices) {
      tokens.clear();
      analyzer.analyze(slice, tokens);
      token_count += tokens.size();
    }
  });
  std::snprintf(note, sizeof note, ", %zu tokens", token_count);
  report("vnsearch Analyzer (vector<Token>)", bytes, chars, t_vec, note);

  // ICU works on UTF-16; the conversion is done once, outside the timed loops, which favours ICU.
  const icu::UnicodeString utext = icu::UnicodeString::fromUTF8(text);

  // (b) ICU word boundaries only: no normalization, no folding, no token strings.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  std::size_t boundaries = 0;
  const double t_bi = best_of(repeats, [&] {
    words->setText(utext);
    boundaries = 0;
    for (int32_t p = words->first(); p != icu::BreakIterator::DONE; p = words->next()) ++boundaries;
  });
  std::snprintf(note, sizeof note, ", %zu boundaries", boundaries);
  const Figure bi = report("ICU word BreakIterator", bytes, chars, t_bi, note);

  // (c) ICU Latin-ASCII; Lower, one paragraph at a time: on one 100 MB string ICU's
  // transliterator slows down enormously (5 MB took minutes), and a search engine folds documents
  // or tokens, not the whole corpus at once. Only a prefix is timed; rates are per character.
  std::unique_ptr<icu::Transliterator> fold(
      icu::Transliterator::createInstance("Latin-ASCII; Lower", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "ICU error: %s\n", u_errorName(status));
    return 1;
  }
  std::vector<icu::UnicodeString> paragraphs;
  std::size_t sub_bytes = 0, sub_chars = 0;
  for (std::size_t from = 0; from < bytes && sub_bytes < (8u << 20);) {
    std::size_t nl = text.find('\n', from);
    if (nl == std::string::npos) nl = bytes;
    const std::string_view line(text.data() + from, nl - from);
    paragraphs.push_back(icu::UnicodeString::fromUTF8(
        icu::StringPiece(line.data(), static_cast<int32_t>(line.size()))));
    sub_bytes += line.size() + 1;
    sub_chars += paragraphs.back().countChar32() + 1;
    from = nl + 1;
  }
  const double t_tr = best_of(repeats, [&] {
    for (const auto& paragraph : paragraphs) {
      icu::UnicodeString copy = paragraph;
      fold->transliterate(copy);
    }
  });
  std::snprintf(note, sizeof note, ", per paragraph, prefix of %.1f MB", sub_bytes / 1e6);
  const Figure tr = report("ICU Latin-ASCII; Lower", sub_bytes, sub_chars, t_tr, note);

  // (d) ICU NFC normalization of the full text, as a calibration of the machine.
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const double t_nfc = best_of(repeats, [&] {
    UErrorCode st = U_ZERO_ERROR;
    const icu::UnicodeString out = nfc->normalize(utext, st);
    if (out.length() < 0) std::abort();
  });
  report("ICU NFC normalize (calibration)", bytes, chars, t_nfc, "");

  std::printf("\nvnsearch / BreakIterator: %.2fx   vnsearch / transliterator: %.1fx (chars/s)\n",
              vn.mchars_per_s / bi.mchars_per_s, vn.mchars_per_s / tr.mchars_per_s);
  return 0;
}
