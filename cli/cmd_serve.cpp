// `vnsearch serve`: the HTTP server (docs/server.md). SIGTERM and SIGINT stop it cleanly:
// in-flight requests finish, then it exits 0.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "commands.h"
#include "shard_flags.h"
#include "vnsearch/server.h"

namespace vnsearch::cli {
namespace {

struct ServeCommand {
  ServerOptions options;
  std::string admin_token_file;
  std::string access_log;
  long read_timeout_ms = 5000;
  long write_timeout_ms = 10000;
  ShardFlags databases;
};

// The token is the file's first line; the file keeps it out of `ps` and shell history.
std::string read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read admin token file " + path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16) {
    throw std::runtime_error("admin token in " + path +
                             " is too short: use at least 16 characters (e.g. `openssl rand -hex "
                             "32`)");
  }
  return token;
}

int run_serve(ServeCommand& command) {
  if (!command.admin_token_file.empty()) {
    command.options.admin_token = read_token(command.admin_token_file);
  }
  command.options.access_log = command.access_log;
  command.options.database = command.databases.databases.front();
  if (command.databases.sharded()) {
    command.options.shard_databases = command.databases.databases;
    command.options.shards = command.databases.options();
  }
  command.options.read_timeout = std::chrono::milliseconds(command.read_timeout_ms);
  command.options.write_timeout = std::chrono::milliseconds(command.write_timeout_ms);
  // Signals go to one thread that stops the server; every other thread has them blocked
  // (threads inherit the mask, so block before the server starts any).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SearchServer server(command.options);
  const int port = server.bind();
  std::cout << "vnsearch: serving " << command.options.database.string() << " on http://"
            << (command.options.host.find(':') != std::string::npos
                    ? "[" + command.options.host + "]"
                    : command.options.host)
            << ":" << port << "/" << std::endl;

  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    std::cerr << "vnsearch: " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
              << ": finishing requests in flight, then stopping\n";
    server.stop();
  });
  server.run();
  // run() returns only after stop(), which only the waiter calls: it is done or about to be.
  waiter.join();
  std::cerr << "vnsearch: stopped\n";
  return 0;
}

}  // namespace

void register_serve(CLI::App& app) {
  auto command = std::make_shared<ServeCommand>();
  CLI::App* sub = app.add_subcommand(
      "serve", "HTTP server: JSON API, search page, /healthz, /metrics (docs/server.md)");
  add_shard_flags(sub, command->databases);
  sub->add_option("--host", command->options.host, "Address to listen on (default 127.0.0.1)");
  sub->add_option("--port", command->options.port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  sub->add_option("--threads", command->options.threads,
                  "Worker threads (default: two per core, at least 4)")
      ->check(CLI::Range(1, 1024));
  sub->add_option("--max-connections", command->options.max_connections,
                  "Connections served at once; more wait (default 128)")
      ->check(CLI::Range(1, 100000));
  sub->add_option("--read-timeout-ms", command->read_timeout_ms,
                  "Drop a client that sends nothing for this long (default 5000)")
      ->check(CLI::Range(1, 3600000));
  sub->add_option("--write-timeout-ms", command->write_timeout_ms,
                  "Drop a client that reads nothing for this long (default 10000)")
      ->check(CLI::Range(1, 3600000));
  sub->add_option("--admin-token-file", command->admin_token_file,
                  "File holding the bearer token that enables POST/DELETE /api/documents");
  sub->add_option("--cors-origin", command->options.cors_origin,
                  "Origin allowed to call the API from a browser (or *)");
  sub->add_option("--access-log", command->access_log,
                  "Append one line per request (- for stdout)");
  sub->callback([command] {
    const int status = run_serve(*command);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace vnsearch::cli
