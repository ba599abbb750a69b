#include "web_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server_process.h"

namespace kawal::testing {

WebProcess::WebProcess(std::string binary, std::string server,
                       std::vector<std::string> extra_flags, std::string stderr_path)
    : binary_(std::move(binary)),
      server_(std::move(server)),
      extra_flags_(std::move(extra_flags)),
      stderr_path_(std::move(stderr_path)) {}

WebProcess::~WebProcess() { Stop(); }

absl::Status WebProcess::Start() {
  int out[2];
  if (::pipe(out) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> args = {binary_, "--listen=127.0.0.1:0", "--server=" + server_};
  args.insert(args.end(), extra_flags_.begin(), extra_flags_.end());
  const pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    ::dup2(out[1], 1);
    const int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) ::dup2(err, 2);
    ::close(out[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  pid_ = pid;
  // "kawal-web: listening on http://127.0.0.1:PORT/ (...)", within 30 s.
  constexpr char kMarker[] = "listening on http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string buffer;
  while (port_ == 0) {
    const int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count());
    pollfd p{out[0], POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, left) <= 0) break;
    char chunk[512];
    const ssize_t n = ::read(out[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    const size_t at = buffer.find(kMarker);
    const size_t end = at == std::string::npos ? at : buffer.find('/', at + sizeof kMarker - 1);
    if (end != std::string::npos) {
      (void)absl::SimpleAtoi(buffer.substr(at + sizeof kMarker - 1, end - at - sizeof kMarker + 1),
                             &port_);
    }
  }
  ::close(out[0]);
  if (port_ == 0) {
    return absl::UnavailableError(absl::StrCat("kawal-web did not start: ", buffer, Stderr()));
  }
  return absl::OkStatus();
}

void WebProcess::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (WaitBounded(pid_, 30000) == -1) {
    ::kill(pid_, SIGKILL);
    WaitBounded(pid_, 30000);
  }
  pid_ = -1;
}

std::string WebProcess::Stderr() const {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kawal::testing
