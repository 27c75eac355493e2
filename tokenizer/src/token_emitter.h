// The analyzer's last step: grouped atoms become tokens in a TokenBatch, each form composed
// straight into the batch's arena (no std::string per token; a folded form equal to the exact
// one shares its bytes). Included by analyzer.cpp only, so that it inlines into the scan loop.
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "atom.h"
#include "token_batch_writer.h"
#include "vnsearch/tokenizer.h"
#include "word_forms.h"

namespace vnsearch::detail {

/// Where a token's two forms lie in the arena.
struct FormSpan {
  std::size_t exact_at = 0, folded_at = 0;
  std::uint32_t exact_size = 0, folded_size = 0;

  [[nodiscard]] bool empty() const { return exact_size == 0 || folded_size == 0; }
  void set(TokenBatchWriter::Record& record) const {
    record.exact_at = exact_at;
    record.folded_at = folded_at;
    record.exact_size = exact_size;
    record.folded_size = folded_size;
  }
};

class Emitter {
 public:
  Emitter(std::string_view input, const AnalyzerOptions& options, TokenBatch& out)
      : input_(input), options_(options), out_{out} {}

  std::uint32_t position = 0;
  std::uint32_t sentence = 0;
  std::uint32_t paragraph = 0;
  bool first = true;

  void emit(std::vector<Atom>& atoms, const Group& group) {
    Atom& first_atom = atoms[group.begin];
    if (!first) {
      if (first_atom.paragraph_break) ++paragraph;
      if (first_atom.sentence_break || first_atom.paragraph_break) ++sentence;
    }
    first = false;
    if (group.end - group.begin == 1) {
      emit_simple(first_atom, group.kind);
    } else {
      emit_compound(atoms, group);
    }
  }

 private:
  using Record = TokenBatchWriter::Record;

  Record& push(std::size_t start, std::size_t end, TokenKind kind, TokenRole role) {
    Record& record = out_.records().emplace_back();
    record.start = start;
    record.end = end;
    record.position = position;
    record.sentence = sentence;
    record.paragraph = paragraph;
    record.kind = kind;
    record.role = role;
    return record;
  }

  std::string_view text(const Atom& atom) const {
    return input_.substr(atom.start, atom.end - atom.start);
  }

  // Appends both forms of `text` to the arena, sharing the bytes when they are equal.
  FormSpan append_forms(std::string_view exact, std::string_view folded) {
    FormSpan span;
    span.exact_at = out_.append(exact);
    span.folded_at = exact == folded ? span.exact_at : out_.append(folded);
    span.exact_size = static_cast<std::uint32_t>(exact.size());
    span.folded_size = static_cast<std::uint32_t>(folded.size());
    return span;
  }

  // The exact and folded forms of one atom, written at the end of the arena.
  FormSpan write_forms(Atom& atom) {
    if (atom.letters_fast) {
      // The folded form first: its size (one byte a letter) is known before composing, so the
      // exact form can be composed right behind it, and dropped when it is the same bytes.
      const std::size_t letters = atom.letters.size;
      char* to = out_.reserve(kMaxFastLetters * 4 + 1);
      const std::size_t exact_size = compose_word_forms(atom.letters, tables_, to + letters, to);
      FormSpan span;
      span.folded_at = out_.arena_size();
      span.exact_size = static_cast<std::uint32_t>(exact_size);
      span.folded_size = static_cast<std::uint32_t>(letters);
      if (exact_size == letters) {  // plain ASCII: the folded form is the same bytes
        span.exact_at = span.folded_at;
        out_.commit(letters);
      } else {
        span.exact_at = span.folded_at + letters;
        out_.commit(letters + exact_size);
      }
      return span;
    }
    // An ASCII number keeps its separators as written (13.926.122) in both forms.
    if (atom.digits && atom.ascii) return append_forms(text(atom), text(atom));
    normalize_word(text(atom), exact_, folded_);
    return append_forms(exact_, folded_);
  }

  void emit_simple(Atom& atom, TokenKind kind) {
    const std::size_t mark = out_.arena_size();
    const FormSpan span = write_forms(atom);
    // A letter that normalizes to nothing (U+FF9E folds to a combining mark, which a word
    // cannot start with) is no token: an empty term would match nothing and break callers.
    if (span.empty()) {
      out_.truncate(mark);
      return;
    }
    span.set(push(atom.start, atom.end, kind, TokenRole::kSimple));
    ++position;
  }

  // The whole token first, then its parts, each at its own position. The whole's forms are its
  // parts' forms joined (with '/' in a date), or for a URL or e-mail address its text's forms.
  void emit_compound(std::vector<Atom>& atoms, const Group& group) {
    const Atom& first_atom = atoms[group.begin];
    const Atom& last_atom = atoms[group.end - 1];
    const std::size_t parts = group.end - group.begin;
    const std::size_t whole_index = out_.records().size();
    push(first_atom.start, last_atom.end, group.kind,
         options_.emit_parts ? TokenRole::kCompound : TokenRole::kSimple);
    const std::size_t parts_at = out_.arena_size();
    spans_.clear();
    for (std::size_t i = group.begin; i < group.end; ++i) {
      const FormSpan span = write_forms(atoms[i]);
      spans_.push_back(span);
      if (options_.emit_parts && !span.empty()) {  // an empty part is dropped, as a token above
        Record& part =
            push(atoms[i].start, atoms[i].end,
                 atoms[i].digits ? TokenKind::kNumber : TokenKind::kWord, TokenRole::kPart);
        part.position = position + static_cast<std::uint32_t>(i - group.begin);
        span.set(part);
      }
    }
    FormSpan whole;
    if (group.kind == TokenKind::kUrl || group.kind == TokenKind::kEmail) {
      const std::string_view text =
          input_.substr(first_atom.start, last_atom.end - first_atom.start);
      whole = append_forms(to_exact(text), to_folded(text));
    } else {
      whole = join_parts(group.kind == TokenKind::kDate);
    }
    if (!options_.emit_parts) whole = move_down(whole, parts_at);
    if (whole.empty()) {
      out_.records().erase(out_.records().begin() + static_cast<std::ptrdiff_t>(whole_index));
    } else {
      whole.set(out_.records()[whole_index]);
    }
    position += options_.emit_parts ? static_cast<std::uint32_t>(parts) : 1;
  }

  // The parts' forms (spans_) joined, appended to the arena.
  FormSpan join_parts(bool date) {
    FormSpan whole;
    bool shared = true;  // every part's folded form is its exact form: so is the whole's
    whole.exact_at = out_.arena_size();
    for (std::size_t k = 0; k < spans_.size(); ++k) {
      if (date && k > 0) out_.append("/");
      out_.append_own(spans_[k].exact_at, spans_[k].exact_size);
      shared = shared && spans_[k].folded_at == spans_[k].exact_at;
    }
    whole.exact_size = static_cast<std::uint32_t>(out_.arena_size() - whole.exact_at);
    whole.folded_size = 0;
    if (shared) {
      whole.folded_at = whole.exact_at;
      whole.folded_size = whole.exact_size;
      return whole;
    }
    whole.folded_at = out_.arena_size();
    for (std::size_t k = 0; k < spans_.size(); ++k) {
      if (date && k > 0) out_.append("/");
      out_.append_own(spans_[k].folded_at, spans_[k].folded_size);
    }
    whole.folded_size = static_cast<std::uint32_t>(out_.arena_size() - whole.folded_at);
    return whole;
  }

  // Without parts, their forms are no token's: the whole's forms take their place in the arena.
  // (`whole` comes from append_forms or join_parts: its exact form comes first.)
  FormSpan move_down(FormSpan whole, std::size_t to) {
    const std::size_t from = whole.exact_at;
    const std::size_t size = out_.arena_size() - from;
    if (size > 0) std::memmove(out_.arena() + to, out_.arena() + from, size);
    out_.truncate(to + size);
    whole.exact_at -= from - to;
    whole.folded_at -= from - to;
    return whole;
  }

  std::string_view input_;
  const AnalyzerOptions& options_;
  TokenBatchWriter out_;
  const LetterTables& tables_ = letter_tables();
  std::vector<FormSpan> spans_;  // the current compound's parts
  std::string exact_, folded_;   // scratch for words off the fast path
};

}  // namespace vnsearch::detail
