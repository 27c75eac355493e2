#include "query_language.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace vnsearch::query {
namespace {

using Node = LanguageNode;

struct Lexeme {
  enum class Kind {
    kWord,
    kPhrase,
    kField,
    kWildcard,
    kAnd,
    kOr,
    kNot,
    kNear,
    kOpen,
    kClose,
    kIgnored,  ///< syntax dropped by the lexer (a note says what): still marks the language
  };
  Kind kind = Kind::kWord;
  char sign = 0;             ///< '+', '-' or 0
  std::string text;          ///< the word, phrase, field value or wildcard stem
  std::string field;         ///< kField: lower case, `year` read as `date`
  std::size_t distance = 0;  ///< kNear
};

bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

bool ends_word(char ch) {
  return is_space(ch) || ch == '(' || ch == ')';
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// Collects notes when parsing for real; discards them when only detecting operators.
struct Notes {
  std::vector<std::string>* out = nullptr;
  void add(std::string note) const {
    if (out != nullptr) out->push_back(std::move(note));
  }
};

std::string read_quoted(std::string_view text, std::size_t& at, const Notes& notes) {
  const std::size_t close = text.find('"', at);
  std::string value;
  if (close == std::string_view::npos) {
    value = std::string(text.substr(at));
    at = text.size();
    notes.add("unbalanced quote: the phrase runs to the end of the query");
  } else {
    value = std::string(text.substr(at, close - at));
    at = close + 1;
  }
  return value;
}

// `NEAR/n`: the distance, or nothing (with a note) when n is not a usable number.
std::optional<std::size_t> near_distance(std::string_view word, const Notes& notes) {
  const std::string_view digits = word.substr(5);
  const bool numeric =
      !digits.empty() && digits.size() <= 9 &&
      std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  const std::size_t value = numeric ? std::stoul(std::string(digits)) : 0;
  if (value == 0) {
    notes.add("ignored '" + std::string(word) +
              "': the distance must be a whole number from 1 to " +
              std::to_string(LanguageLimits::kMaxNear));
    return std::nullopt;
  }
  if (value > LanguageLimits::kMaxNear) {
    notes.add("'" + std::string(word) + "' searched as NEAR/" +
              std::to_string(LanguageLimits::kMaxNear) + ", the largest distance");
    return LanguageLimits::kMaxNear;
  }
  return value;
}

// One word outside quotes and fields: an operator, a wildcard or a plain word.
void lex_word(std::string word, char sign, std::vector<Lexeme>& out, const Notes& notes) {
  using Kind = Lexeme::Kind;
  if (sign == 0) {
    if (word == "AND") return out.push_back({Kind::kAnd, 0, word, "", 0});
    if (word == "OR") return out.push_back({Kind::kOr, 0, word, "", 0});
    if (word == "NOT") return out.push_back({Kind::kNot, 0, word, "", 0});
    if (word == "NEAR") {
      return out.push_back({Kind::kNear, 0, word, "", LanguageLimits::kDefaultNear});
    }
    if (word.rfind("NEAR/", 0) == 0) {
      if (const auto distance = near_distance(word, notes)) {
        return out.push_back({Kind::kNear, 0, word, "", *distance});
      }
      return out.push_back({Kind::kIgnored, 0, word, "", 0});
    }
  }
  if (word.find('*') == std::string::npos) return out.push_back({Kind::kWord, sign, word, "", 0});
  std::string stem = word.substr(0, word.find_last_not_of('*') + 1);
  if (word.find_last_not_of('*') != std::string::npos && stem.find('*') == std::string::npos) {
    return out.push_back({Kind::kWildcard, sign, std::move(stem), "", 0});
  }
  std::string cleaned;
  std::copy_if(word.begin(), word.end(), std::back_inserter(cleaned),
               [](char ch) { return ch != '*'; });
  out.push_back({Kind::kIgnored, 0, word, "", 0});
  if (cleaned.empty()) {
    notes.add("ignored '" + word + "': a wildcard needs the start of a word before '*'");
    return;
  }
  notes.add("ignored the '*' in '" + word + "': a wildcard only ends a word (searched '" + cleaned +
            "')");
  out.push_back({Kind::kWord, sign, std::move(cleaned), "", 0});
}

std::vector<Lexeme> lex(std::string_view text, const Notes& notes) {
  using Kind = Lexeme::Kind;
  std::vector<Lexeme> out;
  std::size_t at = 0;
  while (at < text.size()) {
    if (is_space(text[at])) {
      ++at;
      continue;
    }
    char sign = 0;
    // A sign counts only when something follows it directly (`- ` is a dash in text).
    if ((text[at] == '+' || text[at] == '-') && at + 1 < text.size() && !is_space(text[at + 1]) &&
        text[at + 1] != ')') {
      sign = text[at++];
    }
    if (text[at] == '(' || text[at] == ')') {
      out.push_back({text[at] == '(' ? Kind::kOpen : Kind::kClose, sign, "", "", 0});
      ++at;
      continue;
    }
    if (text[at] == '"') {
      ++at;
      out.push_back({Kind::kPhrase, sign, read_quoted(text, at, notes), "", 0});
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && !ends_word(text[end])) ++end;
    const std::size_t colon = text.substr(0, end).find(':', at);
    if (colon != std::string_view::npos && colon > at &&
        is_field_name(lower_ascii(text.substr(at, colon - at)))) {
      const std::string field = lower_ascii(text.substr(at, colon - at));
      at = colon + 1;
      std::string value;
      if (at < text.size() && text[at] == '"') {
        ++at;
        value = read_quoted(text, at, notes);
      } else {
        const std::size_t begin = at;
        while (at < text.size() && !ends_word(text[at])) ++at;
        value = std::string(text.substr(begin, at - begin));
      }
      if (value.find_first_not_of(" \t\n\r") == std::string::npos) {
        notes.add("ignored '" + field + ":': no value after it");
        out.push_back({Kind::kIgnored, 0, field + ":", "", 0});
        continue;
      }
      out.push_back({Kind::kField, sign, std::move(value), field == "year" ? "date" : field, 0});
      continue;
    }
    lex_word(std::string(text.substr(at, end - at)), sign, out, notes);
    at = end;
  }
  return out;
}

// Unmatched `)` and parentheses nested past kMaxDepth are dropped; a `(` never closed is closed
// at the end of the query. Either way with a note.
void balance_parentheses(std::vector<Lexeme>& lexemes, const Notes& notes) {
  using Kind = Lexeme::Kind;
  std::vector<Lexeme> out;
  std::size_t depth = 0, too_deep = 0, unmatched_close = 0, dropped_deep = 0;
  for (Lexeme& lexeme : lexemes) {
    if (lexeme.kind == Kind::kOpen) {
      if (depth >= LanguageLimits::kMaxDepth) {
        ++too_deep;
        ++dropped_deep;
        continue;
      }
      ++depth;
    } else if (lexeme.kind == Kind::kClose) {
      if (too_deep > 0) {
        --too_deep;
        continue;
      }
      if (depth == 0) {
        ++unmatched_close;
        continue;
      }
      --depth;
    }
    out.push_back(std::move(lexeme));
  }
  if (unmatched_close > 0) {
    notes.add("ignored " + std::to_string(unmatched_close) + " unmatched ')'");
  }
  if (depth > 0) {
    notes.add("unbalanced parentheses: " + std::to_string(depth) +
              " '(' without ')' closed at the end of the query");
  }
  if (dropped_deep > 0) {
    notes.add("ignored parentheses nested deeper than " +
              std::to_string(LanguageLimits::kMaxDepth) + " levels");
  }
  lexemes = std::move(out);
}

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

// The query without the dropped syntax, in the plain syntax (for a query left with no operator).
std::string plain_text_of(const std::vector<Lexeme>& lexemes) {
  std::string out;
  for (const Lexeme& lexeme : lexemes) {
    std::string piece;
    if (lexeme.sign != 0) piece += lexeme.sign;
    switch (lexeme.kind) {
      case Lexeme::Kind::kWord:
        piece += lexeme.text;
        break;
      case Lexeme::Kind::kPhrase:
        piece += '"' + lexeme.text + '"';
        break;
      case Lexeme::Kind::kField:
        piece += lexeme.field + ":\"" + lexeme.text + '"';
        break;
      default:
        continue;
    }
    out += (out.empty() ? "" : " ") + piece;
  }
  return out;
}

}  // namespace

bool uses_query_language(std::string_view text) {
  for (const Lexeme& lexeme : lex(text, Notes{})) {
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
  const Notes notes{&query.notes};
  std::vector<Lexeme> lexemes = lex(text, notes);
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
