// Diacritic restoration: for a query syllable typed without marks, how likely is each toned
// reading, given its neighbours? A trigram model over the indexed text (SyllableModel), backing
// off to bigrams and unigrams, decoded exactly by Viterbi and forward-backward over pairs of
// readings; syllables typed with marks stay as typed and serve as context.
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
  /// Use the model's trigrams (a second-order chain). Off: a first-order (bigram) chain.
  bool trigrams = true;
  /// The second-order pass runs over the readings the bigram pass leaves some chance: at most
  /// this many per syllable, each at least `trigram_min_share` of the likeliest one's posterior
  /// (readings below are dropped from `choices`). Keeps its cost to a few hundred lookups per
  /// syllable.
  std::size_t trigram_candidates = 8;
  double trigram_min_share = 1e-3;
};

[[nodiscard]] Restoration restore(const SyllableModel& model,
                                  const std::vector<RestorationInput>& syllables,
                                  const RestorationOptions& options = {});

/// Unnormalised log-probability of one whole reading (one exact form per syllable) under the
/// model `restore` decodes with these options: what its k-best search maximises and its
/// posteriors normalise. For tests that check the decoder against exhaustive enumeration.
[[nodiscard]] double reading_log_score(const SyllableModel& model,
                                       const std::vector<RestorationInput>& syllables,
                                       const std::vector<std::string>& reading,
                                       const RestorationOptions& options = {});

}  // namespace vnsearch::query
