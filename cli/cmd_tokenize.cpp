// `vnsearch tokenize`: the analyzer on stdin, like Elasticsearch's _analyze. Useful to see why a
// query does or does not match: it prints exactly the terms the indexer would derive.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::cli {
namespace {

struct TokenizeOptions {
  bool json = false;
  std::string encoding = "auto";
  bool no_parts = false;
};

std::string_view role_name(TokenRole role) {
  switch (role) {
    case TokenRole::kSimple:
      return "simple";
    case TokenRole::kCompound:
      return "compound";
    case TokenRole::kPart:
      return "part";
  }
  return "simple";
}

// JSON string literal of `text`, ill-formed UTF-8 replaced by U+FFFD.
std::string json_string(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One object per line, keys in the order nlohmann::json would sort them. Written by hand: a
// json object per token costs more than the analysis itself.
void print_json(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& token : tokens) {
    out += "{\"end\":" + std::to_string(token.end);
    out += ",\"exact\":" + json_string(token.exact);
    out += ",\"folded\":" + json_string(token.folded);
    out += ",\"kind\":\"";
    out += token_kind_name(token.kind);
    out += "\",\"paragraph\":" + std::to_string(token.paragraph);
    out += ",\"position\":" + std::to_string(token.position);
    out += ",\"role\":\"";
    out += role_name(token.role);
    out += "\",\"sentence\":" + std::to_string(token.sentence);
    out += ",\"start\":" + std::to_string(token.start) + "}\n";
    if (out.size() >= 64 * 1024) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out;
}

// Terminal columns `utf8` takes: combining marks and invisible format characters take none,
// wide and full-width characters (CJK) two, everything else one. Byte counts would misalign
// every accented word.
std::size_t display_width(std::string_view utf8) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto length = static_cast<std::int32_t>(utf8.size());  // tokens are short
  std::size_t width = 0;
  for (std::int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      ++width;  // shown as U+FFFD
      continue;
    }
    const auto category = static_cast<UCharCategory>(u_charType(c));
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK ||
        category == U_FORMAT_CHAR) {
      continue;
    }
    const auto east_asian = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    width += east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
  }
  return width;
}

// `text` then spaces up to `columns` display columns, and at least one space.
void print_padded(std::string_view text, std::size_t columns) {
  const std::size_t width = display_width(text);
  std::cout << text << std::string(width + 1 < columns ? columns - width : 1, ' ');
}

void print_table_header() {
  std::cout << std::left << std::setw(5) << "pos" << std::setw(14) << "bytes" << std::setw(8)
            << "kind" << std::setw(22) << "exact"
            << "folded\n";
}

void print_table(const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    std::string bytes = std::to_string(token.start) + "-" + std::to_string(token.end);
    std::string kind(token_kind_name(token.kind));
    if (token.role == TokenRole::kPart) kind = " " + kind;
    std::cout << std::left << std::setw(5) << token.position << std::setw(14) << bytes
              << std::setw(8) << kind;
    print_padded(token.exact, 22);
    std::cout << token.folded << "\n";
  }
}

// stdin is read in pieces of this size...
constexpr std::size_t kReadChunk = 256 * 1024;
// ...and analyzed up to the last line break; a longer line is cut at white space here.
constexpr std::size_t kMaxPiece = 1024 * 1024;

int run_tokenize(const TokenizeOptions& options) {
  const auto encoding = parse_encoding_name(options.encoding);
  if (!encoding) {
    std::cerr << "vnsearch tokenize: unknown encoding '" << options.encoding
              << "' (expected auto, utf-8, windows-1258, tcvn3, vni, viscii or viqr)\n";
    return 2;
  }
  AnalyzerOptions analyzer_options;
  analyzer_options.encoding = *encoding;
  analyzer_options.emit_parts = !options.no_parts;
  AnalyzerStream stream(analyzer_options);
  if (!options.json) print_table_header();

  // Streamed: memory is bounded by the piece size whatever the input, and output appears as
  // input arrives. Offsets still count from the start of the whole input.
  std::string buffer;
  std::vector<Token> tokens;
  std::size_t invalid = 0;
  Encoding decoded_from = Encoding::kUtf8;
  bool end = false;
  while (!end) {
    const std::size_t held = buffer.size();
    buffer.resize(held + kReadChunk);
    const std::size_t got = std::fread(buffer.data() + held, 1, kReadChunk, stdin);
    buffer.resize(held + got);
    if (got < kReadChunk) {
      if (std::ferror(stdin)) {
        std::cerr << "vnsearch tokenize: cannot read standard input: " << std::strerror(errno)
                  << "\n";
        return 1;
      }
      end = true;
    }
    std::size_t used = 0;
    while (used < buffer.size()) {
      const std::string_view rest = std::string_view(buffer).substr(used);
      const std::size_t length = end ? rest.size() : AnalyzerStream::safe_length(rest, kMaxPiece);
      if (length == 0) break;
      tokens.clear();
      const AnalysisReport report = stream.feed(rest.substr(0, length), tokens);
      invalid += report.invalid_utf8_sequences;
      if (report.encoding != Encoding::kUtf8) decoded_from = report.encoding;
      if (options.json) {
        print_json(tokens);
      } else {
        print_table(tokens);
      }
      used += length;
    }
    buffer.erase(0, used);
    std::cout.flush();
  }
  if (invalid > 0) {
    std::cerr << "vnsearch tokenize: " << invalid
              << " ill-formed or unmappable byte sequence(s) replaced by U+FFFD\n";
  }
  if (decoded_from != Encoding::kUtf8 && decoded_from != Encoding::kAuto) {
    std::cerr << "vnsearch tokenize: decoded from " << encoding_name(decoded_from) << "\n";
  }
  return 0;
}

}  // namespace

void register_tokenize(CLI::App& app) {
  auto options = std::make_shared<TokenizeOptions>();
  CLI::App* command = app.add_subcommand(
      "tokenize", "Print the tokens of the text on standard input (exact and folded forms)");
  command->add_flag("--json", options->json,
                    "One JSON object per token per line: start, end, position, exact, folded, "
                    "kind, role, sentence, paragraph");
  command->add_option(
      "--encoding", options->encoding,
      "Input encoding: auto (default), utf-8, windows-1258, tcvn3, vni, viscii, viqr");
  command->add_flag("--no-parts", options->no_parts,
                    "Do not list the parts of codes, dates, e-mail addresses and URLs");
  command->callback([options] {
    const int status = run_tokenize(*options);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace vnsearch::cli
