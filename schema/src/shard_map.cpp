#include "vnsearch/shard_map.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "vnsearch/schema.h"

namespace vnsearch::shards {

namespace fs = std::filesystem;

namespace {

// The first line names the format; `hash` says how ids are routed, so that a later vnsearch
// with another routing can refuse a map it would read wrongly.
constexpr std::string_view kHeader = "vnsearch shard map 1";
constexpr std::string_view kHash = "fnv1a64-mod";

}  // namespace

std::size_t shard_of(std::string_view id, std::size_t count) {
  if (count == 0) throw std::invalid_argument("shard_of: no shards");
  return static_cast<std::size_t>(schema::fnv1a(schema::kFnvOffsetBasis, id) % count);
}

fs::path shard_path(const fs::path& root, std::size_t index) {
  return root / ("shard-" + std::to_string(index));
}

std::optional<ShardMap> read_shard_map(const fs::path& root) {
  const fs::path file = root / kMapFileName;
  std::error_code error;
  if (!fs::is_regular_file(file, error)) return std::nullopt;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read shard map " + file.string());
  std::string header, hash_word, hash, shards_word;
  std::size_t count = 0;
  std::getline(in, header);
  in >> hash_word >> hash >> shards_word >> count;
  if (header != kHeader || hash_word != "hash" || shards_word != "shards" || !in) {
    throw std::runtime_error(file.string() + " is not a vnsearch shard map (expected \"" +
                             std::string(kHeader) + "\", a hash line and a shards line)");
  }
  if (hash != kHash) {
    throw std::runtime_error(file.string() + " routes documents by \"" + hash +
                             "\", which this vnsearch does not know (it knows " +
                             std::string(kHash) + ")");
  }
  if (count == 0 || count > kMaxShards) {
    throw std::runtime_error(file.string() + " names " + std::to_string(count) +
                             " shards; a shard map names 1 to " + std::to_string(kMaxShards));
  }
  return ShardMap{count};
}

void write_shard_map(const fs::path& root, const ShardMap& map) {
  fs::create_directories(root);
  const fs::path file = root / kMapFileName;
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << kHeader << "\nhash " << kHash << "\nshards " << map.count << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write shard map " + temporary.string());
  }
  std::error_code error;
  fs::rename(temporary, file, error);
  if (error) {
    throw std::runtime_error("cannot write shard map " + file.string() + ": " + error.message());
  }
}

}  // namespace vnsearch::shards
