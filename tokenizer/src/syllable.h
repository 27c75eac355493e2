// Vietnamese syllable structure: onset + vowel nucleus + final consonant, over the compact
// letter keys of letters.h. Used to place the tone mark canonically and to recognise
// Vietnamese words (for encoding detection and the `Ð`→`Đ` repair).
#pragma once

#include <optional>
#include <string_view>

namespace vnsearch::detail {

/// Where the parts of a syllable lie in its key string.
struct SyllableParts {
  std::size_t nucleus_begin = 0;  ///< first vowel of the nucleus (after the onset)
  std::size_t nucleus_end = 0;    ///< one past the last vowel (start of the final consonant)
};

/// Parses a tone-less key string (lower-case keys from letters.h). Returns nullopt when it is
/// not a Vietnamese syllable.
[[nodiscard]] std::optional<SyllableParts> parse_syllable(std::string_view keys);

/// Index (into keys) of the vowel that carries the tone in the canonical placement.
///
/// vnsearch's canonical placement is the "old style" (hòa, thủy, khỏe): it is what the news
/// corpus overwhelmingly uses (14,098 `hòa` against 0 `hoà` in baomoi), so exact forms look like
/// the text readers see. New-style input (hoà, thuỷ) and misplacements (qúy) are moved here.
[[nodiscard]] std::size_t canonical_tone_index(std::string_view keys, const SyllableParts& parts);

/// Fast path for both of the above: for a tone-less key string, the index of the vowel that takes
/// the tone, or -1 when the keys are not a Vietnamese syllable. One probe of a precomputed hash
/// table holding every onset × nucleus × coda combination, filled by `parse_syllable` itself.
[[nodiscard]] int syllable_tone_slot(std::string_view keys);

}  // namespace vnsearch::detail
