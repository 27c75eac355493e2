#include "snippets.h"

#include <vector>

#include "vnsearch/tokenizer.h"

namespace vnsearch::query {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (char ch : text) {
    switch (ch) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += ch;
    }
  }
}

}  // namespace

std::string make_snippet(std::string_view text, const HighlightTerms& terms,
                         std::size_t window_tokens) {
  AnalyzerOptions options;
  options.emit_parts = false;
  std::vector<Token> tokens = Analyzer(options).analyze(text);
  if (tokens.empty()) return {};
  std::vector<int> match(tokens.size(), -1);  // index of the distinct matched form, or -1
  std::vector<std::string> forms;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    const bool hit = terms.exact.count(token.exact) != 0 || terms.folded.count(token.folded) != 0;
    if (!hit) continue;
    std::size_t form = 0;
    while (form < forms.size() && forms[form] != token.folded) ++form;
    if (form == forms.size()) forms.push_back(token.folded);
    match[i] = static_cast<int>(form);
  }
  // Slide a window over the tokens, scoring distinct forms first, then total matches; counts
  // are updated as tokens enter and leave, so the scan is linear.
  const std::size_t window = std::min(window_tokens, tokens.size());
  std::vector<int> in_window(forms.size(), 0);
  long distinct = 0, total = 0;
  auto enter = [&](std::size_t i) {
    if (match[i] < 0) return;
    ++total;
    if (in_window[match[i]]++ == 0) ++distinct;
  };
  auto leave = [&](std::size_t i) {
    if (match[i] < 0) return;
    --total;
    if (--in_window[match[i]] == 0) --distinct;
  };
  for (std::size_t i = 0; i < window; ++i) enter(i);
  std::size_t best_start = 0;
  long best_score = distinct * 1000 + total;
  for (std::size_t start = 1; start + window <= tokens.size(); ++start) {
    leave(start - 1);
    enter(start + window - 1);
    const long score = distinct * 1000 + total;
    if (score > best_score) {
      best_score = score;
      best_start = start;
    }
  }
  const std::size_t last = best_start + window - 1;
  std::string out;
  if (best_start > 0) out += "… ";
  std::size_t cursor = tokens[best_start].start;
  for (std::size_t i = best_start; i <= last; ++i) {
    append_escaped(out, text.substr(cursor, tokens[i].start - cursor));
    const std::string_view surface = text.substr(tokens[i].start, tokens[i].end - tokens[i].start);
    if (match[i] >= 0) out += "<b>";
    append_escaped(out, surface);
    if (match[i] >= 0) out += "</b>";
    cursor = tokens[i].end;
  }
  if (last + 1 < tokens.size()) out += " …";
  return out;
}

}  // namespace vnsearch::query
