// HTML pages: metadata from <meta>/<title>/<time>, and the main text chosen by content density.
// The scoring follows the Readability idea: every paragraph of real prose votes for its parent
// (and half for its grandparent); the container with the most votes, discounted by how much of
// its text is link text, is the article.
#include <gumbo.h>

#include <algorithm>
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

// Never part of the article text: navigation, page chrome, code, forms, embedded media.
bool is_dropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

// Never visible at all (unlike nav or footer, which are visible chrome).
bool is_invisible(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
         tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_HEAD;
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_HR:
      return true;
    default:
      return false;
  }
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
void append_text(const GumboNode* node, std::string& out, const Skip& skip) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
      node->type == GUMBO_NODE_WHITESPACE) {
    out += node->v.text.text;
    return;
  }
  if (!is_element(node) && node->type != GUMBO_NODE_TEMPLATE) return;  // comments, documents
  if (skip(node)) return;
  const bool block = is_block(tag_of(node));
  if (block) out += '\n';
  for_each_child(node, [&](const GumboNode* child) { append_text(child, out, skip); });
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

void collect_meta(const GumboNode* node, bool in_chrome, PageMeta& meta) {
  if (!is_element(node)) return;
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
  for_each_child(node, [&](const GumboNode* child) { collect_meta(child, chrome, meta); });
}

// Text and link-text sizes of every element outside dropped regions, computed once.
struct Sizes {
  std::size_t text = 0;
  std::size_t link = 0;
};

class DensityScorer {
 public:
  explicit DensityScorer(const GumboNode* root) { measure(root, false); }

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
  Sizes measure(const GumboNode* node, bool in_link) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      const std::size_t n = collapse_whitespace(node->v.text.text).size();
      return {n, in_link ? n : 0};
    }
    if (!is_element(node) && node->type != GUMBO_NODE_TEMPLATE) return {};
    if (is_dropped(tag_of(node))) return {};
    Sizes total;
    bool has_block_child = false;
    const bool link = in_link || tag_of(node) == GUMBO_TAG_A;
    for_each_child(node, [&](const GumboNode* child) {
      const Sizes s = measure(child, link);
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
  std::function<void(const GumboNode*)> walk = [&](const GumboNode* node) {
    if (title_end != std::string::npos && text.size() > title_end + kDateWindowBytes) return;
    if (node->type == GUMBO_NODE_TEXT) {
      text += node->v.text.text;
      text += ' ';
      return;
    }
    if (!is_element(node) || is_invisible(tag_of(node))) return;
    for_each_child(node, walk);
    if (node == h1) title_end = text.size();
  };
  walk(root);
  if (title_end == std::string::npos) return std::nullopt;
  const std::size_t end = utf8_prefix_length(text, title_end + kDateWindowBytes);
  return find_date(std::string_view(text).substr(title_end, end - title_end));
}

struct GumboDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

}  // namespace

Document parse_html_page(std::string_view html, std::vector<PageIssue>& issues) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read gumbo's error list; don't let junk pages grow it
  std::unique_ptr<GumboOutput, GumboDeleter> output(
      gumbo_parse_with_options(&options, html.data(), html.size()));
  const GumboNode* root = output->root;

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
