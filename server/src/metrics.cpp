#include "metrics.h"

#include <cstdio>

namespace vnsearch::server {

namespace {

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// Label values are route patterns of our own, but escape anyway: the format requires it.
std::string label(std::string_view value) {
  std::string out;
  for (char ch : value) {
    if (ch == '\\' || ch == '"') out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out;
}

}  // namespace

void Metrics::Histogram::add(double seconds) {
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  if (bucket < kBuckets.size()) ++buckets[bucket];
  ++count;
  sum += seconds;
}

// `labels` is empty or `key="value",` (with the trailing comma), placed before `le`.
void Metrics::Histogram::render(std::string& out, const std::string& name,
                                const std::string& labels) const {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets[i];
    out += name + "_bucket{" + labels + "le=\"" + number(kBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += name + "_bucket{" + labels + "le=\"+Inf\"} " + std::to_string(count) + "\n";
  std::string plain = labels;
  if (!plain.empty()) plain = "{" + plain.substr(0, plain.size() - 1) + "}";
  out += name + "_sum" + plain + " " + number(sum) + "\n";
  out += name + "_count" + plain + " " + std::to_string(count) + "\n";
}

void Metrics::observe(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  latency_[std::string(route)].add(seconds);
}

void Metrics::observe_queue_wait(double seconds) {
  std::lock_guard lock(mutex_);
  queue_wait_.add(seconds);
}

std::string Metrics::render(const IndexGauges& index, const SearchQueueGauges& queue) const {
  std::string out;
  out +=
      "# HELP vnsearch_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE vnsearch_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    out += "vnsearch_http_requests_total{route=\"" + label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP vnsearch_http_request_duration_seconds Time from reading a request to its answer.\n"
      "# TYPE vnsearch_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    histogram.render(out, "vnsearch_http_request_duration_seconds",
                     "route=\"" + label(route) + "\",");
  }
  out +=
      "# HELP vnsearch_search_queue_wait_seconds Time a request waited for a search slot "
      "(first come, first served).\n"
      "# TYPE vnsearch_search_queue_wait_seconds histogram\n";
  queue_wait_.render(out, "vnsearch_search_queue_wait_seconds", "");
  out +=
      "# HELP vnsearch_search_slots_busy Searches running now.\n"
      "# TYPE vnsearch_search_slots_busy gauge\n"
      "vnsearch_search_slots_busy " +
      std::to_string(queue.busy) +
      "\n"
      "# HELP vnsearch_search_queue_waiting Requests waiting for a search slot now.\n"
      "# TYPE vnsearch_search_queue_waiting gauge\n"
      "vnsearch_search_queue_waiting " +
      std::to_string(queue.waiting) + "\n";
  out +=
      "# HELP vnsearch_index_up Whether the index is open (1) or unavailable (0).\n"
      "# TYPE vnsearch_index_up gauge\n"
      "vnsearch_index_up " +
      std::string(index.open ? "1" : "0") +
      "\n"
      "# HELP vnsearch_index_documents Documents in the index being served.\n"
      "# TYPE vnsearch_index_documents gauge\n"
      "vnsearch_index_documents " +
      std::to_string(index.documents) +
      "\n"
      "# HELP vnsearch_index_revision Xapian revision of the index being served.\n"
      "# TYPE vnsearch_index_revision gauge\n"
      "vnsearch_index_revision " +
      std::to_string(index.revision) +
      "\n"
      "# HELP vnsearch_index_last_commit_timestamp_seconds Unix time of the last commit served.\n"
      "# TYPE vnsearch_index_last_commit_timestamp_seconds gauge\n"
      "vnsearch_index_last_commit_timestamp_seconds " +
      number(index.last_commit_seconds) +
      "\n"
      "# HELP vnsearch_index_reopens_total New index snapshots taken since the server started.\n"
      "# TYPE vnsearch_index_reopens_total counter\n"
      "vnsearch_index_reopens_total " +
      std::to_string(index.reopens) + "\n";
  return out;
}

}  // namespace vnsearch::server
