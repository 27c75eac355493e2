// Writes over HTTP, enabled only with --admin-token-file: POST /api/documents (JSONL, read and
// validated exactly as `vnsearch index` reads it) and DELETE /api/documents/{id}. They take the
// same writer lock as the CLI; while a CLI run holds it they answer 409 with Retry-After and
// never wait, so searching is never blocked behind a write.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "live_index.h"

namespace vnsearch::server {

struct AdminAnswer {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class Admin {
 public:
  Admin(std::filesystem::path database, std::string token, LiveIndex& index);

  /// Indexes the JSONL `body`; per-line problems come back as {"line","id","field","message"}.
  AdminAnswer add(std::string_view authorization, const std::string& body);

  /// Deletes one document by id (404 when there is none).
  AdminAnswer remove(std::string_view authorization, const std::string& id);

 private:
  /// True when `authorization` carries the bearer token.
  [[nodiscard]] bool authorised(std::string_view authorization) const;

  std::filesystem::path database_;
  std::string token_;
  LiveIndex& index_;
};

/// Compares in time that depends only on the lengths, not on where the texts differ.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace vnsearch::server
