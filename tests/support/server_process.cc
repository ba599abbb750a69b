#include "server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli_process.h"

namespace kawal::testing {
namespace {

constexpr int kStartTimeoutMs = 30000;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int WaitBounded(pid_t pid, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) return -1;
    // Polling a child's exit: waitpid has no timeout; a short poll(2) sleep
    // is the bounded wait, not a synchronization guess.
    ::poll(nullptr, 0, 10);
  }
}

std::string ServerBinary() {
#ifdef KAWAL_SERVER_BINARY
  return KAWAL_SERVER_BINARY;
#else
  return "kawal-server";
#endif
}

std::string AdminBinary() {
#ifdef KAWAL_ADMIN_BINARY
  return KAWAL_ADMIN_BINARY;
#else
  return "kawal-admin";
#endif
}

TempDir::TempDir() {
  std::random_device rd;
  std::string base = std::filesystem::temp_directory_path().string();
  path_ = absl::StrCat(base, "/kawal-test-", ::getpid(), "-", rd());
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ServerProcess::ServerProcess(std::string data_dir, std::vector<std::string> extra_flags)
    : data_dir_(std::move(data_dir)), extra_flags_(std::move(extra_flags)) {
  stderr_path_ = data_dir_ + ".stderr";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  std::error_code ec;
  std::filesystem::remove(stderr_path_, ec);
}

absl::Status ServerProcess::Start() {
  int out[2];
  if (::pipe(out) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> args = {ServerBinary(), "--data_dir=" + data_dir_,
                                   "--listen=127.0.0.1:0"};
  for (const auto& f : extra_flags_) args.push_back(f);
  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    ::dup2(out[1], 1);
    int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) ::dup2(err, 2);
    ::close(out[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  pid_ = pid;
  // Read stdout until the "listening on HOST:PORT" line (bounded).
  std::string buffer;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
  while (port_ == 0) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) break;
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) break;
    char chunk[512];
    ssize_t n = ::read(out[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t at = buffer.find("listening on 127.0.0.1:");
    if (at != std::string::npos) {
      size_t start = at + std::string("listening on 127.0.0.1:").size();
      size_t end = buffer.find_first_not_of("0123456789", start);
      if (end != std::string::npos) {
        int port = 0;
        if (absl::SimpleAtoi(buffer.substr(start, end - start), &port)) port_ = port;
      }
    }
  }
  ::close(out[0]);  // later stdout writes go nowhere (SIGPIPE is harmless)
  if (port_ == 0) {
    Kill();
    return absl::UnavailableError(absl::StrCat("kawal-server did not start: ", buffer,
                                               ReadAll(stderr_path_)));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ServerProcess::Stop() {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  ::kill(pid_, SIGTERM);
  int status = WaitBounded(pid_, 30000);
  if (status == -1) {
    Kill();
    return absl::DeadlineExceededError("kawal-server did not stop within 30 s of SIGTERM");
  }
  pid_ = -1;
  port_ = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  WaitBounded(pid_, 30000);
  pid_ = -1;
  port_ = 0;
}

std::string ServerProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

absl::StatusOr<std::string> ServerProcess::AdminToken() const {
  std::string token = ReadAll(data_dir_ + "/admin.token");
  absl::string_view trimmed = absl::StripAsciiWhitespace(token);
  if (trimmed.empty()) return absl::NotFoundError("no admin.token");
  return std::string(trimmed);
}

absl::StatusOr<std::pair<int, std::string>> ServerProcess::RunAdmin(
    const std::vector<std::string>& args) const {
  std::vector<std::string> all = {"--server=" + address(),
                                  "--token_file=" + data_dir_ + "/admin.token"};
  all.insert(all.end(), args.begin(), args.end());
  return RunToExit(AdminBinary(), all);
}

std::string ServerProcess::Stderr() const { return ReadAll(stderr_path_); }

absl::StatusOr<std::pair<int, std::string>> ServerProcess::RunToExit(
    const std::string& binary, const std::vector<std::string>& args, int timeout_s) {
  CliResult run = RunCli(binary, args, {}, timeout_s);
  if (run.code == -1) {
    return absl::DeadlineExceededError(
        absl::StrCat(binary, " did not start or exit in ", timeout_s, " s"));
  }
  return std::make_pair(run.code, run.out + run.err);
}

}  // namespace kawal::testing
