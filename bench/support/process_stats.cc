#include "process_stats.h"

#include <filesystem>
#include <fstream>

namespace kawal::bench {
namespace {

int64_t StatusFieldKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return 0;
}

}  // namespace

int64_t RssKb() { return StatusFieldKb("VmRSS"); }
int64_t PeakRssKb() { return StatusFieldKb("VmHWM"); }

uint64_t DirBytes(const std::string& path) {
  std::error_code ec;
  uint64_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

}  // namespace kawal::bench
