#include "devtools_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace vnsearch::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  return fd;
}

void write_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("DevTools connection closed while sending");
    sent += static_cast<std::size_t>(n);
  }
}

// One GET on loopback, for /json/list (Chromium ignores HTTP/1.0 requests and may keep the
// connection open, so the body is read up to its Content-Length).
std::string http_get(int port, const std::string& path) {
  const int fd = connect_loopback(port);
  write_all(fd, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string answer;
  char buffer[4096];
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline) {
    const std::size_t end = answer.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::string headers = answer.substr(0, end);
      for (char& ch : headers) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const std::size_t length = headers.find("content-length:");
      if (length != std::string::npos &&
          answer.size() >= end + 4 + std::stoul(headers.substr(length + 15))) {
        break;
      }
    }
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const std::size_t body = answer.find("\r\n\r\n");
  return body == std::string::npos ? std::string() : answer.substr(body + 4);
}

}  // namespace

DevToolsBrowser::DevToolsBrowser(const fs::path& profile) {
  fs::create_directories(profile);
  const fs::path port_file = profile / "DevToolsActivePort";
  const fs::path log = profile / "chromium.log";
  chromium_ = ::fork();
  if (chromium_ < 0) throw std::runtime_error("fork failed");
  if (chromium_ == 0) {
    // Chromium goes when the test goes, even when the test is killed before its destructors run.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
    }
    const std::string user_data = "--user-data-dir=" + profile.string();
    // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
    ::execlp("chromium", "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             "--disable-breakpad", "--disable-crash-reporter", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1", user_data.c_str(), "about:blank",
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Chromium writes the port it chose into DevToolsActivePort.
  int port = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(chromium_, &status, WNOHANG) == chromium_) {
      chromium_ = -1;
      std::ifstream in(log);
      std::string first_line;
      std::getline(in, first_line);
      throw std::runtime_error("chromium exited at start (" +
                               (WIFEXITED(status) && WEXITSTATUS(status) == 127
                                    ? std::string("not installed")
                                    : first_line) +
                               ")");
    }
    std::ifstream in(port_file);
    if (in >> port && port > 0) break;
    port = 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (port == 0) throw std::runtime_error("chromium did not open its DevTools port in 20 s");

  json pages;
  for (int attempt = 0; attempt < 50; ++attempt) {
    pages = json::parse(http_get(port, "/json/list"), nullptr, false);
    if (pages.is_array() && !pages.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string path;
  for (const auto& page : pages) {
    if (page.value("type", "") == "page") {
      const std::string url = page.value("webSocketDebuggerUrl", "");
      const std::size_t slash = url.find('/', std::strlen("ws://"));
      if (slash != std::string::npos) path = url.substr(slash);
      break;
    }
  }
  if (path.empty()) throw std::runtime_error("chromium lists no page to drive");

  socket_ = connect_loopback(port);
  std::random_device random;
  std::string key_bytes(16, '\0');
  for (char& ch : key_bytes) ch = static_cast<char>(random());
  // The key only has to be 16 bytes in base64; the server's accept value is not checked here.
  static constexpr char kBase64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string key;
  for (std::size_t i = 0; i < 15; i += 3) {
    const unsigned value = (static_cast<unsigned char>(key_bytes[i]) << 16) |
                           (static_cast<unsigned char>(key_bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(key_bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) key += kBase64[(value >> shift) & 63];
  }
  key += kBase64[(static_cast<unsigned char>(key_bytes[15]) >> 2) & 63];
  key += kBase64[(static_cast<unsigned char>(key_bytes[15]) << 4) & 63];
  key += "==";
  write_all(socket_, "GET " + path +
                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: " +
                         key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
  std::string headers;
  const auto handshake_deadline = Clock::now() + std::chrono::seconds(10);
  while (headers.find("\r\n\r\n") == std::string::npos) {
    char ch = 0;
    read_exact(&ch, 1, handshake_deadline);
    headers += ch;
  }
  if (headers.rfind("HTTP/1.1 101", 0) != 0) {
    throw std::runtime_error("DevTools WebSocket handshake refused: " +
                             headers.substr(0, headers.find('\r')));
  }
}

DevToolsBrowser::~DevToolsBrowser() {
  // Browser.close shuts Chromium down the way it expects, reaping its own helper processes; a
  // signal to the browser alone would orphan them.
  if (socket_ >= 0) {
    try {
      send_text(json{{"id", next_id_++}, {"method", "Browser.close"}}.dump());
    } catch (const std::exception&) {
    }
  }
  if (chromium_ > 0) {
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 100 && !exited; ++i) {
      exited = ::waitpid(chromium_, &status, WNOHANG) == chromium_;
      if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
      ::kill(chromium_, SIGKILL);
      ::waitpid(chromium_, &status, 0);
    }
  }
  if (socket_ >= 0) ::close(socket_);
}

void DevToolsBrowser::read_exact(char* into, std::size_t size, Clock::time_point deadline) {
  std::size_t got = 0;
  while (got < size) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) throw std::runtime_error("DevTools: timed out waiting for Chromium");
    pollfd waiting{socket_, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::recv(socket_, into + got, size - got, 0);
    if (n <= 0) throw std::runtime_error("DevTools connection closed by Chromium");
    got += static_cast<std::size_t>(n);
  }
}

void DevToolsBrowser::send_text(const std::string& text) {
  // Client frames must be masked (RFC 6455 5.3).
  std::string frame;
  frame += static_cast<char>(0x81);  // FIN + text
  if (text.size() < 126) {
    frame += static_cast<char>(0x80 | text.size());
  } else if (text.size() < 65536) {
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>((text.size() >> 8) & 0xFF);
    frame += static_cast<char>(text.size() & 0xFF);
  } else {
    frame += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame += static_cast<char>((static_cast<std::uint64_t>(text.size()) >> shift) & 0xFF);
    }
  }
  const char mask[4] = {0x1b, 0x7e, 0x42, 0x3c};
  frame.append(mask, 4);
  for (std::size_t i = 0; i < text.size(); ++i) frame += static_cast<char>(text[i] ^ mask[i % 4]);
  write_all(socket_, frame);
}

json DevToolsBrowser::read_message(Clock::time_point deadline) {
  std::string message;
  while (true) {
    unsigned char header[2];
    read_exact(reinterpret_cast<char*>(header), 2, deadline);
    const bool final_frame = (header[0] & 0x80) != 0;
    const int opcode = header[0] & 0x0F;
    std::uint64_t length = header[1] & 0x7F;
    if (length == 126 || length == 127) {
      unsigned char extended[8];
      const std::size_t bytes = length == 126 ? 2 : 8;
      read_exact(reinterpret_cast<char*>(extended), bytes, deadline);
      length = 0;
      for (std::size_t i = 0; i < bytes; ++i) length = (length << 8) | extended[i];
    }
    std::string payload(length, '\0');  // server frames are not masked
    if (length > 0) read_exact(payload.data(), length, deadline);
    if (opcode == 0x8) throw std::runtime_error("DevTools connection closed by Chromium");
    if (opcode == 0x9 || opcode == 0xA) continue;  // ping/pong: nothing to answer for a test
    message += payload;
    if (final_frame) break;
  }
  return json::parse(message, nullptr, false);
}

json DevToolsBrowser::call(const std::string& method, const json& params) {
  const int id = next_id_++;
  send_text(json{{"id", id}, {"method", method}, {"params", params}}.dump());
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (true) {
    json message = read_message(deadline);
    if (message.contains("id") && message["id"] == id) {
      if (message.contains("error")) {
        throw std::runtime_error("DevTools " + method + " failed: " + message["error"].dump());
      }
      return message.value("result", json::object());
    }
    if (message.contains("method")) events_.push_back(std::move(message));
  }
}

json DevToolsBrowser::wait_event(const std::string& method, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
      if ((*it)["method"] == method) {
        json event = std::move(*it);
        events_.erase(it);
        return event;
      }
    }
    json message = read_message(deadline);
    if (message.contains("method")) events_.push_back(std::move(message));
  }
}

json DevToolsBrowser::evaluate(const std::string& expression) {
  const json result =
      call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
  if (result.contains("exceptionDetails")) {
    throw std::runtime_error("page script failed: " + result["exceptionDetails"].dump());
  }
  return result["result"].value("value", json());
}

}  // namespace vnsearch::test
