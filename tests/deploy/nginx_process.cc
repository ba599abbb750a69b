#include "nginx_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server_process.h"

namespace kawal::testing {
namespace {

constexpr int kStartTimeoutMs = 15000;
constexpr int kStopTimeoutMs = 10000;

// A port the kernel just handed out on 127.0.0.1 (free now; nginx binds it
// a moment later, and Start retries if someone else took it meanwhile).
int PickPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string FindNginx() { return FindProgram("nginx", "/usr/sbin/nginx"); }

std::string FindProgram(const std::string& name, const std::string& usual_path) {
  std::vector<std::string> candidates = {usual_path};
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      candidates.push_back(absl::StrCat(dir, "/", name));
    }
  }
  for (const std::string& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

NginxProcess::NginxProcess(std::string binary, std::string prefix)
    : binary_(std::move(binary)), prefix_(std::move(prefix)) {}

NginxProcess::~NginxProcess() { (void)Stop(); }

std::string NginxProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

std::string NginxProcess::ErrorLog() const {
  std::ifstream in(prefix_ + "/error.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> NginxProcess::Args() const {
  return {"-p", prefix_ + "/", "-e", prefix_ + "/error.log", "-c", prefix_ + "/nginx.conf"};
}

absl::Status NginxProcess::Reload() {
  if (pid_ <= 0) return absl::FailedPreconditionError("nginx is not running");
  std::vector<std::string> reload = Args();
  reload.push_back("-s");
  reload.push_back("reload");
  auto result = ServerProcess::RunToExit(binary_, reload, 30);
  if (!result.ok()) return result.status();
  if (result->first != 0) {
    return absl::InternalError(absl::StrCat("nginx -s reload failed: ", result->second));
  }
  return absl::OkStatus();
}

absl::Status NginxProcess::Start(
    const std::function<std::map<std::string, std::string>(int)>& make_files) {
  absl::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    bool port_taken = false;
    last = StartOnce(make_files, &port_taken);
    if (last.ok() || !port_taken) return last;
  }
  return last;
}

absl::Status NginxProcess::StartOnce(
    const std::function<std::map<std::string, std::string>(int)>& make_files, bool* port_taken) {
  port_ = PickPort();
  if (port_ == 0) return absl::UnavailableError("no free port on 127.0.0.1");
  for (const auto& [name, content] : make_files(port_)) {
    std::ofstream(prefix_ + "/" + name) << content;
  }
  const std::vector<std::string> args = Args();
  std::vector<std::string> check = args;
  check.push_back("-t");
  auto checked = ServerProcess::RunToExit(binary_, check, 30);
  if (!checked.ok()) return checked.status();
  if (checked->first != 0) {
    return absl::InvalidArgumentError(absl::StrCat("nginx -t refused the config: ", checked->second));
  }
  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);  // its own group: Stop can reach the workers too
    std::vector<std::string> all = {binary_};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("-g");
    all.push_back("daemon off;");
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
  while (!Accepts(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string log = ErrorLog();
      *port_taken = absl::StrContains(log, "Address already in use");
      return absl::UnavailableError(absl::StrCat("nginx exited at start: ", log));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      (void)Stop();
      return absl::DeadlineExceededError(
          absl::StrCat("nginx did not accept on ", address(), " within ", kStartTimeoutMs,
                       " ms: ", ErrorLog()));
    }
    ::poll(nullptr, 0, 10);  // bounded wait for the listener, as above
  }
  return absl::OkStatus();
}

absl::Status NginxProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  const pid_t pid = pid_;
  pid_ = -1;
  ::kill(pid, SIGTERM);
  if (WaitBounded(pid, kStopTimeoutMs) != -1) {
    ::kill(-pid, SIGKILL);  // a worker that outlived its master, if any
    return absl::OkStatus();
  }
  ::kill(-pid, SIGKILL);
  WaitBounded(pid, kStopTimeoutMs);
  return absl::DeadlineExceededError(
      absl::StrCat("nginx did not stop on SIGTERM within ", kStopTimeoutMs, " ms; killed"));
}

}  // namespace kawal::testing
