// Small text helpers for the page: escaping, URLs, Vietnamese number and date forms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vnsearch::server {

/// Escapes &, <, >, " and ' for HTML text and attribute values (and XML).
[[nodiscard]] std::string escape_html(std::string_view text);

/// Percent-encodes everything but unreserved characters (RFC 3986), for a query-string value.
[[nodiscard]] std::string url_encode(std::string_view text);

/// `?a=1&b=2` from name/value pairs (values encoded); "" when empty.
[[nodiscard]] std::string query_string(
    const std::vector<std::pair<std::string, std::string>>& pairs);

/// 1234567 → "1.234.567" (Vietnamese) or "1,234,567" (English).
[[nodiscard]] std::string format_count(std::uint64_t value, char separator);

/// "2020-11-16T08:00:00+07:00" → "16/11/2020" (Vietnamese) or "16 Nov 2020" (English); the
/// text unchanged when it is not an ISO date.
[[nodiscard]] std::string format_date(std::string_view iso, bool vietnamese);

/// True when `text` is an http(s) URL (links to anything else are not rendered as links).
[[nodiscard]] bool is_web_url(std::string_view text);

}  // namespace vnsearch::server
