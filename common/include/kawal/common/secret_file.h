// Reading a secret (a bearer token) from a file, for every command-line
// tool that takes one: the value is never passed in argv, where `ps` and
// shell history would show it.
//
// Thread-safety: pure functions over the file system.
#ifndef KAWAL_COMMON_SECRET_FILE_H_
#define KAWAL_COMMON_SECRET_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace kawal::common {

// The file's content without surrounding whitespace. NOT_FOUND or
// PERMISSION_DENIED naming `what` and the path when it cannot be read,
// INVALID_ARGUMENT when it holds only whitespace. The secret itself never
// appears in a message.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path, const std::string& what);

// ReadSecretFile for a credential only its owner may read (a bearer token),
// the rule ssh keeps for private keys: FAILED_PRECONDITION naming `what`, the
// path, its mode and the fix ("chmod 600 PATH") when group or others have any
// permission on the file. Errors of a missing or unreadable file are
// ReadSecretFile's.
absl::StatusOr<std::string> ReadOwnerOnlySecretFile(const std::string& path,
                                                    const std::string& what);

}  // namespace kawal::common

#endif  // KAWAL_COMMON_SECRET_FILE_H_
