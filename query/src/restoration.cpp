#include "restoration.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vnsearch::query {
namespace {

constexpr double kNegativeInfinity = -std::numeric_limits<double>::infinity();
// Dirichlet prior mass of the unigram distribution in each bigram estimate. Measured on the dev
// sets (bench/README.md): 30 → 100 raises syllable accuracy (96.2 → 96.4% on questions, 89.0 →
// 89.4% on wordseg) at equal search quality; larger values gain a little more accuracy on long
// text but lose on short ambiguous phrases, where the neighbour is all the context there is.
constexpr double kBigramPrior = 100;
// The same prior inside the trigram model (queries of three syllables or more), where the
// trigram already carries the near context: leaning more on syllable frequency there gains
// accuracy (questions 97.45 → 97.50%, wordseg 91.16 → 91.29%; 300 and 1,000 equal, 3,000 worse)
// without touching the one- and two-syllable queries the smaller prior is tuned for.
constexpr double kContextBigramPrior = 300;

// Weight of a pair's own continuation counts in each trigram estimate, the rest going to the
// bigram estimate (linear interpolation). Measured on the dev sets (bench/README.md): 2/3 beats
// 1/2 and 4/5; a Dirichlet prior of fixed mass (5 to 200) did worse, because the pairs' single
// continuations are pruned at load and a small prior then punishes every unseen one.
constexpr double kTrigramWeight = 2.0 / 3.0;

struct Lattice {
  std::vector<std::vector<std::string>> words;   // candidates per position
  std::vector<std::vector<double>> unigram_log;  // log P(w)
  std::vector<std::vector<double>> prior_log;    // extra log weight of a candidate (as typed)
};

double log_add(double a, double b) {
  if (a == kNegativeInfinity) return b;
  if (b == kNegativeInfinity) return a;
  const double high = std::max(a, b);
  return high + std::log1p(std::exp(std::min(a, b) - high));
}

class Scorer {
 public:
  Scorer(const SyllableModel& model, double bigram_prior)
      : model_(model),
        bigram_prior_(bigram_prior),
        total_(static_cast<double>(model.total_unigrams()) + 1.0),
        vocabulary_(static_cast<double>(model.vocabulary_size()) + 1.0) {}

  double unigram_probability(const std::string& word) const {
    return (model_.unigram(word) + 0.1) / (total_ + 0.1 * vocabulary_);
  }

  double transition(const std::string& from, const std::string& to, double to_unigram) const {
    const double pair = model_.bigram(from, to);
    const double from_count = model_.unigram(from);
    // The prior never outweighs the evidence of a rare context (a small index, a rare word):
    // a context seen n times, fewer than the prior, gets a prior of n, as Witten-Bell would.
    const double prior = std::min(bigram_prior_, std::max(1.0, from_count));
    return (pair + prior * to_unigram) / (from_count + prior);
  }

  double log_transition(const std::string& from, const std::string& to, double to_unigram) const {
    return std::log(transition(from, to, to_unigram));
  }

  // P(third | first second): the triple's count smoothed towards the bigram estimate. Where
  // the pair was never seen (or was pruned) this is the bigram estimate itself.
  double log_trigram(const std::string& first, const std::string& second, const std::string& third,
                     double third_unigram) const {
    const double bigram = transition(second, third, third_unigram);
    const double context = model_.bigram(first, second);
    if (context == 0) return std::log(bigram);
    const double triple = model_.trigram(first, second, third);
    // The triples of a pair never outnumber it, except by hash collisions: clamp.
    return std::log(kTrigramWeight * std::min(triple, context) / context +
                    (1 - kTrigramWeight) * bigram);
  }

 private:
  const SyllableModel& model_;
  double bigram_prior_;
  double total_;
  double vocabulary_;
};

double prior_of(const RestorationInput& syllable, const std::string& word,
                const RestorationOptions& options) {
  const bool as_typed = !syllable.fixed && word == syllable.exact;
  return as_typed ? std::log(options.as_typed_prior) : 0.0;
}

Lattice build_lattice(const SyllableModel& model, const std::vector<RestorationInput>& syllables,
                      const Scorer& scorer, const RestorationOptions& options) {
  Lattice lattice;
  for (const RestorationInput& syllable : syllables) {
    std::vector<std::string> words;
    if (!syllable.fixed) {
      for (const SyllableReading& reading : model.readings(syllable.folded)) {
        if (words.size() == options.max_candidates) break;
        words.push_back(reading.exact);
      }
    }
    // A fixed syllable, or one the index has never seen, reads as typed.
    if (words.empty()) words.push_back(syllable.exact);
    std::vector<double> logs, priors;
    for (const std::string& word : words) {
      logs.push_back(std::log(scorer.unigram_probability(word)));
      priors.push_back(prior_of(syllable, word, options));
    }
    lattice.words.push_back(std::move(words));
    lattice.unigram_log.push_back(std::move(logs));
    lattice.prior_log.push_back(std::move(priors));
  }
  return lattice;
}

// Keeps, per position, the readings the first-order pass gives some chance (see
// RestorationOptions::trigram_candidates), in the order of that pass.
Lattice prune_lattice(const Lattice& lattice, const Restoration& first_order,
                      const RestorationOptions& options) {
  Lattice pruned;
  for (std::size_t i = 0; i < lattice.words.size(); ++i) {
    const auto& choices = first_order.choices[i];
    std::vector<std::string> words;
    std::vector<double> logs, priors;
    for (const ReadingChoice& choice : choices) {
      if (words.size() == std::max<std::size_t>(options.trigram_candidates, 1)) break;
      if (!words.empty() && choice.posterior < options.trigram_min_share * choices[0].posterior) {
        break;
      }
      const auto at = std::find(lattice.words[i].begin(), lattice.words[i].end(), choice.exact);
      const auto index = static_cast<std::size_t>(at - lattice.words[i].begin());
      words.push_back(choice.exact);
      logs.push_back(lattice.unigram_log[i][index]);
      priors.push_back(lattice.prior_log[i][index]);
    }
    pruned.words.push_back(std::move(words));
    pruned.unigram_log.push_back(std::move(logs));
    pruned.prior_log.push_back(std::move(priors));
  }
  return pruned;
}

// Per-syllable posteriors from per-position marginal log-weights and the normaliser.
void add_choices(Restoration& result, const std::vector<std::string>& words,
                 const std::vector<double>& marginal, double total) {
  std::vector<ReadingChoice> choices;
  for (std::size_t a = 0; a < words.size(); ++a) {
    choices.push_back({words[a], std::exp(marginal[a] - total)});
  }
  std::sort(choices.begin(), choices.end(), [](const ReadingChoice& x, const ReadingChoice& y) {
    return x.posterior > y.posterior;
  });
  result.choices.push_back(std::move(choices));
}

struct Partial {
  double score;
  std::vector<std::size_t> picks;
};

bool by_score(const Partial& x, const Partial& y) {
  return x.score > y.score;
}

void add_best_paths(Restoration& result, const Lattice& lattice, std::vector<Partial> paths,
                    double total, const RestorationOptions& options) {
  std::sort(paths.begin(), paths.end(), by_score);
  for (std::size_t k = 0; k < paths.size() && k < options.max_paths; ++k) {
    std::vector<std::string> words;
    for (std::size_t i = 0; i < lattice.words.size(); ++i) {
      words.push_back(lattice.words[i][paths[k].picks[i]]);
    }
    result.best_paths.push_back(std::move(words));
    result.path_probabilities.push_back(std::exp(paths[k].score - total));
  }
}

// First-order chain: P(w0) Π P(wi | wi-1), exactly.
Restoration decode_first_order(const Lattice& lattice, const Scorer& scorer,
                               const RestorationOptions& options) {
  Restoration result;
  const std::size_t length = lattice.words.size();

  // Transition log-probabilities between consecutive candidate sets, computed once.
  std::vector<std::vector<std::vector<double>>> transition(length);
  for (std::size_t i = 1; i < length; ++i) {
    transition[i].assign(lattice.words[i - 1].size(), std::vector<double>(lattice.words[i].size()));
    for (std::size_t a = 0; a < lattice.words[i - 1].size(); ++a) {
      for (std::size_t b = 0; b < lattice.words[i].size(); ++b) {
        transition[i][a][b] = scorer.log_transition(lattice.words[i - 1][a], lattice.words[i][b],
                                                    std::exp(lattice.unigram_log[i][b])) +
                              lattice.prior_log[i][b];
      }
    }
  }

  // Forward-backward for per-syllable posteriors.
  std::vector<std::vector<double>> forward(length), backward(length);
  forward[0] = lattice.unigram_log[0];
  for (std::size_t a = 0; a < forward[0].size(); ++a) forward[0][a] += lattice.prior_log[0][a];
  for (std::size_t i = 1; i < length; ++i) {
    forward[i].assign(lattice.words[i].size(), kNegativeInfinity);
    for (std::size_t b = 0; b < lattice.words[i].size(); ++b) {
      for (std::size_t a = 0; a < lattice.words[i - 1].size(); ++a) {
        forward[i][b] = log_add(forward[i][b], forward[i - 1][a] + transition[i][a][b]);
      }
    }
  }
  backward[length - 1].assign(lattice.words[length - 1].size(), 0.0);
  for (std::size_t i = length - 1; i-- > 0;) {
    backward[i].assign(lattice.words[i].size(), kNegativeInfinity);
    for (std::size_t a = 0; a < lattice.words[i].size(); ++a) {
      for (std::size_t b = 0; b < lattice.words[i + 1].size(); ++b) {
        backward[i][a] = log_add(backward[i][a], transition[i + 1][a][b] + backward[i + 1][b]);
      }
    }
  }
  double total = kNegativeInfinity;
  for (double value : forward[length - 1]) total = log_add(total, value);
  for (std::size_t i = 0; i < length; ++i) {
    std::vector<double> marginal(lattice.words[i].size());
    for (std::size_t a = 0; a < marginal.size(); ++a) marginal[a] = forward[i][a] + backward[i][a];
    add_choices(result, lattice.words[i], marginal, total);
  }

  // k-best whole readings, exactly: for every candidate of every syllable keep the k best
  // partial paths ending in it (a path's future depends only on its last syllable).
  const std::size_t k_best = std::max<std::size_t>(options.max_paths, 1);
  std::vector<std::vector<Partial>> ending(lattice.words[0].size());
  for (std::size_t a = 0; a < lattice.words[0].size(); ++a) {
    ending[a].push_back({lattice.unigram_log[0][a] + lattice.prior_log[0][a], {a}});
  }
  for (std::size_t i = 1; i < length; ++i) {
    std::vector<std::vector<Partial>> next(lattice.words[i].size());
    for (std::size_t b = 0; b < lattice.words[i].size(); ++b) {
      for (std::size_t a = 0; a < ending.size(); ++a) {
        for (const Partial& path : ending[a]) {
          Partial extended = path;
          extended.score += transition[i][a][b];
          extended.picks.push_back(b);
          next[b].push_back(std::move(extended));
        }
      }
      std::sort(next[b].begin(), next[b].end(), by_score);
      if (next[b].size() > k_best) next[b].resize(k_best);
    }
    ending = std::move(next);
  }
  std::vector<Partial> paths;
  for (auto& list : ending) {
    for (Partial& path : list) paths.push_back(std::move(path));
  }
  add_best_paths(result, lattice, std::move(paths), total, options);
  return result;
}

// Second-order chain: P(w0) P(w1 | w0) Π P(wi | wi-2 wi-1), exactly, over states that are
// pairs of adjacent readings (a, b), indexed a × |readings at i| + b. Needs three syllables.
Restoration decode_second_order(const Lattice& lattice, const Scorer& scorer,
                                const RestorationOptions& options) {
  Restoration result;
  const std::size_t length = lattice.words.size();
  const auto size = [&](std::size_t i) { return lattice.words[i].size(); };
  // step[i][(a × |i-1| + b) × |i| + c]: log P(c | a b) + prior of c, for i ≥ 2.
  std::vector<std::vector<double>> step(length);
  for (std::size_t i = 2; i < length; ++i) {
    step[i].resize(size(i - 2) * size(i - 1) * size(i));
    for (std::size_t a = 0; a < size(i - 2); ++a) {
      for (std::size_t b = 0; b < size(i - 1); ++b) {
        for (std::size_t c = 0; c < size(i); ++c) {
          step[i][(a * size(i - 1) + b) * size(i) + c] =
              scorer.log_trigram(lattice.words[i - 2][a], lattice.words[i - 1][b],
                                 lattice.words[i][c], std::exp(lattice.unigram_log[i][c])) +
              lattice.prior_log[i][c];
        }
      }
    }
  }
  // forward[i][a × |i| + b]: log weight of every prefix ending in (a at i-1, b at i), i ≥ 1.
  std::vector<std::vector<double>> forward(length), backward(length);
  forward[1].resize(size(0) * size(1));
  for (std::size_t a = 0; a < size(0); ++a) {
    for (std::size_t b = 0; b < size(1); ++b) {
      forward[1][a * size(1) + b] = lattice.unigram_log[0][a] + lattice.prior_log[0][a] +
                                    scorer.log_transition(lattice.words[0][a], lattice.words[1][b],
                                                          std::exp(lattice.unigram_log[1][b])) +
                                    lattice.prior_log[1][b];
    }
  }
  for (std::size_t i = 2; i < length; ++i) {
    forward[i].assign(size(i - 1) * size(i), kNegativeInfinity);
    for (std::size_t a = 0; a < size(i - 2); ++a) {
      for (std::size_t b = 0; b < size(i - 1); ++b) {
        const double before = forward[i - 1][a * size(i - 1) + b];
        for (std::size_t c = 0; c < size(i); ++c) {
          double& to = forward[i][b * size(i) + c];
          to = log_add(to, before + step[i][(a * size(i - 1) + b) * size(i) + c]);
        }
      }
    }
  }
  backward[length - 1].assign(size(length - 2) * size(length - 1), 0.0);
  for (std::size_t i = length - 1; i-- > 1;) {
    backward[i].assign(size(i - 1) * size(i), kNegativeInfinity);
    for (std::size_t a = 0; a < size(i - 1); ++a) {
      for (std::size_t b = 0; b < size(i); ++b) {
        double& from = backward[i][a * size(i) + b];
        for (std::size_t c = 0; c < size(i + 1); ++c) {
          from = log_add(from, step[i + 1][(a * size(i) + b) * size(i + 1) + c] +
                                   backward[i + 1][b * size(i + 1) + c]);
        }
      }
    }
  }
  double total = kNegativeInfinity;
  for (double value : forward[length - 1]) total = log_add(total, value);
  for (std::size_t i = 0; i < length; ++i) {
    // Position 0 is the first of the pairs at 1; every later one the second of its pairs.
    const std::size_t pairs_at = std::max<std::size_t>(i, 1);
    std::vector<double> marginal(size(i), kNegativeInfinity);
    for (std::size_t a = 0; a < size(pairs_at - 1); ++a) {
      for (std::size_t b = 0; b < size(pairs_at); ++b) {
        const std::size_t state = a * size(pairs_at) + b;
        const double weight = forward[pairs_at][state] + backward[pairs_at][state];
        double& into = marginal[i == 0 ? a : b];
        into = log_add(into, weight);
      }
    }
    add_choices(result, lattice.words[i], marginal, total);
  }

  // k-best whole readings: the k best partial paths ending in each state (a path's future
  // depends only on its last two syllables).
  const std::size_t k_best = std::max<std::size_t>(options.max_paths, 1);
  std::vector<std::vector<Partial>> ending(forward[1].size());
  for (std::size_t a = 0; a < size(0); ++a) {
    for (std::size_t b = 0; b < size(1); ++b) {
      ending[a * size(1) + b].push_back({forward[1][a * size(1) + b], {a, b}});
    }
  }
  for (std::size_t i = 2; i < length; ++i) {
    std::vector<std::vector<Partial>> next(size(i - 1) * size(i));
    for (std::size_t b = 0; b < size(i - 1); ++b) {
      for (std::size_t c = 0; c < size(i); ++c) {
        auto& into = next[b * size(i) + c];
        for (std::size_t a = 0; a < size(i - 2); ++a) {
          const double move = step[i][(a * size(i - 1) + b) * size(i) + c];
          for (const Partial& path : ending[a * size(i - 1) + b]) {
            Partial extended = path;
            extended.score += move;
            extended.picks.push_back(c);
            into.push_back(std::move(extended));
          }
        }
        std::sort(into.begin(), into.end(), by_score);
        if (into.size() > k_best) into.resize(k_best);
      }
    }
    ending = std::move(next);
  }
  std::vector<Partial> paths;
  for (auto& list : ending) {
    for (Partial& path : list) paths.push_back(std::move(path));
  }
  add_best_paths(result, lattice, std::move(paths), total, options);
  return result;
}

bool second_order(const SyllableModel& model, std::size_t length,
                  const RestorationOptions& options) {
  return options.trigrams && length >= 3 && model.trigram_types() > 0;
}

}  // namespace

Restoration restore(const SyllableModel& model, const std::vector<RestorationInput>& syllables,
                    const RestorationOptions& options) {
  if (syllables.empty()) return {};
  const Scorer scorer(model, kBigramPrior);
  const Lattice lattice = build_lattice(model, syllables, scorer, options);
  Restoration first = decode_first_order(lattice, scorer, options);
  if (!second_order(model, syllables.size(), options)) return first;
  return decode_second_order(prune_lattice(lattice, first, options),
                             Scorer(model, kContextBigramPrior), options);
}

double reading_log_score(const SyllableModel& model, const std::vector<RestorationInput>& syllables,
                         const std::vector<std::string>& reading,
                         const RestorationOptions& options) {
  const bool trigrams = second_order(model, syllables.size(), options);
  const Scorer scorer(model, trigrams ? kContextBigramPrior : kBigramPrior);
  double score = 0;
  for (std::size_t i = 0; i < reading.size() && i < syllables.size(); ++i) {
    const double unigram = scorer.unigram_probability(reading[i]);
    score += prior_of(syllables[i], reading[i], options);
    if (i == 0) {
      score += std::log(unigram);
    } else if (i == 1 || !trigrams) {
      score += scorer.log_transition(reading[i - 1], reading[i], unigram);
    } else {
      score += scorer.log_trigram(reading[i - 2], reading[i - 1], reading[i], unigram);
    }
  }
  return score;
}

}  // namespace vnsearch::query
