#include "vnsearch/large_metadata.h"

#include <charconv>
#include <stdexcept>
#include <vector>

namespace vnsearch::schema {
namespace {

constexpr std::string_view kManifestPrefix = "vnsearch-parts ";

std::string part_key(const std::string& key, std::size_t index) {
  return key + ".part-" + std::to_string(index);
}

// Parts `<key>.part-N` with N >= `keep`: what a larger earlier value left behind.
void remove_parts_from(Xapian::WritableDatabase& db, const std::string& key, std::size_t keep) {
  const std::string prefix = key + ".part-";
  std::vector<std::string> stale;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    const std::string name = *it;
    std::size_t index = 0;
    const char* first = name.data() + prefix.size();
    const char* last = name.data() + name.size();
    const auto [end, error] = std::from_chars(first, last, index);
    if (error != std::errc() || end != last || index >= keep) stale.push_back(name);
  }
  for (const std::string& name : stale) db.set_metadata(name, "");
}

std::size_t read_number(std::string_view& text, const std::string& key) {
  std::size_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data()) {
    throw std::runtime_error("the metadata value " + key + " has a damaged parts manifest");
  }
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return number;
}

}  // namespace

void set_large_metadata(Xapian::WritableDatabase& db, const std::string& key,
                        std::string_view value, std::size_t part_bytes) {
  if (part_bytes == 0) throw std::invalid_argument("set_large_metadata: part size 0");
  if (value.size() <= part_bytes) {
    db.set_metadata(key, std::string(value));
    remove_parts_from(db, key, 0);
    return;
  }
  const std::size_t count = (value.size() + part_bytes - 1) / part_bytes;
  for (std::size_t index = 0; index < count; ++index) {
    db.set_metadata(part_key(key, index),
                    std::string(value.substr(index * part_bytes, part_bytes)));
  }
  remove_parts_from(db, key, count);
  db.set_metadata(key, std::string(kManifestPrefix) + std::to_string(count) + " " +
                           std::to_string(value.size()));
}

std::string get_large_metadata(const Xapian::Database& db, const std::string& key) {
  std::string value = db.get_metadata(key);
  if (value.compare(0, kManifestPrefix.size(), kManifestPrefix) != 0) return value;
  std::string_view manifest(value);
  manifest.remove_prefix(kManifestPrefix.size());
  const std::size_t count = read_number(manifest, key);
  const std::size_t bytes = read_number(manifest, key);
  if (!manifest.empty() || count == 0) {
    throw std::runtime_error("the metadata value " + key + " has a damaged parts manifest");
  }
  std::string whole;
  for (std::size_t index = 0; index < count; ++index) {
    const std::string part = db.get_metadata(part_key(key, index));
    if (part.empty()) {
      throw std::runtime_error("the metadata value " + key + " is incomplete: part " +
                               std::to_string(index + 1) + " of " + std::to_string(count) +
                               " is missing");
    }
    whole += part;
  }
  if (whole.size() != bytes) {
    throw std::runtime_error("the metadata value " + key + " is damaged: its parts hold " +
                             std::to_string(whole.size()) + " bytes, its manifest says " +
                             std::to_string(bytes));
  }
  return whole;
}

}  // namespace vnsearch::schema
