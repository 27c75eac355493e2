#include "model_builder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "vnsearch/large_metadata.h"
#include "vnsearch/schema.h"
#include "vnsearch/syllable_model.h"

namespace vnsearch::indexing {

namespace fs = std::filesystem;

namespace {

// Analyses the text of one stored record (title, description, body) into `tokens`' buffer and
// hands each field's tokens to `use`: what the model counts of a document.
template <typename Use>
void for_each_field(const std::string& data, Analyzer& analyzer, std::vector<Token>& tokens,
                    Use use) {
  const schema::StoredRecordParts record = schema::split_stored_record(data);
  const nlohmann::json header = nlohmann::json::parse(record.header_json, nullptr, false);
  for (const char* field : {"title", "description"}) {
    const auto value = header.is_object() ? header.find(field) : header.end();
    if (value == header.end() || !value->is_string()) continue;
    tokens.clear();
    analyzer.analyze(value->get_ref<const std::string&>(), tokens);
    use(tokens);
  }
  tokens.clear();
  analyzer.analyze(record.body, tokens);
  use(tokens);
}

void count_documents(const std::string& directory, unsigned part, unsigned parts,
                     SyllableModel& model, std::atomic<std::uint64_t>& counted) {
  Xapian::Database db(directory);
  Analyzer analyzer;
  std::vector<Token> tokens;
  std::size_t index = 0;
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end(""); ++posting, ++index) {
    if (index % parts != part) continue;
    for_each_field(db.get_document(*posting).get_data(), analyzer, tokens,
                   [&](const std::vector<Token>& field) { model.add_tokens(field); });
    ++counted;
  }
}

std::uint64_t revision_of(const fs::path& directory) {
  return Xapian::Database(directory.string()).get_revision();
}

// Stores the model inside the database (metadata, in a commit of its own) and then beside it,
// all tagged with the revision that commit makes: the full triple counts (the indexer's own
// file), then the model searchers load. The copy inside travels with xapian-replicate and is
// readable over the remote protocol (docs/scaling.md); the model file is what a local reader
// loads. Killed between the writes, a file's tag is behind the database's revision, and the
// next writer recounts, as after any crash between a commit and the model.
void publish_model(const fs::path& directory, SyllableModel& model) {
  model.settle();
  std::uint64_t expected = 0, revision = 0;
  std::string bytes;  // coded and compressed once: the same bytes inside and beside
  {
    Xapian::WritableDatabase db(directory.string(), Xapian::DB_OPEN);
    expected = db.get_revision() + 1;
    bytes = model.to_bytes(expected);
    // In parts when it is large: one Xapian tag cannot hold much over 100 MB.
    schema::set_large_metadata(db, std::string(SyllableModel::kMetadataKey), bytes);
    db.commit();
    revision = db.get_revision();
  }
  model.save_full_counts(directory / SyllableModel::kCountsFileName, revision);
  if (revision != expected) bytes = model.to_bytes(revision);
  SyllableModel::save_bytes(directory / SyllableModel::kFileName, bytes);
}

}  // namespace

void ModelDelta::keep(std::vector<std::string>& list, const std::string& record) {
  if (overflowed_) return;
  bytes_ += record.size();
  if (bytes_ > kMaxBytes) {
    overflowed_ = true;
    added_.clear();
    removed_.clear();
    return;
  }
  list.push_back(record);
}

bool syllable_model_stale(const fs::path& directory) {
  try {
    const std::uint64_t revision = revision_of(directory);
    return SyllableModel::file_tag(directory / SyllableModel::kFileName) != revision ||
           SyllableModel::file_tag(directory / SyllableModel::kCountsFileName) != revision;
  } catch (const std::exception&) {
    return true;  // missing, damaged or older
  }
}

void rebuild_syllable_model(const fs::path& directory, const ModelProgressSink& progress) {
  const unsigned parts = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t total = Xapian::Database(directory.string()).get_doccount();
  std::vector<SyllableModel> models(parts);
  std::atomic<std::uint64_t> counted = 0;
  std::atomic<bool> done = false;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  for (unsigned part = 0; part < parts; ++part) {
    threads.emplace_back([&, part] {
      try {
        count_documents(directory.string(), part, parts, models[part], counted);
      } catch (...) {
        static std::mutex failure_mutex;
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    });
  }
  if (progress) {
    // Reported from this thread so the sink needs no locking; a recount of a large archive
    // takes tens of seconds and must not look like a hang.
    // Quiet for the first second: a small index is counted before anyone would wonder.
    bool reported = false;
    std::thread reporter([&] {
      for (int tick = 1; !done; ++tick) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (tick % 20 == 0 && !done) {
          progress(counted, total);
          reported = true;
        }
      }
    });
    for (std::thread& thread : threads) thread.join();
    done = true;
    reporter.join();
    if (reported) progress(counted, total);
  } else {
    for (std::thread& thread : threads) thread.join();
  }
  if (failure) std::rethrow_exception(failure);
  for (unsigned part = 1; part < parts; ++part) models[0].merge(models[part]);
  publish_model(directory, models[0]);
}

bool update_syllable_model(const fs::path& directory, std::uint64_t base_revision,
                           const ModelDelta& delta, const ModelProgressSink& progress) {
  const fs::path path = directory / SyllableModel::kFileName;
  if (!delta.overflowed()) {
    SyllableModel model;
    bool current = false;
    try {
      current = model.load(path, /*min_bigram_count=*/0) == base_revision &&
                model.load_full_counts(directory / SyllableModel::kCountsFileName) == base_revision;
    } catch (const std::exception&) {
      current = false;  // missing, damaged or older: recounted below
    }
    if (current) {
      Analyzer analyzer;
      std::vector<Token> tokens;
      for (const std::string& record : delta.removed_records()) {
        for_each_field(record, analyzer, tokens,
                       [&](const std::vector<Token>& field) { model.remove_tokens(field); });
      }
      for (const std::string& record : delta.added_records()) {
        for_each_field(record, analyzer, tokens,
                       [&](const std::vector<Token>& field) { model.add_tokens(field); });
      }
      publish_model(directory, model);
      return false;
    }
  }
  rebuild_syllable_model(directory, progress);
  return true;
}

}  // namespace vnsearch::indexing
