// Backups hold every record and every user's token hash: only the server's
// user may read them. These functions set the modes explicitly (folders
// 0700, files 0600), because the backup engine creates files with whatever
// umask the process has.
//
// Thread-safety: functions over the file system; callers serialize writes
// to the same tree (BackupManager holds its mutex).
#ifndef KAWAL_SERVER_BACKUP_OWNER_ONLY_H_
#define KAWAL_SERVER_BACKUP_OWNER_ONLY_H_

#include <string>

#include "absl/status/status.h"

namespace kawal::server {

// Creates `dir` (and missing parents) and sets `dir` itself to 0700.
// FAILED_PRECONDITION naming the folder when either fails.
absl::Status MakeOwnerOnlyDir(const std::string& dir);

// Sets every folder under `dir` to 0700 and every regular file to 0600
// (symbolic links are not followed). FAILED_PRECONDITION naming the first
// path whose mode cannot be set.
absl::Status RestrictTreeToOwner(const std::string& dir);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_BACKUP_OWNER_ONLY_H_
