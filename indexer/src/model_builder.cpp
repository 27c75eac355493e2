#include "model_builder.h"

#include <algorithm>
#include <thread>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "vnsearch/schema.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::indexing {

namespace fs = std::filesystem;

namespace {

// Bigrams seen once are mostly names and typos; dropping them halves the model.
constexpr std::uint32_t kMinBigramCount = 2;

void count_documents(const std::string& directory, unsigned part, unsigned parts,
                     SyllableModel& model) {
  Xapian::Database db(directory);
  Analyzer analyzer;
  std::vector<Token> tokens;
  std::size_t index = 0;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting, ++index) {
    if (index % parts != part) continue;
    const std::string data = db.get_document(*posting).get_data();
    const schema::StoredRecordParts record = schema::split_stored_record(data);
    const nlohmann::json header = nlohmann::json::parse(record.header_json, nullptr, false);
    for (const char* field : {"title", "description"}) {
      const auto value = header.is_object() ? header.find(field) : header.end();
      if (value == header.end() || !value->is_string()) continue;
      tokens.clear();
      analyzer.analyze(value->get_ref<const std::string&>(), tokens);
      model.add_tokens(tokens);
    }
    tokens.clear();
    analyzer.analyze(record.body, tokens);
    model.add_tokens(tokens);
  }
}

}  // namespace

bool syllable_model_stale(const fs::path& directory) {
  const fs::path path = directory / SyllableModel::kFileName;
  if (!fs::exists(path)) return true;
  try {
    SyllableModel model;
    return model.load(path) != Xapian::Database(directory.string()).get_revision();
  } catch (const std::exception&) {
    return true;
  }
}

void rebuild_syllable_model(const fs::path& directory) {
  const unsigned parts = std::max(1u, std::thread::hardware_concurrency());
  std::vector<SyllableModel> models(parts);
  std::vector<std::thread> threads;
  for (unsigned part = 0; part < parts; ++part) {
    threads.emplace_back(
        [&, part] { count_documents(directory.string(), part, parts, models[part]); });
  }
  for (std::thread& thread : threads) thread.join();
  for (unsigned part = 1; part < parts; ++part) models[0].merge(models[part]);
  models[0].prune_bigrams(kMinBigramCount);
  models[0].save(directory / SyllableModel::kFileName,
                 Xapian::Database(directory.string()).get_revision());
}

}  // namespace vnsearch::indexing
