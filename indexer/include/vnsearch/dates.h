// Publication dates as news sites print them, normalized to ISO 8601 and Unix time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vnsearch {

/// A validated calendar instant.
struct ParsedDate {
  std::string iso8601;        ///< "YYYY-MM-DDTHH:MM:SS+HH:MM"; +07:00 when the input had no offset
  std::int64_t unix_seconds;  ///< seconds since 1970-01-01T00:00:00Z
};

/// Vietnam's offset, assumed when a date carries none (Vietnamese sites print local time).
inline constexpr int kDefaultUtcOffsetMinutes = 7 * 60;

/// Parses a whole date field. Accepts ISO 8601 ("2024-02-07T23:41:00+07:00", "2024-02-07",
/// "2024-02-07 23:41", "...Z") and Vietnamese forms, day before month: "Thứ tư, 7/2/2024, 23:41
/// (GMT+7)", "16/11/2020", "16-11-2020 08:30", "08:30 16/11/2020", "ngày 16 tháng 11 năm 2020".
/// Returns nullopt for anything else and for impossible dates (31/2, 25:00): never guesses.
[[nodiscard]] std::optional<ParsedDate> parse_date(std::string_view text);

/// Finds the first date with a four-digit year inside running text (for example the line under
/// a headline: "Cập nhật lúc 08:30 16/11/2020 | Thời sự"). Returns nullopt when there is none.
[[nodiscard]] std::optional<ParsedDate> find_date(std::string_view text);

}  // namespace vnsearch
