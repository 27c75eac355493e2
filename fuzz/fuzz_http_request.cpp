// Fuzz target: the HTTP layer's own parsing of what clients send, below cpp-httplib — a request
// target's query string read into search options (the API and the page), and the admin write path
// (the Authorization header, a JSONL body indexed exactly as POST /api/documents does, an id to
// DELETE) on a small database made at start-up. The first byte picks the path.
//
// Beyond "no crash, no leak, no UB": every accepted request is inside the documented caps, every
// refusal is a 4xx with a code and a message, a wrong token never writes, and what an
// authorised write reports matches what the index then holds.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "admin.h"
#include "live_index.h"
#include "search_request.h"
#include "vnsearch/server.h"

namespace {

namespace fs = std::filesystem;
using vnsearch::server::ApiError;
using vnsearch::server::SearchRequest;

constexpr std::string_view kToken = "fuzz-token-0123456789";

struct AdminState {
  fs::path directory;
  std::unique_ptr<vnsearch::server::LiveIndex> index;
  std::unique_ptr<vnsearch::server::Admin> admin;
};
AdminState* state = nullptr;

void check_request(std::string_view target, bool require_query) {
  const vnsearch::server::Params params = vnsearch::server::parse_query_string(target);
  const auto parsed = vnsearch::server::parse_search_request(params, require_query);
  if (const auto* error = std::get_if<ApiError>(&parsed)) {
    if ((error->status != 400 && error->status != 413) || error->code.empty() ||
        error->message.empty()) {
      std::abort();
    }
    return;
  }
  const SearchRequest& request = std::get<SearchRequest>(parsed);
  if (request.query.size() > vnsearch::kMaxQueryBytes) std::abort();
  if (request.per_page < 1 || request.per_page > vnsearch::kMaxPerPage) std::abort();
  if (request.page < 1 || request.page * request.per_page > vnsearch::kMaxResultWindow) {
    std::abort();
  }
  if (request.options.limit != request.per_page ||
      request.options.offset + request.options.limit > vnsearch::kMaxResultWindow) {
    std::abort();
  }
  if (request.sort != "relevance" && request.sort != "date") std::abort();
  for (const std::string& year : request.options.filters.years) {
    if (year.size() != 4) std::abort();
  }
  for (const std::string* date :
       {&request.options.filters.date_from, &request.options.filters.date_to}) {
    if (!date->empty() && !vnsearch::valid_filter_date(*date)) std::abort();
  }
}

std::uint64_t documents_now() {
  state->index->poll();
  const auto snapshot = state->index->snapshot();
  return snapshot == nullptr ? 0 : snapshot->documents;
}

void check_add(std::string_view authorization, const std::string& body) {
  const std::uint64_t before = documents_now();
  const vnsearch::server::AdminAnswer answer = state->admin->add("fuzz", authorization, body);
  const bool right_token = authorization == "Bearer " + std::string(kToken);
  if (!right_token) {
    if (answer.status != 401 || documents_now() != before) std::abort();
    return;
  }
  if (answer.status != 200 && answer.status != 400) std::abort();
  for (const auto& issue : answer.body.at("issues")) {
    if (issue.at("message").get<std::string>().empty()) std::abort();
  }
  if (answer.body.at("documents_in_index").get<std::uint64_t>() != documents_now()) std::abort();
}

void check_remove(std::string_view authorization, const std::string& id) {
  const std::uint64_t before = documents_now();
  const vnsearch::server::AdminAnswer answer = state->admin->remove("fuzz", authorization, id);
  const bool right_token = authorization == "Bearer " + std::string(kToken);
  if (!right_token) {
    if (answer.status != 401 || documents_now() != before) std::abort();
    return;
  }
  const std::uint64_t after = documents_now();
  if (answer.status == 200 ? after + 1 != before : (answer.status != 404 || after != before)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  state = new AdminState;
  state->directory =
      fs::temp_directory_path() / ("vnsearch-fuzz-http-" + std::to_string(::getpid()));
  fs::create_directories(state->directory);
  const fs::path database = state->directory / "db";
  state->index = std::make_unique<vnsearch::server::LiveIndex>(database);
  // Failed tokens are not limited here: the fuzzer sends thousands, and the right token must
  // keep working (the limiter has its own tests).
  vnsearch::server::AuthLimitOptions limits;
  limits.failures_allowed = static_cast<std::size_t>(-1);
  state->admin = std::make_unique<vnsearch::server::Admin>(database, std::string(kToken),
                                                           *state->index, limits);
  // A database that exists, so that deletes of unknown ids are 404s (a missing one is a 503).
  const auto seeded =
      state->admin->add("fuzz", "Bearer " + std::string(kToken),
                        "{\"id\":\"seed-1\",\"title\":\"Cụm thi đua\",\"body\":\"Nội dung\"}\n");
  if (seeded.status != 200) std::abort();
  std::atexit([] {
    const fs::path directory = state->directory;
    delete state;
    state = nullptr;
    std::error_code ignored;
    fs::remove_all(directory, ignored);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (mode % 4) {
    case 0:
    case 1:
      // As the request line carries it: a path, then the query string (a `?` may be in the input).
      check_request("/api/search?" + std::string(rest), mode % 4 == 0);
      check_request(rest, mode % 4 == 1);
      return 0;
    case 2:
    case 3: {
      // Bit 2: the right token and the whole rest as payload; otherwise the first line is the
      // Authorization header as sent (the fuzzer may find the token, or a near miss).
      std::string authorization;
      std::string payload;
      if ((mode & 4) != 0) {
        authorization = "Bearer " + std::string(kToken);
        payload = std::string(rest);
      } else {
        const std::size_t newline = rest.find('\n');
        authorization = std::string(rest.substr(0, newline));
        payload = newline == std::string_view::npos ? std::string()
                                                    : std::string(rest.substr(newline + 1));
      }
      if (mode % 4 == 2) {
        check_add(authorization, payload);
      } else if (!payload.empty()) {
        check_remove(authorization, payload);
      }
      return 0;
    }
  }
  return 0;
}
