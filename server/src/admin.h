// Writes over HTTP, enabled only with --admin-token-file: POST /api/documents (JSONL, read and
// validated exactly as `vnsearch index` reads it) and DELETE /api/documents/{id}. They take the
// same writer lock as the CLI; while a CLI run holds it they answer 409 with Retry-After and
// never wait, so searching is never blocked behind a write.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth_limiter.h"
#include "live_index.h"

namespace vnsearch::server {

struct AdminAnswer {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class Admin {
 public:
  Admin(std::filesystem::path database, std::string token, LiveIndex& index,
        AuthLimitOptions limits = {});

  /// Indexes the JSONL `body`; per-line problems come back as {"line","id","field","message"}.
  /// `client` is the caller's address: failed tokens are counted per address (429 beyond them).
  AdminAnswer add(const std::string& client, std::string_view authorization,
                  const std::string& body);

  /// Deletes one document by id (404 when there is none).
  AdminAnswer remove(const std::string& client, std::string_view authorization,
                     const std::string& id);

 private:
  /// True when `authorization` carries the bearer token.
  [[nodiscard]] bool authorised(std::string_view authorization) const;

  /// The refusal (401, or 429 after too many failures from `client`), or nothing when allowed.
  [[nodiscard]] std::optional<AdminAnswer> refuse(const std::string& client,
                                                  std::string_view authorization);

  std::filesystem::path database_;
  std::string token_;
  LiveIndex& index_;
  AuthLimiter limiter_;
};

/// Compares in time that depends only on the lengths, not on where the texts differ.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace vnsearch::server
