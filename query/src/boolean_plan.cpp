#include "boolean_plan.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "query_language.h"
#include "restoration.h"
#include "vnsearch/schema.h"
#include "vnsearch/tokenizer.h"

namespace vnsearch::query {
namespace {

using Node = LanguageNode;

// What one node matches: `positive` minus `negative`. A node may constrain nothing (an ignored
// filter, or only exclusions) or match no document at all (a wildcard no word starts with).
struct Part {
  bool constrains = false;
  bool nothing = false;
  Xapian::Query positive;
  Xapian::Query negative;  ///< empty: nothing excluded
};

Xapian::Query match_nothing() {
  // Not Xapian::Query() (which callers read as "no constraint"): a query that is there and
  // matches no document.
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, Xapian::Query::MatchAll);
}

Xapian::Query both(Xapian::Query::op op, const Xapian::Query& left, const Xapian::Query& right) {
  if (left.empty()) return right;
  if (right.empty()) return left;
  return Xapian::Query(op, left, right);
}

Xapian::Query whole(const Part& part) {
  return part.negative.empty()
             ? part.positive
             : Xapian::Query(Xapian::Query::OP_AND_NOT, part.positive, part.negative);
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

class Compiler {
 public:
  Compiler(QueryPlan& plan, const SyllableModel& model, const Xapian::Database& db)
      : plan_(plan), model_(model), db_(db) {}

  void compile_root(const Node& root) {
    const Part part = compile(root, true);
    if (part.nothing) {
      plan_.required = match_nothing();
    } else if (part.constrains) {
      // The structure decides what matches; the units (and wildcards) decide the order.
      Xapian::Query structure(Xapian::Query::OP_SCALE_WEIGHT, part.positive, 0.0);
      if (!ranked_wildcards_.empty()) {
        structure = Xapian::Query(Xapian::Query::OP_AND_MAYBE, structure,
                                  Xapian::Query(Xapian::Query::OP_OR, ranked_wildcards_.begin(),
                                                ranked_wildcards_.end()));
      }
      plan_.required = structure;
      plan_.excluded = part.negative;
    } else {
      if (!part.negative.empty()) {
        plan_.notes.push_back("the query only excludes: add words to search for");
      }
      // Nothing positive to match: nothing to rank either.
      plan_.units.clear();
      inputs_.clear();
    }
    restore_units(plan_, inputs_, model_);
  }

 private:
  Part compile(const Node& node, bool positive) {
    switch (node.kind) {
      case Node::Kind::kLeaf:
        return node.wildcard ? wildcard(node.leaf.text, positive) : leaf(node.leaf, positive);
      case Node::Kind::kAnd:
        return all_of(node, positive);
      case Node::Kind::kOr:
        return any_of(node, positive);
      case Node::Kind::kNot:
        return negation(node);
      case Node::Kind::kNear:
        return near(node, positive);
    }
    return {};
  }

  Part all_of(const Node& node, bool positive) {
    Part result;
    for (const Node& child : node.children) {
      Part part = compile(child, positive);
      result.nothing = result.nothing || part.nothing;
      if (part.constrains) {
        result.positive = both(Xapian::Query::OP_AND, result.positive, part.positive);
        result.constrains = true;
      }
      result.negative = both(Xapian::Query::OP_OR, result.negative, part.negative);
    }
    return result;
  }

  Part any_of(const Node& node, bool positive) {
    std::vector<Xapian::Query> alternatives;
    bool nothing = false;
    for (const Node& child : node.children) {
      Part part = compile(child, positive);
      if (part.nothing) {
        nothing = true;
      } else if (part.constrains) {
        alternatives.push_back(whole(part));
      } else if (!part.negative.empty()) {
        plan_.notes.push_back("ignored an exclusion inside OR: it would match nearly everything");
      }
    }
    Part result;
    if (alternatives.empty()) {
      result.nothing = nothing;
      return result;
    }
    result.constrains = true;
    result.positive = Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    return result;
  }

  Part negation(const Node& node) {
    // What is excluded neither ranks nor is restored: every reading of it is excluded.
    const Part part = compile(node.children[0], false);
    Part result;
    if (part.nothing) return result;  // excluding nothing leaves everything
    if (part.constrains) {
      result.negative = whole(part);
    } else if (!part.negative.empty()) {
      result.constrains = true;  // NOT -x: x
      result.positive = part.negative;
    }
    return result;
  }

  void add_units(const std::vector<Token>& tokens, bool positive) {
    for (const Token& token : tokens) plan_.typed_without_marks &= !has_marks(token);
    if (!positive || tokens.empty()) return;
    ++group_;
    for (const Token& token : tokens) {
      QueryUnit unit{token.exact, token.folded, has_marks(token) || token.kind != TokenKind::kWord,
                     false, group_};
      inputs_.push_back({unit.exact, unit.folded, unit.fixed});
      plan_.units.push_back(std::move(unit));
    }
  }

  static Xapian::Query every_word(const std::vector<Token>& tokens) {
    std::vector<Xapian::Query> words;
    for (const Token& token : tokens) {
      const bool fixed = has_marks(token) || token.kind != TokenKind::kWord;
      words.push_back(fixed ? Xapian::Query(token.exact) : any_reading(token.folded));
    }
    if (words.empty()) return {};
    return words.size() == 1 ? words[0]
                             : Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
  }

  static Part constraint(Xapian::Query query) {
    Part part;
    part.constrains = !query.empty();
    part.positive = std::move(query);
    return part;
  }

  Part leaf(const Clause& clause, bool positive) {
    if (clause.kind == Clause::Kind::kFilter)
      return constraint(filter_clause_query(clause, plan_.notes));
    const std::vector<Token> tokens = word_tokens(clause.text);
    add_units(tokens, positive);
    if (clause.kind == Clause::Kind::kPhrase) {
      return constraint(phrase_query(tokens, model_, clause.field == "title"));
    }
    return constraint(every_word(tokens));
  }

  Part near(const Node& node, bool positive) {
    std::vector<std::vector<Token>> operands;
    for (const Node& child : node.children) {
      operands.push_back(word_tokens(child.leaf.text));
      add_units(operands.back(), positive);
    }
    Xapian::Query all;
    for (std::size_t i = 0; i + 1 < operands.size(); ++i) {
      const auto& left = operands[i];
      const auto& right = operands[i + 1];
      if (left.empty() || right.empty()) {
        plan_.notes.push_back("ignored a NEAR beside something with no words");
        all = both(Xapian::Query::OP_AND, all, every_word(left.empty() ? right : left));
        continue;
      }
      std::vector<Xapian::Query> positions;
      for (const auto* side : {&left, &right}) {
        for (const Token& token : *side)
          positions.push_back(reading_alternatives(token, model_, ""));
      }
      // Within n syllables: the last syllable of one operand and the first of the other at most
      // n positions apart, so the whole group spans at most n + (syllables - 2) positions.
      const auto window = static_cast<Xapian::termcount>(node.distances[i] + positions.size() - 1);
      Xapian::Query pair(Xapian::Query::OP_NEAR, positions.begin(), positions.end(), window);
      // An operand of several syllables is a phrase: its syllables stay adjacent and in order.
      for (const auto* side : {&left, &right}) {
        if (side->size() > 1)
          pair = both(Xapian::Query::OP_AND, pair, phrase_query(*side, model_, false));
      }
      all = both(Xapian::Query::OP_AND, all, pair);
    }
    return constraint(all);
  }

  Part wildcard(const std::string& stem, bool positive) {
    std::vector<Token> tokens = word_tokens(stem);
    if (tokens.empty()) {
      plan_.notes.push_back("ignored '" + stem + "*': no word before '*'");
      return {};
    }
    const Token last = tokens.back();
    tokens.pop_back();
    Part before = constraint(every_word(tokens));
    add_units(tokens, positive);
    std::string refused;
    if (utf8_length(last.folded) < WildcardLimits::kMinPrefix) {
      refused = "a wildcard needs at least " + std::to_string(WildcardLimits::kMinPrefix) +
                " letters before '*'";
    } else if (expanded_ >= WildcardLimits::kPerQuery) {
      refused = "the query's wildcards already search " +
                std::to_string(WildcardLimits::kPerQuery) + " words";
    }
    if (!refused.empty()) {
      plan_.notes.push_back("ignored the '*' of '" + stem + "*': " + refused + " (searched '" +
                            last.exact + "' as a word)");
      const std::vector<Token> word = {last};
      add_units(word, positive);
      before.positive = both(Xapian::Query::OP_AND, before.positive, every_word(word));
      before.constrains = true;
      return before;
    }
    const Xapian::Query expansion = expand(stem, last);
    if (expansion.empty()) {
      Part part;
      part.nothing = true;
      return part;
    }
    if (positive) ranked_wildcards_.push_back(expansion);
    before.positive = both(Xapian::Query::OP_AND, before.positive, expansion);
    before.constrains = true;
    return before;
  }

  // The indexed words starting with the prefix, most frequent first, as one synonym. Typed with
  // marks (`nguyễn*`): exact words. Without (`nguyen*`): any word whose folded form starts so,
  // found through the `F` terms and the unaccented plain terms.
  Xapian::Query expand(const std::string& stem, const Token& prefix) {
    const bool marked = has_marks(prefix) || prefix.kind != TokenKind::kWord;
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    bool scan_cut = false;
    const auto scan = [&](const std::string& start, bool ascii_only) {
      for (auto term = db_.allterms_begin(start); term != db_.allterms_end(start); ++term) {
        if (found.size() >= WildcardLimits::kScan) {
          scan_cut = true;
          return;
        }
        if (ascii_only && !is_ascii(*term)) continue;
        found.emplace_back(term.get_termfreq(), *term);
      }
    };
    if (marked) {
      scan(prefix.exact, false);
    } else {
      scan(std::string(schema::kFolded) + prefix.folded, false);
      scan(prefix.folded, true);
    }
    if (found.empty()) {
      plan_.wildcard_notes.push_back("'" + stem + "*' matches no indexed word");
      return {};
    }
    const std::size_t keep = std::min(
        {WildcardLimits::kPerWildcard, WildcardLimits::kPerQuery - expanded_, found.size()});
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    if (keep < found.size() || scan_cut) {
      plan_.wildcard_notes.push_back("'" + stem + "*' matches " + (scan_cut ? "more than " : "") +
                                     std::to_string(found.size()) + " words: searched the " +
                                     std::to_string(keep) + " most frequent");
    }
    std::vector<Xapian::Query> terms;
    for (std::size_t i = 0; i < keep; ++i) {
      const std::string& term = found[i].second;
      terms.emplace_back(term);
      if (marked) {
        plan_.highlight_exact.push_back(term);
      } else {
        const bool folded_term = term.rfind(schema::kFolded, 0) == 0;
        plan_.highlight_folded.push_back(folded_term ? term.substr(schema::kFolded.size()) : term);
      }
    }
    expanded_ += keep;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
  }

  QueryPlan& plan_;
  const SyllableModel& model_;
  const Xapian::Database& db_;
  std::vector<RestorationInput> inputs_;
  std::vector<Xapian::Query> ranked_wildcards_;
  std::size_t group_ = 0;
  std::size_t expanded_ = 0;
};

}  // namespace

QueryPlan plan_search(std::string_view text, const SyllableModel& model,
                      const Xapian::Database& db) {
  // The plain path, untouched: same parse, same plan, same ranking as before the language.
  if (!uses_query_language(text)) return plan_query(parse_query(text), model);
  LanguageQuery language = parse_language(text);
  if (!language.uses_operators) {
    QueryPlan plan = plan_query(parse_query(language.plain_text), model);
    plan.notes.insert(plan.notes.begin(), language.notes.begin(), language.notes.end());
    return plan;
  }
  QueryPlan plan;
  plan.notes = std::move(language.notes);
  if (language.empty) return plan;
  Compiler(plan, model, db).compile_root(language.root);
  return plan;
}

}  // namespace vnsearch::query
