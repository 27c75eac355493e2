// Searching a vnsearch database: what people type in, ranked hits out. The query may be typed
// with diacritics, without them, or as a mix; journalists may add operators (see docs/query.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/search_index.h"
#include "vnsearch/time_ranking.h"

namespace vnsearch {

class SearchIndex;
struct RelatedOptions;
struct RelatedResult;

/// The order of hits.
enum class SearchSort {
  kRelevance,  ///< best match first (the default)
  kDate,       ///< newest first; undated documents last
  kOldest,     ///< oldest first; undated documents last
  kFreshness,  ///< relevance × the freshness multiplier (vnsearch/time_ranking.h)
};

/// The order named as the CLI (`--sort`) and the API (`sort=`) spell it: `relevance`, `newest`
/// (also `date`), `oldest`, `fresh`; nothing for another name.
[[nodiscard]] std::optional<SearchSort> sort_from_name(std::string_view name);

/// Filters given apart from the query text (by a form or an API), combined with the query's own
/// `source:`, `date:`... operators. Values are matched however they are typed (case, marks).
struct SearchFilters {
  std::string date_from;  ///< YYYY, YYYY-MM or YYYY-MM-DD (Vietnam time), inclusive; or empty
  std::string date_to;    ///< same forms, inclusive; or empty
  std::vector<std::string> sources;     ///< any of these (empty: all)
  std::vector<std::string> categories;  ///< any of these (empty: all)
  std::vector<std::string> years;       ///< any of these four-digit years (empty: all)
  /// Entities named in the article (docs/entities.md): each list is "any of these".
  std::vector<std::string> persons, places, organisations;
};

/// True when `text` is a date the filters accept (YYYY, YYYY-MM or YYYY-MM-DD, a real date).
[[nodiscard]] bool valid_filter_date(std::string_view text);

/// Narrowing and paging of one search.
struct SearchOptions {
  /// The most hits one page may hold: a larger `limit` is cut to it, with a note in `message`.
  static constexpr std::size_t kMaxLimit = 1000;
  /// How deep paging goes: hits past the first 10,000 are never returned (each page retrieves
  /// and re-ranks everything before it). A page reaching past it is cut, with a note.
  static constexpr std::size_t kMaxWindow = 10000;

  std::size_t limit = 10;  ///< hits per page (0: only count the matches)
  std::size_t offset = 0;  ///< hits to skip (page × limit)
  bool snippets = true;    ///< compute highlighted snippets (costs a little per hit)
  bool facets = false;     ///< count hits per source, category, year and entity
  SearchSort sort = SearchSort::kRelevance;
  SearchFilters filters;
  /// How long Xapian's matcher may spend counting every match (for facets and an exact total)
  /// in each retrieval (Enquire::set_time_limit); past it the count stops, the hits are still
  /// the best ones, and a `count_cut` note says the counts are estimates. 0: no limit. Xapian
  /// 1.4 cannot stop the ranked retrieval itself; its cost is bounded by the query length cap.
  /// The server sets it so that no facet count can hold a search slot for long.
  std::chrono::milliseconds time_limit{0};
  /// Search a sure correction of a misspelled query ("did you mean") instead of the query as
  /// typed. False is the way back: the query is searched exactly as typed, and the correction
  /// is only offered.
  bool correct = true;
  /// Half-life of the freshness boost of SearchSort::kFreshness, in days (clamped to
  /// Freshness::kMinHalfLifeDays..kMaxHalfLifeDays).
  double half_life_days = Freshness::kDefaultHalfLifeDays;
  /// Count the matches per month or year (SearchResult::timeline). Like facets it makes the
  /// matcher visit every match.
  bool timeline = false;
  /// Fold near-duplicate copies of one story (syndicated articles, lightly edited reprints)
  /// into one hit, the best-ranked copy, which says how many were folded (docs/duplicates.md).
  bool collapse = false;
  /// List every copy of each hit's story (Hit::copies), whether or not it matched.
  bool copies = false;
};

/// A passage of a document's text with where the query matched it. The text is plain (not
/// escaped); each caller marks the ranges its own way (`<mark>` on a page, bold on a terminal).
struct Snippet {
  struct Range {
    std::size_t begin = 0;  ///< byte offset into `text`
    std::size_t end = 0;    ///< one past the last byte
  };
  std::string text;            ///< starts and/or ends with "…" where the passage was cut
  std::vector<Range> matches;  ///< in order, not overlapping

  [[nodiscard]] bool empty() const { return text.empty(); }
};

/// How `render_snippet` writes a snippet.
struct SnippetMarks {
  std::string open = "<b>";
  std::string close = "</b>";
  bool escape_html = true;  ///< escape <, >, & and " in the text between marks
};

/// The snippet's text with each match wrapped in `marks`.
[[nodiscard]] std::string render_snippet(const Snippet& snippet, const SnippetMarks& marks = {});

/// A run of a snippet's plain text, inside a match or between matches.
struct SnippetPiece {
  std::string_view text;
  bool match = false;
};

/// The snippet's text cut at its match ranges (ranges out of order or out of bounds are
/// ignored), for callers that mark matches their own way: render_snippet escapes HTML; the
/// terminal bolds them or wraps them in «…»; a CSV export joins the pieces as they are.
[[nodiscard]] std::vector<SnippetPiece> snippet_pieces(const Snippet& snippet);

/// Another copy of a hit's story (docs/duplicates.md).
struct StoryCopy {
  std::string id, title, date, source, url;
};

/// One ranked document.
struct Hit {
  std::string id;
  double score = 0;
  std::string title;
  Snippet snippet;   ///< body excerpt with the matches, when snippets were asked for
  std::string date;  ///< ISO 8601, or empty
  std::string source;
  std::string url;
  std::string category;
  std::string description;
  std::string author;
  std::vector<std::string> tags;
  /// With SearchOptions::collapse: matching copies of this story folded into this hit (Xapian's
  /// collapse count: exact for the hits ranked, a lower bound when the matcher stopped early).
  std::uint64_t collapse_count = 0;
  /// With SearchOptions::copies: every other document of this hit's story, smallest id first.
  std::vector<StoryCopy> copies;
};

/// A stored article, as `vnsearch index` kept it.
struct StoredDocument {
  std::string id, title, description, body, date, source, url, author, category;
  std::vector<std::string> tags;
};

/// One facet value with its hit count.
struct FacetCount {
  std::string value;
  std::uint64_t count = 0;
};

/// Why a result is the way it is, for a caller that decides by kind (an HTTP status, a page's
/// wording) rather than by text.
enum class NoteCode {
  kQueryTruncated,  ///< the query was cut to its first kMaxQueryBytes bytes
  kQueryRepaired,   ///< the query text had a problem that was repaired or ignored (see text)
  kEmptyQuery,      ///< nothing to search for: the query has no words
  kNoMatch,         ///< the query was fine; no document matches it
  kPastLastPage,    ///< documents match, but none at this offset
  kPagingCapped,    ///< limit or offset beyond SearchOptions::kMaxLimit / kMaxWindow, cut
  kRestorationOff,  ///< the syllable model is missing or damaged: the text says the remedy
  kCorrected,       ///< the query looked misspelled: the hits are for `correction->text`
  kSuggestion,      ///< the query may be misspelled: `correction->text` is offered
  kCountCut,        ///< the time limit stopped the full count: total and facet counts are estimates
  kWildcard,        ///< a prefix wildcard (`thi*`) matched more words than are searched, or none
  kPartial,         ///< some shards did not answer: `unavailable_shards` names them
};

/// Stable spelling of a note code, for JSON (`query_truncated`, ...).
[[nodiscard]] std::string_view note_code_name(NoteCode code);

struct SearchNote {
  NoteCode code;
  std::string text;  ///< in English, for people
};

/// "Did you mean": the query someone likely meant when the one typed looks wrong (typing-method
/// keys left in, VIQR, a misspelled syllable, syllables run together).
struct QueryCorrection {
  std::string text;      ///< the corrected query
  std::string original;  ///< the query as typed (for the way back)
  bool applied = false;  ///< the hits are for `text` (the correction was sure)
  /// What was wrong, one per changed word: `telex`, `vni`, `viqr`, `spelling`, `tone`, `joined`.
  std::vector<std::string> kinds;
};

/// The answer to one query.
struct SearchResult {
  std::vector<Hit> hits;
  std::uint64_t estimated_matches = 0;  ///< Xapian's estimate of all matching documents
  bool exact_count = false;             ///< `estimated_matches` is the exact number
  /// The readings searched, in exact form: for a query typed without diacritics, the likely
  /// restored readings (most likely first); otherwise the query itself.
  std::vector<std::string> readings;
  /// The query used the query language (AND, OR, NOT, NEAR, parentheses, `*`): `readings` are
  /// then the restored words of its operands, not queries to search instead.
  bool query_language = false;
  std::map<std::string, std::vector<FacetCount>> facets;  ///< by facet name, when requested
  /// Matches per month or year, when SearchOptions::timeline asked for it.
  std::optional<Timeline> timeline;
  /// Set when the query looks misspelled; `applied` tells whether the hits are for it.
  std::optional<QueryCorrection> correction;
  /// Remarks on the query (what was repaired or ignored, paging cut to the caps) and on the
  /// result (why it is empty); never a failure.
  std::vector<SearchNote> notes;
  /// Set when the search itself failed (the index is unreadable or vanished): the caller
  /// answers with a server-side error, not with an empty result.
  std::optional<std::string> failure;
  /// Shards that did not answer, "NAME: why" each, when several databases are searched as one
  /// (vnsearch/shard_sources.h): the hits come from the others only. Empty for a full result.
  std::vector<std::string> unavailable_shards;
  /// The notes (or the failure) as one line, for people: what the CLI prints after "note:".
  std::string message;
};

/// The most bytes of query text searched; longer queries are cut (with a kQueryTruncated note).
inline constexpr std::size_t kMaxQueryBytes = 2000;

/// A database opened for searching. Not thread-safe: use one Searcher per thread. Searchers
/// made from one SearchIndex share its read-only parts (the syllable model, the ranking
/// parameters) and each keep their own Xapian handle (vnsearch/search_index.h).
class Searcher {
 public:
  /// Opens the database at `database` (the path given to `vnsearch index --db`). Throws
  /// std::runtime_error with a clear message when it is missing or unreadable.
  explicit Searcher(const std::filesystem::path& database);
  /// A Searcher on a shared index: follows the index's snapshot, refreshed by whoever owns it.
  explicit Searcher(std::shared_ptr<SearchIndex> index);
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  /// Runs one query. Never throws for bad query text: an empty, unusable or overlong query gives
  /// an empty result with `message` set. The query is UTF-8; ill-formed bytes become U+FFFD.
  [[nodiscard]] SearchResult search(std::string_view query, const SearchOptions& options = {});

  /// Catches up with the indexer: re-opens the database at its latest commit, follows a
  /// `--fresh` swap to the new generation and reloads the syllable model when it changed on
  /// disk, so a refreshed Searcher answers exactly like a newly opened one.
  void refresh();

  /// The stored article with this id, or nothing when there is none. Throws
  /// std::runtime_error when the index cannot be read.
  [[nodiscard]] std::optional<StoredDocument> document(std::string_view id);

  /// The articles related to document `id`, about the same event first (vnsearch/related.h).
  /// Throws std::runtime_error when the index cannot be read.
  [[nodiscard]] RelatedResult related(std::string_view id, const RelatedOptions& options);

  /// Counts of what the index holds (documents, dates, sources, categories, years). Throws
  /// std::runtime_error when the index cannot be read.
  [[nodiscard]] IndexOverview overview();

  /// The snapshot the next search will use.
  [[nodiscard]] std::shared_ptr<const IndexSnapshot> snapshot() const;

  /// The most likely reading of `text` with diacritics restored where they were left out, one
  /// exact (lower-case) form per syllable, separated by spaces: what the search understood.
  [[nodiscard]] std::vector<std::string> restore_diacritics(std::string_view text);

  /// The likely intended query when `text` looks misspelled (as `search` would report it, with
  /// `applied` telling whether search would use it), or nothing when it looks right.
  [[nodiscard]] std::optional<QueryCorrection> correct(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnsearch
