#include "vnsearch/shard_sources.h"

#include <charconv>
#include <fstream>
#include <stdexcept>

#include "vnsearch/shard_map.h"

namespace vnsearch {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kModelComment = "# vnsearch-model ";

// `host:port` with a port of 1..65535 and no `/` (a path never reads as an address); an IPv6
// host is written in brackets, `[::1]:7000`.
bool parse_address(std::string_view text, std::string& host, unsigned& port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || text.find('/') != std::string_view::npos) {
    return false;
  }
  const std::string_view digits = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535) {
    return false;
  }
  std::string_view name = text.substr(0, colon);
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  host = std::string(name);
  port = value;
  return true;
}

std::string trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// A regular file whose lines are all Xapian stub lines (`auto`, `glass`, `chert`, `remote`) or
// comments, with at least one database line: any other file is not taken for a stub (and is
// then reported as not being a database folder).
bool is_stub_file(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error) || fs::file_size(path, error) > (1 << 20)) return false;
  std::ifstream in(path);
  std::string line;
  bool any = false;
  while (std::getline(in, line)) {
    const std::string text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const std::string type = text.substr(0, text.find_first_of(" \t"));
    if (type != "auto" && type != "glass" && type != "chert" && type != "remote") return false;
    any = true;
  }
  return any;
}

void add_local(const fs::path& path, const std::string& name, std::vector<ShardSource>& out);

// A Xapian stub database file: one database per line, `auto PATH` (or a backend name such as
// `glass PATH`) for a local one, `remote HOST:PORT` for one served by xapian-tcpsrv; `#` starts
// a comment. Paths are relative to the stub file's folder, as Xapian reads them.
void add_stub(const fs::path& stub, std::vector<ShardSource>& out,
              std::vector<fs::path>& model_files) {
  std::ifstream in(stub);
  if (!in) throw std::runtime_error("cannot read stub database file " + stub.string());
  const fs::path folder = stub.parent_path();
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = stub.string() + ":" + std::to_string(number) + ": ";
    if (line.rfind(kModelComment, 0) == 0) {
      const fs::path model = trim(std::string_view(line).substr(kModelComment.size()));
      model_files.push_back(model.is_absolute() ? model : folder / model);
      continue;
    }
    const std::string text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const std::size_t space = text.find_first_of(" \t");
    const std::string type = text.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : trim(text.substr(space));
    if (type == "remote") {
      ShardSource source;
      if (!parse_address(rest, source.host, source.port)) {
        throw std::runtime_error(where + "\"" + text +
                                 "\": vnsearch reads remote lines of the form `remote HOST:PORT` "
                                 "(a shard served by xapian-tcpsrv)");
      }
      source.remote = true;
      source.name = rest;
      out.push_back(std::move(source));
    } else if ((type == "auto" || type == "glass" || type == "chert") && !rest.empty()) {
      const fs::path path = fs::path(rest).is_absolute() ? fs::path(rest) : folder / rest;
      add_local(path, path.string(), out);
    } else {
      throw std::runtime_error(where + "\"" + text +
                               "\" is not a database line (`auto PATH` or `remote HOST:PORT`)");
    }
  }
}

void add_local(const fs::path& path, const std::string& name, std::vector<ShardSource>& out) {
  if (const auto map = shards::read_shard_map(path)) {
    for (std::size_t shard = 0; shard < map->count; ++shard) {
      const fs::path database = shards::shard_path(path, shard);
      out.push_back({database.string(), false, database, {}, 0});
    }
    return;
  }
  out.push_back({name, false, path, {}, 0});
}

}  // namespace

bool names_shards(const std::vector<std::string>& databases) {
  if (databases.size() != 1) return databases.size() > 1;
  const std::string& only = databases[0];
  std::string host;
  unsigned port = 0;
  std::error_code error;
  if (!fs::exists(only, error) && parse_address(only, host, port)) return true;
  // A folder kept by xapian-replicate holds an XAPIANDB stub naming its current copy.
  return is_stub_file(only) || fs::is_regular_file(fs::path(only) / shards::kMapFileName, error) ||
         fs::is_regular_file(fs::path(only) / "XAPIANDB", error);
}

std::vector<ShardSource> expand_shard_sources(const std::vector<std::string>& databases,
                                              std::vector<fs::path>& model_files) {
  std::vector<ShardSource> sources;
  for (const std::string& given : databases) {
    ShardSource remote;
    std::error_code error;
    if (!fs::exists(given, error) && parse_address(given, remote.host, remote.port)) {
      remote.remote = true;
      remote.name = given;
      sources.push_back(std::move(remote));
    } else if (is_stub_file(given)) {
      add_stub(given, sources, model_files);
    } else {
      add_local(given, given, sources);
    }
  }
  if (sources.empty()) throw std::runtime_error("no database to search");
  return sources;
}

}  // namespace vnsearch
