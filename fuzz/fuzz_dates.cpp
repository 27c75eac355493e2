// Fuzz target: the date parser on arbitrary text. A date it returns must be well formed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vnsearch/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& date : {vnsearch::parse_date(text), vnsearch::find_date(text)}) {
    if (!date) continue;
    // "YYYY-MM-DDTHH:MM:SS+HH:MM"
    if (date->iso8601.size() != 25 || date->iso8601[4] != '-' || date->iso8601[10] != 'T') {
      std::abort();
    }
  }
  return 0;
}
