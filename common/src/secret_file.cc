#include "kawal/common/secret_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace kawal::common {

absl::StatusOr<std::string> ReadSecretFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    const std::string message =
        absl::StrCat("cannot read ", what, " ", path, ": ", std::strerror(error));
    if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
    return absl::NotFoundError(message);
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", what, " ", path));
  std::string secret(absl::StripAsciiWhitespace(content.str()));
  if (secret.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " ", path, " is empty"));
  return secret;
}

}  // namespace kawal::common
