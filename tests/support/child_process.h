// Running the `vnsearch` binary from a test: stdout and stderr captured in files (or stdout on a
// pseudo-terminal, to see what a person at a terminal sees), every wait bounded, the child
// killed by its PID if it overruns.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vnsearch::test {

struct ChildResult {
  int status = -1;
  std::string out, err;
  bool timed_out = false;
  [[nodiscard]] int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Runs `program args...` with stdin from /dev/null, stdout and stderr into files in `dir`.
/// With `terminal`, stdout is a pseudo-terminal instead (read as the child writes) and the
/// environment is `environment` (e.g. TERM=xterm), otherwise the test's own.
inline ChildResult run_child(const std::string& program, const std::vector<std::string>& args,
                             const std::filesystem::path& dir, bool terminal = false,
                             std::vector<std::string> environment = {},
                             std::chrono::seconds timeout = std::chrono::seconds(240)) {
  const std::filesystem::path out_path = dir / "child.out", err_path = dir / "child.err";
  std::vector<std::string> strings{program};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);

  int master = -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (terminal) {
    master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
      throw std::runtime_error("cannot open a pseudo-terminal");
    }
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, ::ptsname(master), O_RDWR, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int error = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(),
                                  terminal ? envp.data() : ::environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + program);

  ChildResult result;
  if (master >= 0) ::fcntl(master, F_SETFL, O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto drain = [&] {
    char buffer[4096];
    ssize_t got = 0;
    while (master >= 0 && (got = ::read(master, buffer, sizeof buffer)) > 0) {
      result.out.append(buffer, static_cast<std::size_t>(got));
    }
  };
  while (::waitpid(pid, &result.status, WNOHANG) == 0) {
    drain();
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &result.status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  drain();
  if (master >= 0) {
    ::close(master);
  } else {
    result.out = read_whole_file(out_path);
  }
  result.err = read_whole_file(err_path);
  return result;
}

}  // namespace vnsearch::test
