#include "listening_pid.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kawal::testing {
namespace {

constexpr char kTcpListen[] = "0A";  // TCP_LISTEN in /proc/net/tcp's "st" column

// The inode of the socket listening on `local` in a /proc/net/tcp-style
// table ("" when none).
std::string ListeningInodeIn(const char* table, const std::string& local) {
  std::ifstream tcp(table);
  std::string line;
  std::getline(tcp, line);  // header
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local_address, remote_address, state, queues, timer, retransmits, uid,
        timeout, inode;
    fields >> slot >> local_address >> remote_address >> state >> queues >> timer >>
        retransmits >> uid >> timeout >> inode;
    if (local_address == local && state == kTcpListen) return inode;
  }
  return "";
}

// The socket inode listening on 127.0.0.1:port ("" when none): an IPv4
// socket, or an IPv6 one bound to the v4-mapped address (gRPC's way).
// /proc writes addresses as 32-bit words in host byte order (little-endian
// here): 127.0.0.1 is "0100007F".
std::string ListeningInode(int port) {
  std::string inode = ListeningInodeIn("/proc/net/tcp", absl::StrFormat("0100007F:%04X", port));
  if (inode.empty()) {
    inode = ListeningInodeIn("/proc/net/tcp6",
                             absl::StrFormat("0000000000000000FFFF00000100007F:%04X", port));
  }
  return inode;
}

std::vector<pid_t> Pids() {
  std::vector<pid_t> pids;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* entry = ::readdir(proc)) {
    int pid = 0;
    if (absl::SimpleAtoi(entry->d_name, &pid) && pid > 0) pids.push_back(pid);
  }
  ::closedir(proc);
  return pids;
}

bool HoldsSocket(pid_t pid, const std::string& socket_link) {
  const std::string fd_dir = absl::StrCat("/proc/", pid, "/fd");
  DIR* fds = ::opendir(fd_dir.c_str());
  if (fds == nullptr) return false;  // gone, or another user's
  bool found = false;
  char target[128];
  while (dirent* entry = ::readdir(fds)) {
    const std::string link = absl::StrCat(fd_dir, "/", entry->d_name);
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    if (n > 0 && std::string(target, static_cast<size_t>(n)) == socket_link) {
      found = true;
      break;
    }
  }
  ::closedir(fds);
  return found;
}

}  // namespace

absl::StatusOr<pid_t> PidListeningOn(int port) {
  const std::string inode = ListeningInode(port);
  if (inode.empty()) return absl::NotFoundError(absl::StrCat("nothing listens on 127.0.0.1:", port));
  const std::string socket_link = absl::StrCat("socket:[", inode, "]");
  pid_t lowest = 0;
  for (pid_t pid : Pids()) {
    if ((lowest == 0 || pid < lowest) && HoldsSocket(pid, socket_link)) lowest = pid;
  }
  if (lowest != 0) return lowest;
  return absl::NotFoundError(
      absl::StrCat("no visible process holds the listener on 127.0.0.1:", port));
}

}  // namespace kawal::testing
