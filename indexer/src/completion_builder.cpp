#include "completion_builder.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "entities.h"
#include "vnsearch/schema.h"

namespace vnsearch::indexing {

namespace fs = std::filesystem;

namespace {

// A longer "title" is a scraping accident, not something anyone types.
constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMinPhrase = 2, kMaxPhrase = 3;
constexpr std::size_t kMinName = 2, kMaxName = 5;

using Sink = std::function<void(const CompletionItem&, std::int32_t)>;

// Days since 1970-01-01 of an ISO date (`2017-06-12T...`), or kNoDay.
std::int32_t day_of(const std::string& iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return kNoDay;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t at = starts[i]; at < starts[i] + lengths[i]; ++at) {
      if (iso[at] < '0' || iso[at] > '9') return kNoDay;
      parts[i] = parts[i] * 10 + (iso[at] - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year(parts[0]),
                                         std::chrono::month(static_cast<unsigned>(parts[1])),
                                         std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!date.ok()) return kNoDay;
  return static_cast<std::int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}

struct CaseShape {
  bool first_upper = false;
  bool all_upper = false;  // two letters or more, every one upper-case (an acronym: UBND)
};

CaseShape shape_of(std::string_view text) {
  CaseShape shape;
  std::size_t letters = 0, upper = 0;
  std::int32_t at = 0;
  const auto length = static_cast<std::int32_t>(text.size());
  while (at < length) {
    UChar32 c = 0;
    U8_NEXT(text.data(), at, length, c);
    if (c < 0 || !u_isalpha(c)) continue;
    if (letters == 0) shape.first_upper = u_isupper(c) != 0;
    ++letters;
    if (u_isupper(c)) ++upper;
  }
  shape.all_upper = letters >= 2 && upper == letters;
  return shape;
}

// The exact (lower-case) form with its first letter, or every letter, in upper case.
std::string recase(std::string_view exact, bool every) {
  std::string out;
  out.reserve(exact.size() + 4);
  std::int32_t at = 0;
  const auto length = static_cast<std::int32_t>(exact.size());
  bool first = true;
  while (at < length) {
    const std::int32_t start = at;
    UChar32 c = 0;
    U8_NEXT(exact.data(), at, length, c);
    if (c < 0 || !(first || every) || !u_isalpha(c)) {
      out.append(
          exact.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(at - start)));
      continue;
    }
    first = false;
    char buffer[U8_MAX_LENGTH];
    std::int32_t written = 0;
    U8_APPEND_UNSAFE(buffer, written, u_toupper(c));  // room for any code point
    out.append(buffer, static_cast<std::size_t>(written));
  }
  return out;
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) { return ch > ' ' && ch < 0x7F; });
}

// One token of a field as completions use it.
struct Unit {
  const Token* token = nullptr;
  std::string display;
};

std::vector<Unit> units_of(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Unit> units;
  for (const Token& token : tokens) {
    if (token.role == TokenRole::kPart || token.folded.empty()) continue;
    Unit unit;
    unit.token = &token;
    const std::string_view original = token.end <= text.size() && token.start < token.end
                                          ? text.substr(token.start, token.end - token.start)
                                          : std::string_view();
    if (token.kind != TokenKind::kWord) {
      unit.display = printable_ascii(original) ? std::string(original) : token.exact;
    } else {
      const CaseShape shape = shape_of(original);
      unit.display = shape.all_upper     ? recase(token.exact, true)
                     : shape.first_upper ? recase(token.exact, false)
                                         : token.exact;
    }
    units.push_back(std::move(unit));
  }
  return units;
}

bool adjacent(const Unit& a, const Unit& b) {
  return a.token->sentence == b.token->sentence && a.token->position + 1 == b.token->position;
}

CompletionItem item_of(CompletionKind kind, const std::vector<Unit>& units, std::size_t from,
                       std::size_t count) {
  CompletionItem item;
  item.kind = kind;
  for (std::size_t i = from; i < from + count; ++i) {
    const char* space = i == from ? "" : " ";
    item.folded += space + units[i].token->folded;
    item.exact += space + units[i].token->exact;
    item.display += space + units[i].display;
  }
  return item;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void emit_title(const std::string& title, const std::vector<Token>& tokens, std::int32_t day,
                const Sink& use) {
  std::vector<Unit> units = units_of(title, tokens);
  if (units.empty()) return;
  CompletionItem whole = item_of(CompletionKind::kTitle, units, 0, units.size());
  whole.display = collapse_spaces(title);
  use(whole, day);
  // A title in capitals (`HÀ NỘI MƯA LỚN`) says nothing about how its words are written.
  const auto acronyms = std::count_if(units.begin(), units.end(), [&](const Unit& unit) {
    return unit.token->kind == TokenKind::kWord && shape_of(unit.display).all_upper;
  });
  if (units.size() >= 2 && static_cast<std::size_t>(acronyms) * 2 >= units.size()) return;
  for (std::size_t from = 0; from < units.size(); ++from) {
    if (units[from].token->kind != TokenKind::kWord) continue;
    for (std::size_t length = kMinPhrase; length <= kMaxPhrase; ++length) {
      if (from + length > units.size() ||
          !adjacent(units[from + length - 2], units[from + length - 1])) {
        break;
      }
      use(item_of(CompletionKind::kPhrase, units, from, length), day);
    }
  }
}

std::size_t syllables_in(std::string_view key) {
  return static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

// Names are the people, places and organisations the title and description name, found by the
// indexer's entity rules (entities.h): a bare run of capitalised words joined two names (`Hà
// Nội Thủ` of `… Hà Nội Thủ tướng …`) or kept a title (`Ông Nguyễn`). Counted once per article,
// even when the article gives one name two types (`tỉnh Thanh Hóa`, `CLB Thanh Hóa`).
void emit_names(const std::string& title, const std::vector<Token>& title_tokens,
                const std::string& description, const Analyzer& analyzer, std::int32_t day,
                const Sink& use) {
  EntityCollector collector;
  collector.add_field(title, title_tokens);
  collector.add_field(description, analyzer.analyze(description));
  std::unordered_set<std::string> emitted;
  for (const Entity& entity : collector.finish()) {
    const std::size_t syllables = syllables_in(entity.key);
    if (syllables < kMinName || syllables > kMaxName) continue;
    if (!emitted.insert(entity.key).second) continue;
    CompletionItem item;
    item.kind = CompletionKind::kName;
    item.folded = entity.folded_key;
    item.exact = entity.key;
    item.display = entity.display;
    use(item, day);
  }
}

std::uint64_t database_revision(const fs::path& directory) {
  return Xapian::Database(directory.string()).get_revision();
}

void count_part(const std::string& directory, unsigned part, unsigned parts,
                CompletionTable& table) {
  Xapian::Database db(directory);
  Analyzer analyzer;
  std::size_t index = 0;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting, ++index) {
    if (index % parts != part) continue;
    for_each_completion(
        db.get_document(*posting).get_data(), analyzer,
        [&](const CompletionItem& item, std::int32_t day) { table.add(item, day); });
  }
}

}  // namespace

void for_each_completion(const std::string& record, const Analyzer& analyzer, const Sink& use) {
  const schema::StoredRecordParts parts = schema::split_stored_record(record);
  const nlohmann::json header = nlohmann::json::parse(parts.header_json, nullptr, false);
  if (!header.is_object()) return;
  const auto text = [&](const char* field) {
    const auto value = header.find(field);
    return value != header.end() && value->is_string() ? value->get<std::string>() : std::string();
  };
  const std::int32_t day = day_of(text("date"));
  // A longer "title" is a scraping accident: neither a completion nor a source of names.
  std::string title = text("title");
  if (title.size() > kMaxTitleBytes) title.clear();
  const std::vector<Token> title_tokens = analyzer.analyze(title);
  const std::string description = text("description");
  emit_title(title, title_tokens, day, use);
  emit_names(title, title_tokens, description, analyzer, day, use);
}

bool completions_stale(const fs::path& directory) {
  try {
    return CompletionTable::read_tag(directory / CompletionTable::kFileName) !=
           database_revision(directory);
  } catch (const std::exception&) {
    return true;
  }
}

void rebuild_completions(const fs::path& directory) {
  const unsigned parts = std::max(1u, std::thread::hardware_concurrency());
  std::vector<CompletionTable> tables(parts);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::vector<std::thread> threads;
  for (unsigned part = 0; part < parts; ++part) {
    threads.emplace_back([&, part] {
      try {
        count_part(directory.string(), part, parts, tables[part]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
  for (unsigned part = 1; part < parts; ++part) tables[0].merge(tables[part]);
  tables[0].save(directory / CompletionTable::kFileName, database_revision(directory));
}

bool update_completions(const fs::path& directory, std::uint64_t base_revision,
                        const ModelDelta& delta) {
  const fs::path path = directory / CompletionTable::kFileName;
  if (!delta.overflowed()) {
    CompletionTable table;
    bool current = false;
    try {
      current = table.load(path, /*for_answering=*/false) == base_revision;
    } catch (const std::exception&) {
      current = false;  // missing or damaged: recounted below
    }
    if (current) {
      const Analyzer analyzer;
      for (const std::string& record : delta.removed_records()) {
        for_each_completion(record, analyzer, [&](const CompletionItem& item, std::int32_t day) {
          table.remove(item, day);
        });
      }
      for (const std::string& record : delta.added_records()) {
        for_each_completion(record, analyzer, [&](const CompletionItem& item, std::int32_t day) {
          table.add(item, day);
        });
      }
      table.save(path, database_revision(directory));
      return false;
    }
  }
  rebuild_completions(directory);
  return true;
}

}  // namespace vnsearch::indexing
