// The most frequent entities of an index (docs/entities.md): each entity term's document count,
// the top N over the three types, with the form an article wrote it in. For judging precision
// by hand (bench/README.md#entities):
//   entities_top --db DIR [--top 100]
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <xapian.h>
#include <CLI/CLI.hpp>

#include "vnsearch/entity_terms.h"
#include "vnsearch/schema.h"

namespace schema = vnsearch::schema;

namespace {

struct Row {
  schema::EntityType type;
  std::string key;
  Xapian::doccount documents = 0;
};

// The form the first article naming the entity wrote it in (slot kSlotEntities).
std::string display_of(const Xapian::Database& db, const Row& row) {
  const std::string term = schema::entity_term(row.type, row.key);
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    for (const auto& entity :
         schema::decode_slot_entities(db.get_document(*it).get_value(schema::kSlotEntities))) {
      if (entity.type == row.type && entity.key == row.key) return entity.display;
    }
  }
  return row.key;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The most frequent entities of a vnsearch index"};
  std::string database;
  std::size_t top = 100;
  app.add_option("--db", database, "Xapian database directory (the index's generation)")
      ->required();
  app.add_option("--top", top, "How many to list");
  CLI11_PARSE(app, argc, argv);
  try {
    const Xapian::Database db(database);
    std::vector<Row> rows;
    for (const auto type : {schema::EntityType::kPerson, schema::EntityType::kPlace,
                            schema::EntityType::kOrganisation}) {
      const std::string prefix(schema::entity_prefix(type));
      for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        rows.push_back({type, (*it).substr(prefix.size()), it.get_termfreq()});
      }
    }
    const std::size_t kept = std::min(top, rows.size());
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(kept), rows.end(),
                      [](const Row& a, const Row& b) {
                        if (a.documents != b.documents) return a.documents > b.documents;
                        return a.key < b.key;
                      });
    std::cout << "# " << db.get_doccount() << " documents, " << rows.size()
              << " distinct entities\nrank\ttype\tdocuments\tentity\n";
    for (std::size_t i = 0; i < kept; ++i) {
      std::cout << i + 1 << '\t' << schema::entity_type_name(rows[i].type) << '\t'
                << rows[i].documents << '\t' << display_of(db, rows[i]) << '\n';
    }
  } catch (const Xapian::Error& error) {
    std::cerr << "entities_top: cannot read " << database << ": " << error.get_description()
              << '\n';
    return 1;
  }
  return 0;
}
