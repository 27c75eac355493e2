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

void Metrics::observe(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  Histogram& histogram = latency_[std::string(route)];
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  if (bucket < kBuckets.size()) ++histogram.buckets[bucket];
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::render(const IndexGauges& index) const {
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
    const std::string name = "vnsearch_http_request_duration_seconds";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out += name + "_bucket{route=\"" + label(route) + "\",le=\"" + number(kBuckets[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{route=\"" + label(route) + "\",le=\"+Inf\"} " +
           std::to_string(histogram.count) + "\n";
    out += name + "_sum{route=\"" + label(route) + "\"} " + number(histogram.sum) + "\n";
    out +=
        name + "_count{route=\"" + label(route) + "\"} " + std::to_string(histogram.count) + "\n";
  }
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
