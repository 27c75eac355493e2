#include "page.h"

#include <algorithm>
#include <cstdio>

#include "html.h"
#include "timeline_chart.h"
#include "vnsearch/server.h"

namespace vnsearch::server {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The page's state as URL parameters; links change one thing and keep the rest.
struct State {
  std::string q, sort = "relevance", hl;
  std::string half_life;  // half_life= as given, kept while sorting by freshness
  std::vector<std::string> sources, categories, years;
  std::vector<std::string> persons, places, orgs;  // entity filters (docs/entities.md)
  std::size_t page = 1;
  bool exact = false;  // exact=1: the query searched as typed, never corrected

  [[nodiscard]] std::string href() const {
    Pairs pairs;
    if (!q.empty()) pairs.emplace_back("q", q);
    if (exact) pairs.emplace_back("exact", "1");
    for (const auto& value : sources) pairs.emplace_back("source", value);
    for (const auto& value : categories) pairs.emplace_back("category", value);
    for (const auto& value : years) pairs.emplace_back("year", value);
    for (const auto& value : persons) pairs.emplace_back("person", value);
    for (const auto& value : places) pairs.emplace_back("place", value);
    for (const auto& value : orgs) pairs.emplace_back("org", value);
    if (sort != "relevance") pairs.emplace_back("sort", sort);
    if (sort == "fresh" && !half_life.empty()) pairs.emplace_back("half_life", half_life);
    if (page > 1) pairs.emplace_back("page", std::to_string(page));
    if (!hl.empty()) pairs.emplace_back("hl", hl);
    return "/" + query_string(pairs);
  }
};

std::vector<std::string>& values_of(State& state, const std::string& facet) {
  if (facet == "source") return state.sources;
  if (facet == "category") return state.categories;
  if (facet == "person") return state.persons;
  if (facet == "place") return state.places;
  if (facet == "org") return state.orgs;
  return state.years;
}

// The entity facets' titles; Messages holds the older facets' (kept apart to stay additive).
const char* entity_facet_title(const Messages& m, const std::string& facet) {
  const bool vi = std::string(m.lang) == "vi";
  if (facet == "person") return vi ? "Nhân vật" : "People";
  if (facet == "place") return vi ? "Địa danh" : "Places";
  return vi ? "Tổ chức" : "Organisations";
}

void head(std::string& out, const Messages& m, const std::string& title) {
  out += "<!doctype html>\n<html lang=\"";
  out += m.lang;
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += escape_html(title);
  out +=
      "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
      "<link rel=\"search\" type=\"application/opensearchdescription+xml\" "
      "href=\"/opensearch.xml\" title=\"vnsearch\">\n"
      "<script src=\"/static/app.js\" defer></script>\n"
      "<script src=\"/static/suggest.js\" defer></script>\n</head>\n<body>\n";
}

void search_bar(std::string& out, const Messages& m, const State& state) {
  State home;
  home.hl = state.hl;
  State other = state;
  other.hl = std::string(m.lang) == "vi" ? "en" : "vi";
  out += "<a class=\"skip\" href=\"#results\">";
  out += escape_html(m.search_label);
  out += "</a>\n<header>\n<div class=\"bar\">\n<a class=\"brand\" href=\"" +
         escape_html(home.href()) + "\">vnsearch</a>\n";
  out +=
      "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">\n"
      "<label class=\"visually-hidden\" for=\"q\">";
  out += escape_html(m.search_label);
  out += "</label>\n<input id=\"q\" name=\"q\" type=\"search\" value=\"" + escape_html(state.q) +
         "\" placeholder=\"" + escape_html(m.placeholder) +
         "\" autocomplete=\"off\" maxlength=\"2000\"" + (state.q.empty() ? " autofocus" : "") +
         " role=\"combobox\" aria-autocomplete=\"list\" aria-expanded=\"false\""
         " aria-controls=\"q-suggestions\">\n";
  // Filled by /static/suggest.js as people type.
  out += "<ul id=\"q-suggestions\" class=\"suggestions\" role=\"listbox\" aria-label=\"";
  out += std::string(m.lang) == "vi" ? "Gợi ý" : "Suggestions";
  out += "\" hidden></ul>\n";
  // Filters and sort survive a new query typed in the box.
  for (const auto& value : state.sources)
    out += "<input type=\"hidden\" name=\"source\" value=\"" + escape_html(value) + "\">\n";
  for (const auto& value : state.categories)
    out += "<input type=\"hidden\" name=\"category\" value=\"" + escape_html(value) + "\">\n";
  for (const auto& value : state.years)
    out += "<input type=\"hidden\" name=\"year\" value=\"" + escape_html(value) + "\">\n";
  for (const char* name : {"person", "place", "org"}) {
    State copy = state;
    for (const auto& value : values_of(copy, name))
      out += std::string("<input type=\"hidden\" name=\"") + name + "\" value=\"" +
             escape_html(value) + "\">\n";
  }
  if (state.sort != "relevance")
    out += "<input type=\"hidden\" name=\"sort\" value=\"" + escape_html(state.sort) + "\">\n";
  if (state.sort == "fresh" && !state.half_life.empty())
    out += "<input type=\"hidden\" name=\"half_life\" value=\"" + escape_html(state.half_life) +
           "\">\n";
  if (!state.hl.empty())
    out += "<input type=\"hidden\" name=\"hl\" value=\"" + escape_html(state.hl) + "\">\n";
  out += "<button type=\"submit\">";
  out += escape_html(m.search_button);
  out += "</button>\n</form>\n<a class=\"lang\" href=\"" + escape_html(other.href()) +
         "\" hreflang=\"" + other.hl + "\">" + escape_html(m.language_switch) +
         "</a>\n</div>\n</header>\n";
}

void facets(std::string& out, const Messages& m, const State& state, const SearchResult& result) {
  const std::pair<const char*, const char*> groups[] = {{"source", m.facet_source},
                                                        {"category", m.facet_category},
                                                        {"year", m.facet_year},
                                                        {"person", entity_facet_title(m, "person")},
                                                        {"place", entity_facet_title(m, "place")},
                                                        {"org", entity_facet_title(m, "org")}};
  out += "<aside class=\"facets\" aria-label=\"" + escape_html(m.filters_label) + "\">\n";
  for (const auto& [name, title] : groups) {
    const auto found = result.facets.find(name);
    State base = state;
    const std::vector<std::string>& active = values_of(base, name);
    if ((found == result.facets.end() || found->second.empty()) && active.empty()) continue;
    out += "<h2>" + escape_html(title) + "</h2>\n<ul>\n";
    if (found != result.facets.end()) {
      for (const FacetCount& count : found->second) {
        if (count.value.empty()) continue;
        const bool on = std::find(active.begin(), active.end(), count.value) != active.end();
        State link = state;
        link.page = 1;
        auto& values = values_of(link, name);
        if (on) {
          values.erase(std::remove(values.begin(), values.end(), count.value), values.end());
        } else {
          values = {count.value};  // one value per facet: a click narrows to it
        }
        out += "<li><a href=\"" + escape_html(link.href()) + "\"" +
               (on ? " aria-current=\"true\"" : "") + ">" + escape_html(count.value) +
               "</a> <span class=\"count\">(" + format_count(count.count, m.thousands) +
               ")</span></li>\n";
      }
    }
    out += "</ul>\n";
  }
  out += "</aside>\n";
}

void active_filters(std::string& out, const Messages& m, const State& state) {
  std::string items;
  for (const char* name : {"source", "category", "year", "person", "place", "org"}) {
    State copy = state;
    for (const std::string& value : values_of(copy, name)) {
      State without = state;
      without.page = 1;
      auto& values = values_of(without, name);
      values.erase(std::remove(values.begin(), values.end(), value), values.end());
      items += "<li><a href=\"" + escape_html(without.href()) + "\" title=\"" +
               escape_html(m.remove_filter) + "\">" + escape_html(value) +
               " <span aria-hidden=\"true\">×</span><span class=\"visually-hidden\"> (" +
               escape_html(m.remove_filter) + ")</span></a></li>\n";
    }
  }
  if (!items.empty()) out += "<ul class=\"active-filters\">\n" + items + "</ul>\n";
}

void pagination(std::string& out, const Messages& m, const State& state, std::uint64_t total,
                std::size_t per_page) {
  const std::uint64_t reachable = std::min<std::uint64_t>(total, kMaxResultWindow);
  const std::size_t pages = static_cast<std::size_t>((reachable + per_page - 1) / per_page);
  if (pages <= 1 && state.page <= 1) return;
  out += "<nav class=\"pages\" aria-label=\"" + escape_html(m.pagination_label) + "\">\n<ul>\n";
  auto link = [&](std::size_t page, const std::string& text, const char* rel) {
    State target = state;
    target.page = page;
    out += "<li><a href=\"" + escape_html(target.href()) + "\"" +
           (rel ? std::string(" rel=\"") + rel + "\"" : "") + ">" + text + "</a></li>\n";
  };
  if (state.page > 1) link(state.page - 1, "‹ " + escape_html(m.previous_page), "prev");
  const std::size_t first = state.page > 3 ? state.page - 3 : 1;
  const std::size_t last = std::min(pages, first + 6);
  for (std::size_t page = first; page <= last; ++page) {
    if (page == state.page) {
      out += "<li><span aria-current=\"page\"><span class=\"visually-hidden\">" +
             escape_html(m.page_word) + " </span>" + std::to_string(page) + "</span></li>\n";
    } else {
      link(page,
           "<span class=\"visually-hidden\">" + escape_html(m.page_word) + " </span>" +
               std::to_string(page),
           nullptr);
    }
  }
  if (state.page < pages) link(state.page + 1, escape_html(m.next_page) + " ›", "next");
  out += "</ul>\n</nav>\n";
}

void hit_list(std::string& out, const Messages& m, const SearchResult& result,
              std::size_t first_rank) {
  const bool vietnamese = std::string(m.lang) == "vi";
  out += "<ol class=\"hits\" start=\"" + std::to_string(first_rank) + "\">\n";
  for (const Hit& hit : result.hits) {
    const std::string title = hit.title.empty() ? hit.id : hit.title;
    out += "<li>\n<h2>";
    if (is_web_url(hit.url)) {
      out += "<a href=\"" + escape_html(hit.url) + "\">" + escape_html(title) + "</a>";
    } else {
      out += escape_html(title);
    }
    out += "</h2>\n<p class=\"meta\">";
    std::string meta;
    if (!hit.date.empty()) {
      meta += "<time datetime=\"" + escape_html(hit.date) + "\">" +
              escape_html(format_date(hit.date, vietnamese)) + "</time>";
    }
    for (const std::string* part : {&hit.source, &hit.category}) {
      if (part->empty()) continue;
      meta += (meta.empty() ? "" : " · ") + escape_html(*part);
    }
    out += meta + "</p>\n";
    if (!hit.snippet.empty()) {
      out += "<p class=\"snippet\">" + render_snippet(hit.snippet, {"<mark>", "</mark>", true}) +
             "</p>\n";
    }
    // Collapsed near-duplicates (on by default on the page): say how many copies were folded.
    if (hit.collapse_count > 0) {
      out += "<p class=\"copies\">+" + std::to_string(hit.collapse_count) +
             (vietnamese ? " bản sao của tin này" : " copies of this story") + "</p>\n";
    }
    out += "</li>\n";
  }
  out += "</ol>\n";
}

std::string seconds_text(double seconds, bool vietnamese) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", seconds);
  std::string text = buffer;
  if (vietnamese) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

// "Đang hiển thị kết quả cho «X», tìm chính xác «Y»" when a correction was searched (the link
// is the way back), "Có phải bạn muốn tìm «X»?" when one is only offered.
void correction_line(std::string& out, const Messages& m, const State& state,
                     const SearchResult& result) {
  if (!result.correction) return;
  const QueryCorrection& correction = *result.correction;
  State corrected = state;
  corrected.q = correction.text;
  corrected.page = 1;
  corrected.exact = false;
  out += "<p class=\"correction\">";
  if (correction.applied) {
    State typed = state;
    typed.q = correction.original;
    typed.page = 1;
    typed.exact = true;
    out += escape_html(m.showing_results_for) + " <a href=\"" + escape_html(corrected.href()) +
           "\"><strong>«" + escape_html(correction.text) + "»</strong></a>, " +
           escape_html(m.search_exactly) + " <a class=\"exact\" href=\"" +
           escape_html(typed.href()) + "\">«" + escape_html(correction.original) + "»</a>";
  } else {
    out += escape_html(m.did_you_mean) + " <a class=\"suggestion\" href=\"" +
           escape_html(corrected.href()) + "\"><strong>«" + escape_html(correction.text) +
           "»</strong></a>?";
  }
  out += "</p>\n";
}

// What the query language ignored or cut (a dangling OR, a capped wildcard): people should see
// that the hits are not for exactly what they typed. The notes' text is in English (the API's).
void query_notes_line(std::string& out, const Messages& m, const SearchResult& result) {
  std::string notes;
  for (const SearchNote& note : result.notes) {
    if (note.code != NoteCode::kQueryRepaired && note.code != NoteCode::kWildcard) continue;
    notes += (notes.empty() ? "" : "; ") + note.text;
  }
  if (notes.empty()) return;
  out += "<p class=\"notes\">" + escape_html(m.query_notes) + " " + escape_html(notes) + "</p>\n";
}

}  // namespace

std::string render_page(const PageInput& input) {
  const Messages& m = *input.messages;
  const bool vietnamese = std::string(m.lang) == "vi";
  State state;
  state.hl = input.hl;
  if (input.request != nullptr) {
    state.q = input.request->query;
    state.sort = input.request->sort;
    if (input.request->options.half_life_days != Freshness::kDefaultHalfLifeDays) {
      char days[32];
      std::snprintf(days, sizeof days, "%g", input.request->options.half_life_days);
      state.half_life = days;
    }
    state.page = input.request->page;
    state.exact = !input.request->options.correct;
    state.sources = input.request->options.filters.sources;
    state.categories = input.request->options.filters.categories;
    state.years = input.request->options.filters.years;
    state.persons = input.request->options.filters.persons;
    state.places = input.request->options.filters.places;
    state.orgs = input.request->options.filters.organisations;
  }
  std::string out;
  const bool searched = input.result != nullptr;
  head(out, m, state.q.empty() ? m.site_title : state.q + " – " + m.site_title);
  search_bar(out, m, state);

  if (input.not_found) {
    out += "<main class=\"single\" id=\"results\">\n<p class=\"error\">" +
           escape_html(m.page_not_found) + "</p>\n</main>\n</body>\n</html>\n";
    return out;
  }
  if (!input.error.empty()) {
    out += "<main class=\"single\" id=\"results\">\n<p class=\"error\" role=\"alert\">";
    out += escape_html(input.unavailable ? std::string(m.unavailable)
                                         : std::string(m.bad_request) + " " + input.error);
    out += "</p>\n</main>\n</body>\n</html>\n";
    return out;
  }
  if (!searched) {
    out += "<main class=\"single\" id=\"results\">\n<p class=\"intro\">" + escape_html(m.intro) +
           "</p>\n</main>\n</body>\n</html>\n";
    return out;
  }
  const SearchResult& result = *input.result;
  // A query with operators is shown as typed: its readings are words without the operators.
  const std::string shown =
      result.readings.empty() || result.query_language ? state.q : result.readings[0];
  out += "<main id=\"results\">\n<div class=\"results\">\n";
  if (!shown.empty()) {
    out += "<h1 class=\"summary\">" + escape_html(m.results_for) + " <strong>«" +
           escape_html(shown) + "»</strong></h1>\n";
  }
  correction_line(out, m, state, result);
  query_notes_line(out, m, result);
  if (result.readings.size() > 1 && !result.query_language) {
    out += "<p class=\"readings\">" + escape_html(m.other_readings);
    for (std::size_t i = 1; i < result.readings.size(); ++i) {
      State reading = state;
      reading.q = result.readings[i];
      reading.page = 1;
      out += " <a href=\"" + escape_html(reading.href()) + "\">«" +
             escape_html(result.readings[i]) + "»</a>";
    }
    out += "</p>\n";
  }
  active_filters(out, m, state);
  out += "<p class=\"summary\">" +
         std::string(result.exact_count ? "" : escape_html(m.about) + " ") +
         format_count(result.estimated_matches, m.thousands) + " " + escape_html(m.results_word) +
         " (" + seconds_text(input.took_seconds, vietnamese) + " " + escape_html(m.seconds) +
         ")</p>\n";

  if (result.hits.empty()) {
    out += "<div class=\"empty\">\n<p>" + escape_html(m.nothing_found) + " <strong>«" +
           escape_html(state.q) + "»</strong>.</p>\n<ul>\n<li>" + escape_html(m.hint_spelling) +
           "</li>\n<li>" + escape_html(m.hint_fewer_words) + "</li>\n";
    if (!state.sources.empty() || !state.categories.empty() || !state.years.empty() ||
        !state.persons.empty() || !state.places.empty() || !state.orgs.empty()) {
      State unfiltered;
      unfiltered.q = state.q;
      unfiltered.hl = state.hl;
      out += "<li><a href=\"" + escape_html(unfiltered.href()) + "\">" +
             escape_html(m.hint_remove_filters) + "</a></li>\n";
    }
    out += "</ul>\n</div>\n";
  } else {
    out += "<nav class=\"sort\" aria-label=\"" + escape_html(m.sort_label) + "\">" +
           escape_html(m.sort_label);
    const TimeWords& time = time_words(m);
    // `date` stays the newest-first link's value: links and bookmarks made before `newest`.
    const std::string current = state.sort == "newest" ? "date" : state.sort;
    for (const auto& [value, label] :
         {std::pair{"relevance", m.sort_relevance}, std::pair{"date", m.sort_date},
          std::pair{"oldest", time.sort_oldest}, std::pair{"fresh", time.sort_fresh}}) {
      State sorted = state;
      sorted.sort = value;
      sorted.page = 1;
      if (current == value) {
        out += " <span aria-current=\"true\">" + escape_html(label) + "</span>";
      } else {
        out += " <a href=\"" + escape_html(sorted.href()) + "\">" + escape_html(label) + "</a>";
      }
    }
    out += "</nav>\n";
    if (result.timeline) out += timeline_chart(*result.timeline, m);
    hit_list(out, m, result, (state.page - 1) * input.request->per_page + 1);
    pagination(out, m, state, result.estimated_matches, input.request->per_page);
  }
  out += "</div>\n";
  facets(out, m, state, result);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace vnsearch::server
