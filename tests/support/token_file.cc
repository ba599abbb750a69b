#include "token_file.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace kawal::testing {

std::string WriteTokenFile(const std::string& path, const std::string& token) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << token << "\n";
    if (!out) {
      std::fprintf(stderr, "cannot write token file %s\n", path.c_str());
      std::abort();
    }
  }
  // chmod after writing: the umask decided the creation mode.
  if (::chmod(path.c_str(), 0600) != 0) {
    std::fprintf(stderr, "cannot chmod token file %s\n", path.c_str());
    std::abort();
  }
  return path;
}

}  // namespace kawal::testing
