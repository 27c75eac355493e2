// Keeps the syllable model (schema/include/vnsearch/syllable_model.h) in step with the index:
// by difference after small changes (a few documents added, replaced or deleted), by a full
// recount after large ones or when the model on disk is missing, damaged or out of date.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace vnsearch::indexing {

/// What one run changed, as stored records: enough to update the model by difference.
class ModelDelta {
 public:
  /// Past this many bytes of changed records a recount is cheaper than keeping them.
  static constexpr std::size_t kMaxBytes = 64u << 20;

  void added(const std::string& record) { keep(added_, record); }
  void removed(const std::string& record) { keep(removed_, record); }
  /// Changes were not kept (a new or fresh database): the model is recounted.
  void give_up() {
    keep(removed_, std::string());
    overflowed_ = true;
  }
  /// True when too much changed to keep: the model is recounted instead.
  [[nodiscard]] bool overflowed() const { return overflowed_; }
  [[nodiscard]] bool empty() const { return added_.empty() && removed_.empty() && !overflowed_; }
  [[nodiscard]] const std::vector<std::string>& added_records() const { return added_; }
  [[nodiscard]] const std::vector<std::string>& removed_records() const { return removed_; }

 private:
  void keep(std::vector<std::string>& list, const std::string& record);
  std::vector<std::string> added_, removed_;
  std::size_t bytes_ = 0;
  bool overflowed_ = false;
};

/// Called during a full recount: documents counted so far and in all.
using ModelProgressSink = std::function<void(std::uint64_t counted, std::uint64_t total)>;

/// True when the model beside the database in `directory` is missing, unreadable or describes
/// another revision of it.
[[nodiscard]] bool syllable_model_stale(const std::filesystem::path& directory);

/// Brings the model in `directory` to the database's current revision. When the model on disk
/// describes `base_revision` (the revision before this run's changes) and `delta` holds every
/// change, it is updated by difference; otherwise every document is recounted (all cores),
/// reporting to `progress`. Returns true when it recounted. Throws std::runtime_error when the
/// model cannot be written.
bool update_syllable_model(const std::filesystem::path& directory, std::uint64_t base_revision,
                           const ModelDelta& delta, const ModelProgressSink& progress);

/// Recounts the model from the stored records of every document and saves it.
void rebuild_syllable_model(const std::filesystem::path& directory,
                            const ModelProgressSink& progress = {});

}  // namespace vnsearch::indexing
