// "Did you mean": the query someone likely meant when what they typed looks wrong — typing-method
// keystrokes left in (Telex `vieetj`, VNI `vie65t`), VIQR (`Vie^.t`), misspelled syllables
// (confused initials and finals, one-letter typos, a wrong tone) and syllables run together
// (`thanhpho`). Every candidate is checked against the syllables and syllable pairs of the
// indexed text (the SyllableModel): a query whose words the index knows gets no suggestion.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

/// What was wrong with one word.
enum class CorrectionKind { kTelex, kVni, kViqr, kSpelling, kTone, kJoined };

/// Stable spelling of a kind, for JSON and notes (`telex`, `vni`, `viqr`, `spelling`, `tone`,
/// `joined`).
[[nodiscard]] std::string_view correction_kind_name(CorrectionKind kind);

struct Correction {
  std::string text;  ///< the whole corrected query
  /// True when every change is near certain (a typing-method leftover, VIQR, an unknown word
  /// with one clear replacement that its neighbours confirm): applied without asking.
  bool sure = false;
  std::vector<CorrectionKind> kinds;  ///< one per changed word, in order
};

/// Thresholds of the corrector (counts are occurrences in the indexed text).
struct CorrectionOptions {
  /// A word seen fewer times than this is unknown to the index (a typo, or a name it lacks).
  /// Every word of the indexed text is known, however rare: a word seen once is still right.
  std::uint32_t unknown_below = 1;
  /// A replacement must occur at least this often.
  std::uint32_t min_replacement = 20;
  /// A syllable decoded from Telex, VNI or VIQR keys must occur at least this often (decoding
  /// is strong evidence in itself).
  std::uint32_t min_decoded = 2;
  /// A known word is replaced only when it never occurs beside its neighbours and the
  /// replacement occurs beside them at least this often (pair counts summed).
  std::uint32_t min_context_pairs = 100;
  /// A known word typed with Telex keys (`thanhf` occurs in a large archive) is read as the
  /// syllable they spell when that is this many times commoner and its neighbours confirm it.
  std::uint64_t typing_ratio = 1000;
};

/// The likely intended query, or nothing when the query looks right. Queries with operators
/// (quotes, `field:`, `+`, `-`) are taken as typed: whoever uses them means what they wrote.
[[nodiscard]] std::optional<Correction> correct_query(const SyllableModel& model,
                                                      std::string_view text,
                                                      const CorrectionOptions& options = {});

/// The exact (lower-case, accented) syllable that Telex keystrokes spell (`vieetj` → `việt`), or
/// nothing when `word` holds no Telex key or does not spell one syllable.
[[nodiscard]] std::optional<std::string> telex_to_syllable(std::string_view word);

/// The same for VNI keystrokes (`vie65t` → `việt`).
[[nodiscard]] std::optional<std::string> vni_to_syllable(std::string_view word);

}  // namespace vnsearch::query
