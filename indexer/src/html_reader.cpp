// HTML pages: metadata from <meta>/<title>/<time>, and the main text chosen by content density.
// The scoring follows the Readability idea: every paragraph of real prose votes for its parent
// (and half for its grandparent); the container with the most votes, discounted by how much of
// its text is link text, is the article.
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <memory>
#include <unordered_map>

#include "format_readers.h"
#include "text_util.h"
#include "vnsearch/dates.h"

namespace vnsearch::detail {

namespace {

// Paragraphs shorter than this (bytes) are captions, buttons or labels and do not vote.
constexpr std::size_t kMinParagraphBytes = 25;
// Inside the article, a list or box whose text is mostly links is "related articles".
constexpr double kMaxLinkDensity = 0.5;
// How far after the headline a printed date may be, in bytes of visible text.
constexpr std::size_t kDateWindowBytes = 600;
// Markup nested deeper than this is ignored: real pages stay under a hundred levels, and the
// tree walks below are recursive, so a hostile page must not exhaust the stack.
constexpr unsigned kMaxDepth = 512;

template <std::size_t N>
bool one_of(GumboTag tag, const std::array<GumboTag, N>& tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

// Never part of the article text: navigation, page chrome, code, forms, embedded media.
bool is_dropped(GumboTag tag) {
  static constexpr std::array kDropped{GUMBO_TAG_NAV,        GUMBO_TAG_HEADER,   GUMBO_TAG_FOOTER,
                                       GUMBO_TAG_ASIDE,      GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,
                                       GUMBO_TAG_NOSCRIPT,   GUMBO_TAG_TEMPLATE, GUMBO_TAG_FORM,
                                       GUMBO_TAG_IFRAME,     GUMBO_TAG_SVG,      GUMBO_TAG_BUTTON,
                                       GUMBO_TAG_SELECT,     GUMBO_TAG_TEXTAREA, GUMBO_TAG_FIGURE,
                                       GUMBO_TAG_FIGCAPTION, GUMBO_TAG_HEAD,     GUMBO_TAG_MENU};
  return one_of(tag, kDropped);
}

// Never visible at all (unlike nav or footer, which are visible chrome).
bool is_invisible(GumboTag tag) {
  static constexpr std::array kInvisible{GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_NOSCRIPT,
                                         GUMBO_TAG_TEMPLATE, GUMBO_TAG_HEAD};
  return one_of(tag, kInvisible);
}

// Elements that start a new line of text.
bool is_block(GumboTag tag) {
  static constexpr std::array kBlocks{
      GUMBO_TAG_P,          GUMBO_TAG_DIV, GUMBO_TAG_BR,      GUMBO_TAG_LI,      GUMBO_TAG_UL,
      GUMBO_TAG_OL,         GUMBO_TAG_H1,  GUMBO_TAG_H2,      GUMBO_TAG_H3,      GUMBO_TAG_H4,
      GUMBO_TAG_H5,         GUMBO_TAG_H6,  GUMBO_TAG_TABLE,   GUMBO_TAG_TR,      GUMBO_TAG_TD,
      GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE, GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE, GUMBO_TAG_MAIN,
      GUMBO_TAG_DL,         GUMBO_TAG_DT,  GUMBO_TAG_DD,      GUMBO_TAG_HR};
  return one_of(tag, kBlocks);
}

bool is_element(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT;
}
GumboTag tag_of(const GumboNode* node) {
  return node->v.element.tag;
}

std::string attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? std::string(a->value) : std::string();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

template <typename F>
void for_each_child(const GumboNode* node, F&& f) {
  const GumboVector& children = node->v.element.children;
  for (unsigned k = 0; k < children.length; ++k) f(static_cast<const GumboNode*>(children.data[k]));
}

// Text of `node` with one '\n' between blocks; skips what `skip` says to.
template <typename Skip>
void append_text(const GumboNode* node, std::string& out, const Skip& skip, unsigned depth = 0) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
      node->type == GUMBO_NODE_WHITESPACE) {
    out += node->v.text.text;
    return;
  }
  if (!is_element(node) && node->type != GUMBO_NODE_TEMPLATE) return;  // comments, documents
  if (depth > kMaxDepth || skip(node)) return;
  const bool block = is_block(tag_of(node));
  if (block) out += '\n';
  for_each_child(node, [&](const GumboNode* child) { append_text(child, out, skip, depth + 1); });
  if (block) out += '\n';
}

// Joins the non-empty lines of raw extracted text, whitespace collapsed.
std::string tidy_lines(std::string_view raw) {
  std::string out;
  while (!raw.empty()) {
    const std::size_t end = std::min(raw.find('\n'), raw.size());
    const std::string line = collapse_whitespace(raw.substr(0, end));
    if (!line.empty()) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    raw.remove_prefix(std::min(end + 1, raw.size()));
  }
  return out;
}

// Everything the page says about itself outside the article text.
struct PageMeta {
  std::string og_title, title_tag, h1, og_description, description, published, url, site_name,
      section, author, keywords;
  std::vector<std::string> tags;
  std::vector<std::string> time_values;  // <time datetime> (or text), in document order
  const GumboNode* h1_node = nullptr;
};

void collect_meta(const GumboNode* node, bool in_chrome, PageMeta& meta, unsigned depth = 0) {
  if (!is_element(node) || depth > kMaxDepth) return;
  const GumboTag tag = tag_of(node);
  const auto no_skip = [](const GumboNode*) { return false; };
  if (tag == GUMBO_TAG_META) {
    const std::string key =
        lower(attribute(node, "property") + attribute(node, "name") + attribute(node, "itemprop"));
    std::string content = collapse_whitespace(attribute(node, "content"));
    if (key == "og:title")
      meta.og_title = content;
    else if (key == "og:description")
      meta.og_description = content;
    else if (key == "description")
      meta.description = content;
    else if (key == "og:url")
      meta.url = content;
    else if (key == "og:site_name")
      meta.site_name = content;
    else if (key == "article:section")
      meta.section = content;
    else if (key == "author" || key == "article:author")
      meta.author = content;
    else if (key == "keywords" || key == "news_keywords")
      meta.keywords = content;
    else if (key == "article:tag" && !content.empty())
      meta.tags.push_back(content);
    else if ((key == "article:published_time" || key == "datepublished" || key == "pubdate") &&
             meta.published.empty()) {
      meta.published = content;
    }
  } else if (tag == GUMBO_TAG_LINK && lower(attribute(node, "rel")) == "canonical") {
    if (meta.url.empty()) meta.url = attribute(node, "href");
  } else if (tag == GUMBO_TAG_TITLE && meta.title_tag.empty()) {
    std::string raw;
    append_text(node, raw, no_skip);
    meta.title_tag = collapse_whitespace(raw);
  } else if (tag == GUMBO_TAG_H1 && !in_chrome && !meta.h1_node) {
    std::string raw;
    append_text(node, raw, no_skip);
    meta.h1 = collapse_whitespace(raw);
    if (!meta.h1.empty()) meta.h1_node = node;
  } else if (tag == GUMBO_TAG_TIME) {
    std::string value = attribute(node, "datetime");
    if (value.empty()) append_text(node, value, no_skip);
    meta.time_values.push_back(collapse_whitespace(value));
  }
  // A site-wide <header> may hold the logo as <h1>; nav, footer and aside never hold the title.
  const bool chrome =
      in_chrome || tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_ASIDE;
  for_each_child(node,
                 [&](const GumboNode* child) { collect_meta(child, chrome, meta, depth + 1); });
}

// Text and link-text sizes of every element outside dropped regions, computed once.
struct Sizes {
  std::size_t text = 0;
  std::size_t link = 0;
};

class DensityScorer {
 public:
  explicit DensityScorer(const GumboNode* root) { measure(root, false, 0); }

  // The element holding the article, or nullptr when no paragraph of prose was found.
  const GumboNode* best() const {
    const GumboNode* best = nullptr;
    double best_score = 0;
    for (const GumboNode* node : voted_) {  // document order, so ties resolve the same way
      const double adjusted = votes_.at(node) * (1.0 - link_density(node));
      if (adjusted > best_score) {
        best_score = adjusted;
        best = node;
      }
    }
    return best;
  }

  double link_density(const GumboNode* node) const {
    const auto it = sizes_.find(node);
    if (it == sizes_.end() || it->second.text == 0) return 0;
    return static_cast<double>(it->second.link) / static_cast<double>(it->second.text);
  }

 private:
  Sizes measure(const GumboNode* node, bool in_link, unsigned depth) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      const std::size_t n = collapse_whitespace(node->v.text.text).size();
      return {n, in_link ? n : 0};
    }
    if (!is_element(node) && node->type != GUMBO_NODE_TEMPLATE) return {};
    if (depth > kMaxDepth || is_dropped(tag_of(node))) return {};
    Sizes total;
    bool has_block_child = false;
    const bool link = in_link || tag_of(node) == GUMBO_TAG_A;
    for_each_child(node, [&](const GumboNode* child) {
      const Sizes s = measure(child, link, depth + 1);
      total.text += s.text;
      total.link += s.link;
      if (is_element(child) && is_block(tag_of(child)) && tag_of(child) != GUMBO_TAG_BR) {
        has_block_child = true;
      }
    });
    sizes_[node] = total;
    const GumboTag tag = tag_of(node);
    // A paragraph: <p>-like, or a <div>/<td> holding only inline content (many CMSs use those).
    const bool paragraph = tag == GUMBO_TAG_P || tag == GUMBO_TAG_PRE ||
                           tag == GUMBO_TAG_BLOCKQUOTE ||
                           ((tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_TD) && !has_block_child);
    if (paragraph && total.text >= kMinParagraphBytes && total.link * 2 < total.text) {
      vote(node, total.text);
    }
    return total;
  }

  void vote(const GumboNode* paragraph, std::size_t text_bytes) {
    const GumboNode* parent = paragraph->parent;
    if (!parent || !is_element(parent)) return;
    const double score = 1.0 + std::min(static_cast<double>(text_bytes) / 100.0, 3.0);
    add_votes(parent, score);
    if (parent->parent && is_element(parent->parent)) add_votes(parent->parent, score / 2);
  }

  void add_votes(const GumboNode* node, double score) {
    auto [it, inserted] = votes_.try_emplace(node, 0.0);
    if (inserted) voted_.push_back(node);
    it->second += score;
  }

  std::unordered_map<const GumboNode*, Sizes> sizes_;
  std::unordered_map<const GumboNode*, double> votes_;
  std::vector<const GumboNode*> voted_;  // keys of votes_ in the order they were first seen
};

// The visible text after the headline, where sites print "Thứ tư, 7/2/2024, 23:41 (GMT+7)".
std::optional<ParsedDate> date_near_title(const GumboNode* root, const GumboNode* h1) {
  std::string text;
  std::size_t title_end = std::string::npos;
  // Walk visible text in order; remember where the headline ends.
  std::function<void(const GumboNode*, unsigned)> walk = [&](const GumboNode* node,
                                                             unsigned depth) {
    if (title_end != std::string::npos && text.size() > title_end + kDateWindowBytes) return;
    if (node->type == GUMBO_NODE_TEXT) {
      text += node->v.text.text;
      text += ' ';
      return;
    }
    if (!is_element(node) || depth > kMaxDepth || is_invisible(tag_of(node))) return;
    for_each_child(node, [&](const GumboNode* child) { walk(child, depth + 1); });
    if (node == h1) title_end = text.size();
  };
  walk(root, 0);
  if (title_end == std::string::npos) return std::nullopt;
  const std::size_t end = utf8_prefix_length(text, title_end + kDateWindowBytes);
  return find_date(std::string_view(text).substr(title_end, end - title_end));
}

// Gumbo's parse time grows with the square of the nesting depth (200,000 nested <div> take
// two minutes), so pages nested absurdly deep are refused before parsing. This estimate counts
// open minus close tags, ignoring void elements, elements the parser closes implicitly, and
// script/style bodies and comments, so ordinary sloppy HTML stays far below the limit.
constexpr std::size_t kMaxEstimatedNesting = 4096;

std::size_t estimated_nesting(std::string_view html) {
  static constexpr std::array<std::string_view, 27> kNotNesting{
      "area", "base",  "br",     "col",    "embed",    "hr",    "img",   "input", "link",
      "meta", "param", "source", "track",  "wbr",      "p",     "li",    "dt",    "dd",
      "tr",   "td",    "th",     "option", "optgroup", "thead", "tbody", "tfoot", "!doctype"};
  std::size_t depth = 0, deepest = 0;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      i = html.find("-->", i);
      if (i == std::string_view::npos) break;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t start = i + (closing ? 2 : 1), end = start;
    while (end < html.size() &&
           (std::isalnum(static_cast<unsigned char>(html[end])) || html[end] == '!')) {
      ++end;
    }
    i = end;
    if (end == start) continue;  // "a < b" in text
    std::string name = lower(std::string(html.substr(start, end - start)));
    if (!closing && (name == "script" || name == "style")) {
      // Skip to the matching close tag; the body is not markup.
      const std::string close = "</" + name;
      std::size_t k = i;
      while ((k = html.find("</", k)) != std::string_view::npos &&
             lower(std::string(html.substr(k, close.size()))) != close) {
        k += 2;
      }
      if (k == std::string_view::npos) break;
      i = k;
      continue;
    }
    if (std::find(kNotNesting.begin(), kNotNesting.end(), name) != kNotNesting.end()) continue;
    const std::size_t tag_end = html.find('>', i);
    if (!closing && tag_end != std::string_view::npos && tag_end > 0 && html[tag_end - 1] == '/') {
      continue;  // <x/>
    }
    if (closing) {
      depth -= depth > 0 ? 1 : 0;
    } else {
      deepest = std::max(deepest, ++depth);
    }
  }
  return deepest;
}

// Iterative, unlike the walks above, so it is safe on any tree.
bool depth_exceeds(const GumboNode* root, unsigned limit) {
  std::vector<std::pair<const GumboNode*, unsigned>> stack{{root, 0}};
  while (!stack.empty()) {
    // Plain variables, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const GumboNode* node = stack.back().first;
    const unsigned depth = stack.back().second;
    stack.pop_back();
    if (depth > limit) return true;
    if (!is_element(node) && node->type != GUMBO_NODE_TEMPLATE) continue;
    for_each_child(node, [&](const GumboNode* child) { stack.emplace_back(child, depth + 1); });
  }
  return false;
}

struct GumboDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

}  // namespace

Document parse_html_page(std::string_view html, std::vector<PageIssue>& issues) {
  if (const std::size_t nesting = estimated_nesting(html); nesting > kMaxEstimatedNesting) {
    issues.push_back({"", "markup nested about " + std::to_string(nesting) +
                              " levels deep; too deep to parse in reasonable time"});
    return {};
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read gumbo's error list; don't let junk pages grow it
  std::unique_ptr<GumboOutput, GumboDeleter> output(
      gumbo_parse_with_options(&options, html.data(), html.size()));
  const GumboNode* root = output->root;

  if (depth_exceeds(root, kMaxDepth)) {
    issues.push_back({"body", "markup nested deeper than " + std::to_string(kMaxDepth) +
                                  " levels; the deeper part is ignored"});
  }
  PageMeta meta;
  collect_meta(root, false, meta);
  Document document;
  document.title = !meta.og_title.empty() ? meta.og_title
                   : !meta.h1.empty()     ? meta.h1
                                          : meta.title_tag;
  document.description = !meta.og_description.empty() ? meta.og_description : meta.description;
  document.url = meta.url;
  document.source = meta.site_name;
  document.category = meta.section;
  document.author = meta.author;
  document.tags = meta.tags;
  if (document.tags.empty() && !meta.keywords.empty()) {
    std::string_view rest = meta.keywords;
    while (!rest.empty()) {
      const std::size_t comma = std::min(rest.find(','), rest.size());
      if (std::string tag = collapse_whitespace(rest.substr(0, comma)); !tag.empty()) {
        document.tags.push_back(std::move(tag));
      }
      rest.remove_prefix(std::min(comma + 1, rest.size()));
    }
  }
  if (document.title.empty()) issues.push_back({"title", "no og:title, <h1> or <title>"});

  // Date: declared metadata first, then <time>, then a date printed under the headline.
  std::optional<ParsedDate> date;
  if (!meta.published.empty()) {
    date = parse_date(meta.published);
    if (!date) {
      issues.push_back({"date", "unparseable published time \"" + meta.published.substr(0, 80) +
                                    "\"; looking elsewhere"});
    }
  }
  for (std::size_t k = 0; !date && k < meta.time_values.size(); ++k) {
    date = parse_date(meta.time_values[k]);
  }
  if (!date && meta.h1_node) date = date_near_title(root, meta.h1_node);
  if (date) {
    document.date = std::move(date->iso8601);
    document.timestamp = date->unix_seconds;
  }

  // Main text: the densest container, minus chrome, the headline and link boxes.
  const DensityScorer scorer(root);
  const GumboNode* article = scorer.best();
  if (!article) {
    for_each_child(root, [&](const GumboNode* child) {
      if (is_element(child) && tag_of(child) == GUMBO_TAG_BODY) article = child;
    });
  }
  if (article) {
    std::string raw;
    append_text(article, raw, [&](const GumboNode* node) {
      const GumboTag tag = tag_of(node);
      if (is_dropped(tag) || tag == GUMBO_TAG_H1) return true;
      const bool box = tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_DIV ||
                       tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_SECTION;
      return box && node != article && scorer.link_density(node) > kMaxLinkDensity;
    });
    document.body = tidy_lines(raw);
  }
  if (document.body.empty()) issues.push_back({"body", "no article text found"});
  return document;
}

}  // namespace vnsearch::detail
