// `vnsearch tokenize`: the analyzer on stdin, like Elasticsearch's _analyze. Useful to see why a
// query does or does not match: it prints exactly the terms the indexer would derive.
#include <iomanip>
#include <iostream>
#include <iterator>
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

void print_json(const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    nlohmann::json line = {{"start", token.start},          {"end", token.end},
                           {"position", token.position},    {"exact", token.exact},
                           {"folded", token.folded},        {"kind", token_kind_name(token.kind)},
                           {"role", role_name(token.role)}, {"sentence", token.sentence},
                           {"paragraph", token.paragraph}};
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
}

void print_table(std::string_view input, const std::vector<Token>& tokens) {
  std::cout << std::left << std::setw(5) << "pos" << std::setw(14) << "bytes" << std::setw(8)
            << "kind" << std::setw(22) << "exact"
            << "folded\n";
  for (const Token& token : tokens) {
    std::string bytes = std::to_string(token.start) + "-" + std::to_string(token.end);
    std::string kind(token_kind_name(token.kind));
    if (token.role == TokenRole::kPart) kind = " " + kind;
    std::cout << std::setw(5) << token.position << std::setw(14) << bytes << std::setw(8) << kind
              << token.exact
              << std::string(token.exact.size() < 21 ? 22 - token.exact.size() : 1, ' ')
              << token.folded << "\n";
  }
  (void)input;
}

int run_tokenize(const TokenizeOptions& options) {
  const auto encoding = parse_encoding_name(options.encoding);
  if (!encoding) {
    std::cerr << "vnsearch tokenize: unknown encoding '" << options.encoding
              << "' (expected auto, utf-8, windows-1258, tcvn3, vni, viscii or viqr)\n";
    return 2;
  }
  const std::string input{std::istreambuf_iterator<char>(std::cin),
                          std::istreambuf_iterator<char>()};
  AnalyzerOptions analyzer_options;
  analyzer_options.encoding = *encoding;
  analyzer_options.emit_parts = !options.no_parts;
  std::vector<Token> tokens;
  const AnalysisReport report = Analyzer(analyzer_options).analyze(input, tokens);
  if (options.json) {
    print_json(tokens);
  } else {
    print_table(input, tokens);
  }
  if (report.invalid_utf8_sequences > 0) {
    std::cerr << "vnsearch tokenize: " << report.invalid_utf8_sequences
              << " ill-formed or unmappable byte sequence(s) replaced by U+FFFD\n";
  }
  if (report.encoding != Encoding::kUtf8 && report.encoding != Encoding::kAuto) {
    std::cerr << "vnsearch tokenize: decoded from " << encoding_name(report.encoding) << "\n";
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
