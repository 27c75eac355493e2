// `vnsearch tokenize` as a user runs it: the real binary (VNSEARCH_BINARY) with its standard
// input and output on pipes. It streams (output before the input ends, memory bounded whatever
// the input size), prints exactly what analyzing the whole input gives, and lines up its table
// by display width rather than bytes (issue 7, rows 16 and 27).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "vnsearch/tokenizer.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using vnsearch::Token;

namespace {

const fs::path kSourceDir = VNSEARCH_SOURCE_DIR;
const fs::path kBinary = VNSEARCH_BINARY;

// Generous, for the sanitizer build; only reached when something hangs.
constexpr auto kTimeout = 240s;

#if defined(VNSEARCH_SANITIZED)
constexpr bool kSanitized = true;  // ASan keeps freed memory in quarantine: RSS says nothing
#else
constexpr bool kSanitized = false;
#endif

// A running `vnsearch` with pipes on its stdin and stdout; killed and reaped if a test ends
// (or fails) while it still runs.
class PipedChild {
 public:
  PipedChild(const std::vector<std::string>& args, const fs::path& err) {
    ::signal(SIGPIPE, SIG_IGN);  // a child that dies early must fail a CHECK, not kill the test
    int in[2];
    int out[2];
    REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    std::vector<std::string> argv_strings{kBinary.string()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_strings) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    REQUIRE(error == 0);
  }
  ~PipedChild() {
    close_stdin();
    if (stdout_ >= 0) ::close(stdout_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  PipedChild(const PipedChild&) = delete;
  PipedChild& operator=(const PipedChild&) = delete;

  /// Writes all of `bytes`; false if the child stopped reading.
  bool write(std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::write(stdin_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  /// What the child printed next, waiting up to `timeout`: nullopt on timeout, "" at the end.
  std::optional<std::string> read_some(std::chrono::milliseconds timeout) const {
    pollfd fd{stdout_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) return std::nullopt;
    char buffer[1 << 16];
    ssize_t n;
    do {
      n = ::read(stdout_, buffer, sizeof buffer);
    } while (n < 0 && errno == EINTR);
    return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  }

  /// The child's peak resident memory so far (VmHWM), in KiB; 0 once it has exited. Read from
  /// /proc because wait4's ru_maxrss starts from this process's own peak: posix_spawn's child
  /// shares our memory until exec, and Linux carries that peak across the exec.
  std::size_t peak_rss_kib() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.starts_with("VmHWM:")) return std::stoul(line.substr(6));
    }
    return 0;
  }

  /// Waits for the exit and returns the wait status.
  int wait() {
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) FAIL("vnsearch tokenize did not exit");
      std::this_thread::sleep_for(2ms);
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
};

class TempDir : public vnsearch::test::TempDir {
 public:
  TempDir() : vnsearch::test::TempDir("vnsearch-tokenize") {}
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Titles and bodies of the bundled sample, one per line: real Vietnamese news text.
std::string corpus_text() {
  std::ifstream in(kSourceDir / "corpus" / "news-sample.jsonl");
  std::string text;
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json article = nlohmann::json::parse(line);
    text += article.value("title", "") + "\n" + article.value("body", "") + "\n";
  }
  return text;
}

// The JSON line the old whole-input `tokenize --json` printed for a token.
std::string json_line(const Token& token) {
  static constexpr const char* kRoles[] = {"simple", "compound", "part"};
  const nlohmann::json line = {{"start", token.start},
                               {"end", token.end},
                               {"position", token.position},
                               {"exact", token.exact},
                               {"folded", token.folded},
                               {"kind", vnsearch::token_kind_name(token.kind)},
                               {"role", kRoles[static_cast<int>(token.role)]},
                               {"sentence", token.sentence},
                               {"paragraph", token.paragraph}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Terminal columns of `utf8`, for this test's own text: CJK ideographs take two, every other
// character one (the exact forms are NFC, so no combining marks).
std::size_t columns(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t cp = lead & (0xFF >> (length == 1 ? 1 : length + 1));
    for (std::size_t k = 1; k < length && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    width += cp >= 0x4E00 && cp <= 0x9FFF ? 2 : 1;
    i += length;
  }
  return width;
}

}  // namespace

TEST_CASE("tokenize prints tokens before its input ends", "[tokenize][cli][stream]") {
  TempDir dir;
  PipedChild child({"tokenize", "--json"}, dir / "err.txt");
  // More than one read of standard input, and not the end of it.
  const std::string text = corpus_text().substr(0, 700 * 1024);
  // From a thread: the child's output fills its pipe while this one is still being written.
  std::atomic<bool> written = false;
  std::thread writer([&] {
    child.write(text.substr(0, text.rfind('\n') + 1));
    written = true;
  });
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (seen.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    const std::optional<std::string> more = child.read_some(1s);
    if (more && more->empty()) break;  // exited
    if (more) seen += *more;
  }
  INFO(read_file(dir / "err.txt"));
  const bool streamed = seen.find('\n') != std::string::npos;  // old: nothing until the end
  while (!written) child.read_some(100ms);                     // keep the child's output flowing
  writer.join();
  child.close_stdin();
  while (const auto more = child.read_some(kTimeout)) {
    if (more->empty()) break;
  }
  REQUIRE(streamed);
  const nlohmann::json first = nlohmann::json::parse(seen.substr(0, seen.find('\n')));
  CHECK(first["start"] == 0);
  CHECK(first["position"] == 0);
  CHECK(child.wait() == 0);
}

TEST_CASE("tokenize in pieces prints what the whole input gives", "[tokenize][cli][stream]") {
  TempDir dir;
  std::string input = corpus_text();
  // One line longer than the largest piece, so that it is cut at white space.
  std::string long_line;
  while (long_line.size() < 1300 * 1024) long_line += "Giá vàng hôm nay 16/11 tại TP.HCM tăng. ";
  input += long_line + "\n" + corpus_text().substr(0, 200 * 1024) + "không xuống dòng";
  INFO("input of " << input.size() << " bytes");

  std::vector<std::string> expected;
  for (const Token& token : vnsearch::Analyzer().analyze(input)) {
    expected.push_back(json_line(token));
  }

  PipedChild child({"tokenize", "--json"}, dir / "err.txt");
  std::thread writer([&] {
    child.write(input);
    child.close_stdin();
  });
  std::size_t line = 0;
  std::size_t mismatches = 0;
  std::string first_mismatch;
  std::string pending;
  while (const auto more = child.read_some(kTimeout)) {
    if (more->empty()) break;
    pending += *more;
    std::size_t start = 0;
    for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      const std::string_view got = std::string_view(pending).substr(start, end - start);
      if (line >= expected.size() || got != expected[line]) {
        if (mismatches++ == 0) {
          first_mismatch = "line " + std::to_string(line + 1) + ": got " + std::string(got) +
                           "\nexpected " + (line < expected.size() ? expected[line] : "nothing");
        }
      }
      ++line;
    }
    pending.erase(0, start);
  }
  writer.join();
  INFO(first_mismatch);
  INFO(read_file(dir / "err.txt"));
  CHECK(child.wait() == 0);
  CHECK(pending.empty());
  CHECK(line == expected.size());
  CHECK(mismatches == 0);
}

// Issue 7, row 16: 100 MB on stdin took 5.0 GB. Memory now depends on the piece size only.
TEST_CASE("tokenize keeps its memory bounded on a large input", "[tokenize][cli][stream]") {
  if (kSanitized) {
    WARN("AddressSanitizer build: resident memory is not meaningful; size check skipped");
    return;
  }
  TempDir dir;
  const std::string text = corpus_text();
  constexpr std::size_t kInputBytes = 48u << 20;
  PipedChild child({"tokenize"}, dir / "err.txt");
  std::thread writer([&] {
    for (std::size_t sent = 0; sent < kInputBytes && child.write(text); sent += text.size()) {
    }
    child.close_stdin();
  });
  std::size_t output = 0;
  std::size_t peak_kib = 0;
  while (const auto more = child.read_some(kTimeout)) {
    if (more->empty()) break;
    output += more->size();
    peak_kib = std::max(peak_kib, child.peak_rss_kib());
  }
  writer.join();
  INFO(read_file(dir / "err.txt"));
  CHECK(child.wait() == 0);
  CHECK(output > kInputBytes);  // every token printed
  // The old whole-input reading held the input and all its tokens: more than 2 GB here.
  // Streaming holds a piece (1 MiB at most) and its tokens.
  INFO("peak RSS " << peak_kib / 1024 << " MiB for " << (kInputBytes >> 20) << " MiB of input");
  CHECK(peak_kib > 0);
  CHECK(peak_kib < 128 * 1024);
}

// Issue 7, row 27: the table padded by bytes, so every accented word pushed its row left.
TEST_CASE("tokenize lines up its table by display width", "[tokenize][cli]") {
  TempDir dir;
  PipedChild child({"tokenize"}, dir / "err.txt");
  REQUIRE(child.write("Hội nghị tổng kết BR-VT ở Đà Nẵng 東京 naïve\n"));
  child.close_stdin();
  std::string out;
  while (const auto more = child.read_some(kTimeout)) {
    if (more->empty()) break;
    out += *more;
  }
  REQUIRE(child.wait() == 0);
  std::istringstream lines(out);
  std::string row;
  std::getline(lines, row);
  REQUIRE(row.starts_with("pos"));
  const std::size_t folded_column = row.find("folded");
  int rows = 0;
  while (std::getline(lines, row)) {
    const std::string folded = row.substr(row.rfind(' ') + 1);
    INFO(row);
    CHECK(columns(row.substr(0, row.size() - folded.size())) == folded_column);
    ++rows;
  }
  CHECK(rows == 12);  // ten words, BR-VT and its two parts
}
