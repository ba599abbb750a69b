// StartCli and RunCli (cli_process.h): fork, exec, poll both pipes until
// they close, then a bounded wait for the exit.
#include "cli_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server_process.h"

extern char** environ;

namespace kawal::testing {

CliChild StartCli(const std::string& binary, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env) {
  std::vector<std::string> all = {binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e) {
    absl::string_view var = *e;
    if (absl::StartsWith(var, "LANG=") || absl::StartsWith(var, "LC_ALL=") ||
        absl::StartsWith(var, "LANGUAGE=") || absl::StartsWith(var, "KAWAL_HOME=")) {
      continue;
    }
    envs.emplace_back(var);
  }
  for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<char*> argv, envp;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);

  CliChild child;
  int out[2], err[2];
  if (::pipe(out) != 0) return child;
  if (::pipe(err) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return child;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::close(out[0]);
    ::close(err[0]);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return child;
  }
  child.pid = pid;
  child.out_fd = out[0];
  child.err_fd = err[0];
  return child;
}

CliResult RunCli(const std::string& binary, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, int timeout_s) {
  CliResult result;
  const CliChild child = StartCli(binary, args, env);
  if (child.pid < 0) return result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  auto left_ms = [&] {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                deadline - std::chrono::steady_clock::now())
                                .count());
  };
  bool open[2] = {true, true};
  const int fds[2] = {child.out_fd, child.err_fd};
  while (open[0] || open[1]) {
    const int left = left_ms();
    if (left <= 0) break;
    pollfd p[2] = {{open[0] ? fds[0] : -1, POLLIN, 0}, {open[1] ? fds[1] : -1, POLLIN, 0}};
    if (::poll(p, 2, left) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (p[i].revents == 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(fds[i], chunk, sizeof chunk);
      if (n <= 0) {
        open[i] = false;
      } else {
        (i == 0 ? result.out : result.err).append(chunk, static_cast<size_t>(n));
      }
    }
  }
  ::close(fds[0]);
  ::close(fds[1]);
  // A child that closed its outputs but keeps running is also bounded.
  int status = open[0] || open[1] ? -1 : WaitBounded(child.pid, std::max(left_ms(), 0));
  if (status == -1) {
    ::kill(child.pid, SIGKILL);
    ::waitpid(child.pid, nullptr, 0);
    return result;
  }
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace kawal::testing
