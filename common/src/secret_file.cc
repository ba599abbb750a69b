#include "kawal/common/secret_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

absl::StatusOr<std::string> ReadOwnerOnlySecretFile(const std::string& path,
                                                    const std::string& what) {
  struct stat info {};
  // A file that cannot be stat'ed cannot be read either: ReadSecretFile says why.
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s %s is open to other users (mode %04o); it must be readable by its owner only: "
        "chmod 600 %s",
        what, path, info.st_mode & 07777, path));
  }
  return ReadSecretFile(path, what);
}

}  // namespace kawal::common
