// Diacritic restoration: for a query syllable typed without marks, how likely is each toned
// reading, given its neighbours? A bigram model over the indexed text (SyllableModel), decoded
// exactly by Viterbi and forward-backward; syllables typed with marks stay as typed.
#pragma once

#include <string>
#include <vector>

#include "vnsearch/syllable_model.h"

namespace vnsearch::query {

/// One query syllable going in.
struct RestorationInput {
  std::string exact;   ///< as typed (exact form)
  std::string folded;  ///< its folded form
  bool fixed = false;  ///< typed with marks, or not a word: keep as it is
};

/// One candidate reading of one syllable coming out.
struct ReadingChoice {
  std::string exact;
  double posterior = 0;  ///< probability of this reading given the whole query
};

struct Restoration {
  /// Per syllable: its candidate readings, most probable first (fixed ones: just themselves).
  std::vector<std::vector<ReadingChoice>> choices;
  /// The most probable whole readings (best first), each one exact form per syllable, with the
  /// probability of each relative to the best ones found.
  std::vector<std::vector<std::string>> best_paths;
  std::vector<double> path_probabilities;
};

/// Options for `restore`.
struct RestorationOptions {
  std::size_t max_candidates = 12;  ///< readings considered per syllable
  std::size_t max_paths = 3;        ///< whole readings returned
  /// Prior weight of the unmarked reading of a syllable typed without marks, relative to the
  /// others. 1 for queries typed entirely without marks; higher when the person typed marks
  /// elsewhere in the query, because then a bare syllable is more likely meant as typed.
  double as_typed_prior = 1.0;
};

[[nodiscard]] Restoration restore(const SyllableModel& model,
                                  const std::vector<RestorationInput>& syllables,
                                  const RestorationOptions& options = {});

}  // namespace vnsearch::query
