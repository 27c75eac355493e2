#include "snippets.h"

#include <vector>

#include "vnsearch/tokenizer.h"

namespace vnsearch::query {

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
      default:
        out += ch;
    }
  }
}

namespace {

void append_text(std::string& out, std::string_view text) {
  for (char ch : text) out += ch == '\n' ? ' ' : ch;
}

}  // namespace

Snippet find_snippet(std::string_view text, const HighlightTerms& terms,
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
  Snippet out;
  if (best_start > 0) out.text += "… ";
  std::size_t cursor = tokens[best_start].start;
  for (std::size_t i = best_start; i <= last; ++i) {
    append_text(out.text, text.substr(cursor, tokens[i].start - cursor));
    const std::string_view surface = text.substr(tokens[i].start, tokens[i].end - tokens[i].start);
    const std::size_t begin = out.text.size();
    append_text(out.text, surface);
    if (match[i] >= 0) {
      // Adjacent matches stay separate ranges: each is one matched word.
      out.matches.push_back({begin, out.text.size()});
    }
    cursor = tokens[i].end;
  }
  if (last + 1 < tokens.size()) out.text += " …";
  return out;
}

std::string make_snippet(std::string_view text, const HighlightTerms& terms,
                         std::size_t window_tokens) {
  return render_snippet(find_snippet(text, terms, window_tokens));
}

}  // namespace vnsearch::query

namespace vnsearch {

std::vector<SnippetPiece> snippet_pieces(const Snippet& snippet) {
  std::vector<SnippetPiece> pieces;
  const std::string_view text = snippet.text;
  std::size_t cursor = 0;
  for (const Snippet::Range& range : snippet.matches) {
    if (range.begin < cursor || range.end > text.size() || range.begin > range.end) continue;
    if (range.begin > cursor) pieces.push_back({text.substr(cursor, range.begin - cursor), false});
    pieces.push_back({text.substr(range.begin, range.end - range.begin), true});
    cursor = range.end;
  }
  if (cursor < text.size()) pieces.push_back({text.substr(cursor), false});
  return pieces;
}

std::string render_snippet(const Snippet& snippet, const SnippetMarks& marks) {
  std::string out;
  for (const SnippetPiece& piece : snippet_pieces(snippet)) {
    if (piece.match) out += marks.open;
    if (marks.escape_html) {
      query::append_escaped(out, piece.text);
    } else {
      out += piece.text;
    }
    if (piece.match) out += marks.close;
  }
  return out;
}

}  // namespace vnsearch
