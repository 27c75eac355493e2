#include "boolean_plan.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "field_values.h"
#include "prose_query.h"
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

  // One NEAR operand: a position query per syllable (its likely readings, or a wildcard's
  // words), and whether it can match at all.
  struct Operand {
    std::vector<Xapian::Query> positions;
    bool nothing = false;
  };

  Operand operand(const Node& child, bool positive) {
    std::vector<Token> tokens = word_tokens(child.leaf.text);
    Operand result;
    std::optional<Token> prefix;
    if (child.wildcard && !tokens.empty()) {
      prefix = tokens.back();
      tokens.pop_back();
    }
    add_units(tokens, positive);
    for (const Token& token : tokens) {
      result.positions.push_back(reading_alternatives(token, model_, ""));
    }
    if (prefix) {
      const auto terms = expansion_terms(child.leaf.text, *prefix);
      if (!terms) {
        add_units({*prefix}, positive);
        result.positions.push_back(reading_alternatives(*prefix, model_, ""));
      } else if (terms->empty()) {
        result.nothing = true;
      } else {
        const std::vector<std::string> positional = positional_terms(*terms);
        if (positional.empty()) result.nothing = true;
        result.positions.emplace_back(Xapian::Query::OP_OR, positional.begin(), positional.end());
        if (positive) {
          ranked_wildcards_.emplace_back(Xapian::Query::OP_SYNONYM, terms->begin(), terms->end());
        }
      }
    }
    return result;
  }

  // Only exact terms carry positions: an unaccented wildcard's `F` words become their readings
  // in the syllable model (the likeliest 8 of each, as for phrases).
  std::vector<std::string> positional_terms(const std::vector<std::string>& terms) const {
    std::vector<std::string> out;
    for (const std::string& term : terms) {
      if (term.rfind(schema::kFolded, 0) != 0) {
        out.push_back(term);
        continue;
      }
      std::size_t taken = 0;
      for (const SyllableReading& reading : model_.readings(term.substr(schema::kFolded.size()))) {
        if (taken++ == 8) break;
        out.push_back(reading.exact);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  Part near(const Node& node, bool positive) {
    std::vector<Operand> operands;
    for (const Node& child : node.children) operands.push_back(operand(child, positive));
    Part result;
    for (std::size_t i = 0; i + 1 < operands.size(); ++i) {
      const Operand& left = operands[i];
      const Operand& right = operands[i + 1];
      if (left.nothing || right.nothing) {
        result.nothing = true;
        return result;
      }
      if (left.positions.empty() || right.positions.empty()) {
        plan_.notes.push_back("ignored a NEAR beside something with no words");
        for (const Operand* side : {&left, &right}) {
          for (const Xapian::Query& position : side->positions) {
            result.positive = both(Xapian::Query::OP_AND, result.positive, position);
          }
        }
        continue;
      }
      std::vector<Xapian::Query> positions = left.positions;
      positions.insert(positions.end(), right.positions.begin(), right.positions.end());
      // Within n syllables: the last syllable of one operand and the first of the other at most
      // n positions apart, so the whole group spans at most n + (syllables - 2) positions.
      const auto window = static_cast<Xapian::termcount>(node.distances[i] + positions.size() - 1);
      Xapian::Query pair(Xapian::Query::OP_NEAR, positions.begin(), positions.end(), window);
      // An operand of several syllables is a phrase: its syllables stay adjacent and in order.
      for (const Operand* side : {&left, &right}) {
        if (side->positions.size() > 1) {
          pair = both(Xapian::Query::OP_AND, pair,
                      Xapian::Query(Xapian::Query::OP_PHRASE, side->positions.begin(),
                                    side->positions.end(), side->positions.size()));
        }
      }
      result.positive = both(Xapian::Query::OP_AND, result.positive, pair);
    }
    result.constrains = !result.positive.empty();
    return result;
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
    const auto terms = expansion_terms(stem, last);
    if (!terms) {
      add_units({last}, positive);
      before.positive = both(Xapian::Query::OP_AND, before.positive, every_word({last}));
      before.constrains = true;
      return before;
    }
    if (terms->empty()) {
      Part part;
      part.nothing = true;
      return part;
    }
    const Xapian::Query expansion(Xapian::Query::OP_SYNONYM, terms->begin(), terms->end());
    if (positive) ranked_wildcards_.push_back(expansion);
    before.positive = both(Xapian::Query::OP_AND, before.positive, expansion);
    before.constrains = true;
    return before;
  }

  // The words `prefix*` searches, or nothing (with a note) when the `*` is ignored: too few
  // letters, or the query's wildcard budget spent. Empty when no indexed word starts so.
  std::optional<std::vector<std::string>> expansion_terms(const std::string& stem,
                                                          const Token& prefix) {
    std::string refused;
    if (utf8_length(prefix.folded) < WildcardLimits::kMinPrefix) {
      refused = "a wildcard needs at least " + std::to_string(WildcardLimits::kMinPrefix) +
                " letters before '*'";
    } else if (expanded_ >= WildcardLimits::kPerQuery) {
      refused = "the query's wildcards already search " +
                std::to_string(WildcardLimits::kPerQuery) + " words";
    }
    if (!refused.empty()) {
      plan_.notes.push_back("ignored the '*' of '" + stem + "*': " + refused + " (searched '" +
                            prefix.exact + "' as a word)");
      return std::nullopt;
    }
    return expand(stem, prefix);
  }

  // The indexed words starting with the prefix, most frequent first, as one synonym. Typed with
  // marks (`nguyễn*`): exact words. Without (`nguyen*`): any word whose folded form starts so,
  // found through the `F` terms and the unaccented plain terms.
  std::vector<std::string> expand(const std::string& stem, const Token& prefix) {
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
    std::vector<std::string> terms;
    for (std::size_t i = 0; i < keep; ++i) {
      const std::string& term = found[i].second;
      terms.push_back(term);
      if (marked) {
        plan_.highlight_exact.push_back(term);
      } else {
        const bool folded_term = term.rfind(schema::kFolded, 0) == 0;
        plan_.highlight_folded.push_back(folded_term ? term.substr(schema::kFolded.size()) : term);
      }
    }
    expanded_ += keep;
    return terms;
  }

  QueryPlan& plan_;
  const SyllableModel& model_;
  const Xapian::Database& db_;
  std::vector<RestorationInput> inputs_;
  std::vector<Xapian::Query> ranked_wildcards_;
  std::size_t group_ = 0;
  std::size_t expanded_ = 0;
};

// The plan of `text` as typed (after field values were joined).
QueryPlan plan_text(std::string_view text, const SyllableModel& model, const Xapian::Database& db) {
  // The plain path, untouched: same parse, same plan, same ranking as before the language.
  if (!uses_query_language(text)) return plan_query(parse_query(text), model);
  LanguageQuery language = parse_language(text);
  if (!language.uses_operators) {
    QueryPlan plan = plan_query(parse_query(language.plain_text), model);
    plan.notes.insert(plan.notes.begin(), language.notes.begin(), language.notes.end());
    return plan;
  }
  QueryPlan plan;
  plan.language = true;
  plan.notes = std::move(language.notes);
  if (language.empty) return plan;
  Compiler(plan, model, db).compile_root(language.root);
  return plan;
}

}  // namespace

QueryPlan plan_search(std::string_view typed, const SyllableModel& model,
                      const Xapian::Database& db) {
  // A long query is prose: its quotes and signs are not operators (prose_query.h).
  std::vector<std::string> prose_notes;
  const std::string prose = prose_as_text(typed, prose_notes);
  const std::string_view raw = prose;
  // `author:doi tuyen truyen` typed without quotes: joined only when the one-word value matches
  // nothing and the longer one matches (field_values.h); any other query is left as it is.
  std::vector<std::string> field_notes;
  const std::string repaired = repair_query_utf8(raw, field_notes);
  const std::string joined = join_field_values(repaired, db, field_notes);
  const bool rewritten = joined != repaired;
  if (!rewritten) field_notes.clear();  // parsing notes the UTF-8 repair itself
  const std::string_view text = rewritten ? std::string_view(joined) : raw;
  QueryPlan plan = plan_text(text, model, db);
  plan.notes.insert(plan.notes.begin(), field_notes.begin(), field_notes.end());
  plan.notes.insert(plan.notes.begin(), prose_notes.begin(), prose_notes.end());
  return plan;
}

}  // namespace vnsearch::query
