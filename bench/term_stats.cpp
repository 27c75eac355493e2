// Terms per document by prefix (docs/schema.md's table): how many distinct terms and how many
// postings (document, term pairs) each kind of term costs, and how many folded `XF` twins repeat
// their exact term's key (useless: the exact term already matches the folded value).
//
// Usage: term_stats DB
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include <xapian.h>

namespace {

// The kind of a term: its prefix as docs/schema.md names it ("exact" for unprefixed terms).
std::string kind_of(std::string_view term) {
  if (term.empty() || term[0] < 'A' || term[0] > 'Z') return "exact";
  if (term.substr(0, 2) == "XF") {
    const std::string_view rest = term.substr(2);
    if (rest.size() >= 2 && rest[0] == 'X') return "XF" + std::string(rest.substr(0, 2));
    return "XF" + std::string(rest.substr(0, 1));
  }
  if (term[0] == 'X' && term.size() >= 2) return std::string(term.substr(0, 2));
  return std::string(term.substr(0, 1));
}

struct Counts {
  std::uint64_t distinct = 0;
  std::uint64_t postings = 0;
  std::uint64_t bytes = 0;  // term bytes over the distinct terms
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Distinct terms and postings per term kind of a vnsearch database");
  std::string path;
  app.add_option("db", path, "The database (a vnsearch --db or a compacted copy)")->required();
  CLI11_PARSE(app, argc, argv);
  try {
    const Xapian::Database db(path);
    std::map<std::string, Counts> kinds;
    std::uint64_t redundant_twins = 0;  // XF twins whose exact term has the same key
    std::uint64_t redundant_twin_postings = 0;
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      const std::string term = *it;
      Counts& counts = kinds[kind_of(term)];
      ++counts.distinct;
      counts.postings += it.get_termfreq();
      counts.bytes += term.size();
      if (term.rfind("XF", 0) == 0 && db.term_exists(term.substr(2))) {
        // Postings of both: documents whose value has no mark to fold.
        const std::string exact = term.substr(2);
        Xapian::Enquire enquire(db);
        enquire.set_query(
            Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(term), Xapian::Query(exact)));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        const Xapian::MSet both = enquire.get_mset(0, 0, db.get_doccount());
        ++redundant_twins;
        redundant_twin_postings += both.get_matches_estimated();
      }
    }
    const double documents = static_cast<double>(db.get_doccount());
    std::printf("%s: %u documents\n\n", path.c_str(), db.get_doccount());
    std::printf("| kind | distinct terms | postings | per document | bytes per term |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
    Counts total;
    for (const auto& [kind, counts] : kinds) {
      std::printf("| %s | %llu | %llu | %.1f | %.1f |\n", kind.c_str(),
                  static_cast<unsigned long long>(counts.distinct),
                  static_cast<unsigned long long>(counts.postings), counts.postings / documents,
                  static_cast<double>(counts.bytes) / static_cast<double>(counts.distinct));
      total.distinct += counts.distinct;
      total.postings += counts.postings;
    }
    std::printf("| **total** | %llu | %llu | %.1f | |\n",
                static_cast<unsigned long long>(total.distinct),
                static_cast<unsigned long long>(total.postings), total.postings / documents);
    std::printf(
        "\nXF twins whose key equals the exact term's: %llu distinct, %llu postings on documents "
        "holding both (%.1f per document)\n",
        static_cast<unsigned long long>(redundant_twins),
        static_cast<unsigned long long>(redundant_twin_postings),
        static_cast<double>(redundant_twin_postings) / documents);
  } catch (const Xapian::Error& error) {
    std::fprintf(stderr, "term_stats: cannot read %s: %s\n", path.c_str(),
                 error.get_description().c_str());
    return 1;
  }
  return 0;
}
