#include "html.h"

namespace vnsearch::server {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' ||
                            byte == '.' || byte == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    out += out.empty() ? "?" : "&";
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

std::string format_count(std::uint64_t value, char separator) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += separator;  // before each group of three
    out += digits[i];
  }
  return out;
}

std::string format_date(std::string_view iso, bool vietnamese) {
  auto digits = [&](std::size_t at, std::size_t count) {
    if (iso.size() < at + count) return false;
    for (std::size_t i = at; i < at + count; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return false;
    }
    return true;
  };
  if (!digits(0, 4) || !digits(5, 2) || !digits(8, 2) || iso[4] != '-' || iso[7] != '-') {
    return std::string(iso);
  }
  const std::string year(iso.substr(0, 4)), month(iso.substr(5, 2)), day(iso.substr(8, 2));
  if (vietnamese) return day + "/" + month + "/" + year;
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int number = std::stoi(month);
  if (number < 1 || number > 12) return std::string(iso);
  return std::to_string(std::stoi(day)) + " " + kMonths[number - 1] + " " + year;
}

bool is_web_url(std::string_view text) {
  return text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0;
}

}  // namespace vnsearch::server
