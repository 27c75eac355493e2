#include "query_language.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "query_lexer.h"

namespace vnsearch::query {
namespace {

using Node = LanguageNode;

bool is_nearable(const Node& node) {
  return node.kind == Node::Kind::kLeaf &&
         (node.leaf.kind == Clause::Kind::kText ||
          (node.leaf.kind == Clause::Kind::kPhrase && node.leaf.field.empty()));
}

Node make_group(Node::Kind kind, std::vector<Node> children) {
  if (children.size() == 1) return std::move(children[0]);
  Node node;
  node.kind = kind;
  node.children = std::move(children);
  return node;
}

Node negate(Node child) {
  Node node;
  node.kind = Node::Kind::kNot;
  node.children.push_back(std::move(child));
  return node;
}

// Recursive descent over the lexemes, loosest operator first. Every loop consumes at least one
// lexeme per turn, and parentheses are at most kMaxDepth deep, so it ends and its stack is small.
class Parser {
 public:
  Parser(std::vector<Lexeme> lexemes, std::vector<std::string>& notes)
      : lexemes_(std::move(lexemes)), notes_(notes) {}

  std::optional<Node> parse() {
    std::optional<Node> root;
    while (at_ < lexemes_.size()) {
      std::optional<Node> part = parse_or();
      if (part)
        root = root ? make_group(Node::Kind::kAnd, {std::move(*root), std::move(*part)})
                    : std::move(part);
      if (at_ < lexemes_.size() && kind() == Lexeme::Kind::kClose) ++at_;  // balanced already
    }
    return root;
  }
  [[nodiscard]] bool used() const { return used_; }

 private:
  using Kind = Lexeme::Kind;

  Kind kind() const { return lexemes_[at_].kind; }
  bool at(Kind wanted) const { return at_ < lexemes_.size() && kind() == wanted; }

  std::optional<Node> parse_or() {
    std::vector<std::optional<Node>> segments;
    segments.push_back(parse_and());
    while (at(Kind::kOr)) {
      ++at_;
      segments.push_back(parse_and());
    }
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      if (!segments[i]) {
        notes_.push_back("ignored 'OR' with nothing before it");
      } else if (!segments[i + 1]) {
        notes_.push_back("ignored 'OR' with nothing after it");
      }
    }
    std::vector<Node> operands;
    for (auto& segment : segments) {
      if (segment) operands.push_back(std::move(*segment));
    }
    if (operands.empty()) return std::nullopt;
    if (operands.size() > 1) used_ = true;
    return make_group(Node::Kind::kOr, std::move(operands));
  }

  std::optional<Node> parse_and() {
    std::vector<Node> operands;
    bool after_and = false;
    while (at_ < lexemes_.size() && kind() != Kind::kOr && kind() != Kind::kClose) {
      if (kind() == Kind::kAnd) {
        if (operands.empty() || after_and) {
          notes_.push_back("ignored 'AND' with nothing before it");
        } else {
          after_and = true;
        }
        ++at_;
        continue;
      }
      const std::size_t before = at_;
      std::optional<Node> operand = parse_unary();
      if (operand) {
        if (after_and) used_ = true;
        after_and = false;
        operands.push_back(std::move(*operand));
      }
      if (at_ == before) ++at_;  // never stall on a lexeme nothing could use
    }
    if (after_and) notes_.push_back("ignored 'AND' with nothing after it");
    if (operands.empty()) return std::nullopt;
    return make_group(Node::Kind::kAnd, std::move(operands));
  }

  bool starts_operand() const {
    return at_ < lexemes_.size() && kind() != Kind::kOr && kind() != Kind::kAnd &&
           kind() != Kind::kClose && kind() != Kind::kNear;
  }

  std::optional<Node> parse_unary() {
    if (at(Kind::kNot)) {
      // Counted rather than recursed into, so that `NOT NOT NOT ...` needs no deep stack.
      std::size_t nots = 0;
      while (at(Kind::kNot)) {
        ++at_;
        ++nots;
      }
      std::optional<Node> operand = starts_operand() ? parse_unary() : std::nullopt;
      if (!operand) {
        notes_.push_back("ignored 'NOT' with nothing after it");
        return std::nullopt;
      }
      used_ = true;
      if (nots % 2 == 0) {
        notes_.push_back("'NOT NOT' cancel out");
        return operand;
      }
      return negate(std::move(*operand));
    }
    if (at(Kind::kNear)) {
      notes_.push_back("ignored '" + lexemes_[at_].text + "' with nothing before it");
      ++at_;
      return std::nullopt;
    }
    if (at(Kind::kIgnored)) {
      ++at_;
      return std::nullopt;
    }
    return parse_near();
  }

  std::optional<Node> parse_near() {
    std::optional<Node> first = parse_primary();
    if (!first) return std::nullopt;
    std::vector<Node> operands;
    std::vector<std::size_t> distances;
    operands.push_back(std::move(*first));
    while (at(Kind::kNear)) {
      const Lexeme& near = lexemes_[at_++];
      std::optional<Node> next = starts_operand() ? parse_primary() : std::nullopt;
      if (!next) {
        notes_.push_back("ignored '" + near.text + "' with nothing after it");
        break;
      }
      if (!is_nearable(operands.back()) || !is_nearable(*next)) {
        notes_.push_back("ignored '" + near.text +
                         "': it joins words, wildcards or quoted phrases, not groups or fields");
        // Side by side instead: both must still match.
        Node both = make_group(Node::Kind::kAnd, {std::move(operands.back()), std::move(*next)});
        operands.back() = std::move(both);
        continue;
      }
      distances.push_back(near.distance);
      operands.push_back(std::move(*next));
    }
    if (operands.size() == 1) return std::move(operands[0]);
    used_ = true;
    Node node;
    node.kind = Node::Kind::kNear;
    node.children = std::move(operands);
    node.distances = std::move(distances);
    return node;
  }

  static Node leaf(Clause::Kind clause_kind, std::string text, std::string field = {}) {
    Node node;
    node.leaf.kind = clause_kind;
    node.leaf.text = std::move(text);
    node.leaf.field = std::move(field);
    node.leaf.required = true;
    return node;
  }

  static Node signed_node(Node node, char sign) {
    return sign == '-' ? negate(std::move(node)) : node;
  }

  std::optional<Node> parse_primary() {
    if (at_ >= lexemes_.size()) return std::nullopt;
    const Lexeme& lexeme = lexemes_[at_];
    switch (lexeme.kind) {
      case Kind::kOpen: {
        ++at_;
        std::optional<Node> inside = parse_or();
        if (at(Kind::kClose)) ++at_;
        if (!inside) {
          notes_.push_back("ignored empty parentheses");
          return std::nullopt;
        }
        if (lexeme.sign != 0) used_ = true;
        return signed_node(std::move(*inside), lexeme.sign);
      }
      case Kind::kWord: {
        if (lexeme.sign != 0) {
          ++at_;
          return signed_node(leaf(Clause::Kind::kText, lexeme.text), lexeme.sign);
        }
        // A run of plain words side by side is one operand (a Vietnamese word is often several
        // syllables, and a name several words).
        std::string run;
        while (at(Kind::kWord) && lexemes_[at_].sign == 0) {
          run += (run.empty() ? "" : " ") + lexemes_[at_++].text;
        }
        return leaf(Clause::Kind::kText, std::move(run));
      }
      case Kind::kPhrase:
        ++at_;
        return signed_node(leaf(Clause::Kind::kPhrase, lexeme.text), lexeme.sign);
      case Kind::kField: {
        ++at_;
        const bool title = lexeme.field == "title";
        return signed_node(
            leaf(title ? Clause::Kind::kPhrase : Clause::Kind::kFilter, lexeme.text, lexeme.field),
            lexeme.sign);
      }
      case Kind::kWildcard: {
        ++at_;
        used_ = true;
        Node node = leaf(Clause::Kind::kText, lexeme.text);
        node.wildcard = true;
        return signed_node(std::move(node), lexeme.sign);
      }
      default:
        return std::nullopt;
    }
  }

  std::vector<Lexeme> lexemes_;
  std::vector<std::string>& notes_;
  std::size_t at_ = 0;
  bool used_ = false;
};

}  // namespace

bool uses_query_language(std::string_view text) {
  for (const Lexeme& lexeme : lex_query(text, LexNotes{})) {
    if (lexeme.kind != Lexeme::Kind::kWord && lexeme.kind != Lexeme::Kind::kPhrase &&
        lexeme.kind != Lexeme::Kind::kField) {
      return true;
    }
  }
  return false;
}

LanguageQuery parse_language(std::string_view raw) {
  LanguageQuery query;
  const std::string text = repair_query_utf8(raw, query.notes);
  const LexNotes notes{&query.notes};
  std::vector<Lexeme> lexemes = lex_query(text, notes);
  balance_parentheses(lexemes, notes);
  Parser parser(lexemes, query.notes);
  std::optional<Node> root = parser.parse();
  query.uses_operators = parser.used();
  if (!query.uses_operators) {
    query.plain_text = plain_text_of(lexemes);
    return query;
  }
  query.empty = !root;
  if (root) query.root = std::move(*root);
  return query;
}

}  // namespace vnsearch::query
