#include "eval_engines.h"

#include <sqlite3.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <stdexcept>

#include "es_like.h"

// Set by bench/CMakeLists.txt when the query library (vnsearch_query) is built and linked.
#ifndef VNSEARCH_EVAL_HAS_QUERY
#define VNSEARCH_EVAL_HAS_QUERY 0
#endif
#if VNSEARCH_EVAL_HAS_QUERY
#include "vnsearch/search.h"
#endif

namespace vnsearch::bench {

namespace {

class PlainXapian final : public Engine {
 public:
  explicit PlainXapian(const std::filesystem::path& database) : database_(database.string()) {}

  std::vector<std::string> search(const std::string& query, std::size_t k) override {
    std::vector<std::string> ids;
    try {
      // Defaults throughout: that is the peer figure the shared README quotes.
      Xapian::QueryParser parser;
      Xapian::Enquire enquire(database_);
      enquire.set_query(parser.parse_query(query));
      const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(k));
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        ids.push_back(it.get_document().get_data());
      }
    } catch (const Xapian::Error&) {
      ++failures_;
      ids.clear();
    }
    return ids;
  }

  std::uint64_t documents() override { return database_.get_doccount(); }

 private:
  Xapian::Database database_;
};

class EsLike final : public Engine {
 public:
  EsLike(const std::filesystem::path& database, double title_boost) : database_(database.string()) {
    options_.title_boost = title_boost;
  }

  std::vector<std::string> search(const std::string& query, std::size_t k) override {
    std::vector<std::string> ids;
    try {
      for (auto& [id, score] : es_like_search(database_, query, options_, k)) {
        ids.push_back(std::move(id));
      }
    } catch (const Xapian::Error&) {
      ++failures_;
      ids.clear();
    }
    return ids;
  }

  std::uint64_t documents() override { return database_.get_doccount(); }

 private:
  Xapian::Database database_;
  EsLikeOptions options_;
};

class Fts5 final : public Engine {
 public:
  explicit Fts5(const std::filesystem::path& database) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + database.string());
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(raw,
                           "SELECT id FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2",
                           -1, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(raw));
    }
    search_.reset(statement);
  }

  std::vector<std::string> search(const std::string& query, std::size_t k) override {
    std::vector<std::string> ids;
    const std::string match = fts5_or_query(query);
    if (match.empty()) return ids;
    sqlite3_stmt* statement = search_.get();
    sqlite3_bind_text(statement, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(statement, 2, static_cast<sqlite3_int64>(k));
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement, 0)));
    }
    if (rc != SQLITE_DONE) {
      ++failures_;
      ids.clear();
    }
    sqlite3_reset(statement);
    return ids;
  }

  std::uint64_t documents() override {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db_.get(), "SELECT count(*) FROM docs", -1, &statement, nullptr);
    std::uint64_t count = 0;
    if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return count;
  }

 private:
  struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  // Declared before the statement, so the statement is finalized before the database closes.
  std::unique_ptr<sqlite3, CloseDb> db_;
  std::unique_ptr<sqlite3_stmt, Finalize> search_;
};

#if VNSEARCH_EVAL_HAS_QUERY
class VnSearch final : public Engine {
 public:
  explicit VnSearch(const std::filesystem::path& database)
      : database_(database), searcher_(database) {}

  std::vector<std::string> search(const std::string& query, std::size_t k) override {
    SearchOptions options;
    options.limit = k;
    options.snippets = false;  // ranking only; snippets are a display cost
    std::vector<std::string> ids;
    for (Hit& hit : searcher_.search(query, options).hits) ids.push_back(std::move(hit.id));
    return ids;
  }

  std::uint64_t documents() override { return Xapian::Database(database_.string()).get_doccount(); }

 private:
  std::filesystem::path database_;
  Searcher searcher_;
};
#endif

bool is_word_char(UChar32 c) {
  const auto mask = U_GET_GC_MASK(c);
  return (mask & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
}

}  // namespace

std::unique_ptr<Engine> open_plain_xapian(const std::filesystem::path& database) {
  return std::make_unique<PlainXapian>(database);
}

std::unique_ptr<Engine> open_es_like(const std::filesystem::path& database, double title_boost) {
  return std::make_unique<EsLike>(database, title_boost);
}

std::unique_ptr<Engine> open_fts5(const std::filesystem::path& database) {
  return std::make_unique<Fts5>(database);
}

bool vnsearch_available() {
  return VNSEARCH_EVAL_HAS_QUERY != 0;
}

std::unique_ptr<Engine> open_vnsearch([[maybe_unused]] const std::filesystem::path& database) {
#if VNSEARCH_EVAL_HAS_QUERY
  return std::make_unique<VnSearch>(database);
#else
  return nullptr;
#endif
}

std::string fts5_or_query(std::string_view text) {
  std::string query, word;
  const auto flush = [&] {
    if (word.empty()) return;
    if (!query.empty()) query += " OR ";
    query += '"';
    for (char c : word) {
      if (c == '"') query += '"';  // FTS5 string syntax: a quote inside is doubled
      query += c;
    }
    query += '"';
    word.clear();
  };
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && is_word_char(c)) {
      word.append(
          text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    } else {
      flush();
    }
  }
  flush();
  return query;
}

std::string unaccent(std::string_view text) {
  // đ and Đ have no decomposition, so unaccent.py replaces them before NFD; so does this.
  std::string replaced;
  replaced.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\xC4' && i + 1 < text.size() &&
        (text[i + 1] == '\x91' || text[i + 1] == '\x90')) {
      replaced += text[i + 1] == '\x91' ? 'd' : 'D';
      ++i;
    } else {
      replaced += text[i];
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalizers unavailable");
  const icu::UnicodeString decomposed =
      nfd->normalize(icu::UnicodeString::fromUTF8(replaced), status);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) kept.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  nfc->normalize(kept, status).toUTF8String(out);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalization failed");
  return out;
}

}  // namespace vnsearch::bench
