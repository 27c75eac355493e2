// The exit statuses of every `vnsearch` command, documented in README.md ("Exit status"). Scripts
// and CI branch on them, so a status keeps its meaning across commands and releases.
#pragma once

#include <stdexcept>
#include <string>

namespace vnsearch::cli {

enum ExitCode : int {
  kExitOk = 0,
  /// The run finished but some input was rejected: a document or batch query that could not be
  /// read, an id to delete that was not in the index.
  kExitSomeRejected = 1,
  /// The command line was wrong: unknown command or option, bad or missing value.
  kExitUsage = 2,
  /// The database could not be used: missing, not a database, locked by another writer,
  /// corrupt, disk full.
  kExitDatabase = 3,
  /// A file named on the command line (not the database) could not be read.
  kExitInput = 4,
  /// A bug: an unexpected exception escaped. Please report it.
  kExitInternal = 70,
};

/// Thrown by a command to stop with a given status and message; main() prints the message as
/// `vnsearch <command>: error: <message>` and exits with `code`.
class CommandFailure : public std::runtime_error {
 public:
  CommandFailure(ExitCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace vnsearch::cli
