// kawal-admin's backup commands (against a running server) and restore
// (local, with the server stopped). See docs/backup.md.
#ifndef KAWAL_TOOLS_ADMIN_ADMIN_BACKUP_COMMANDS_H_
#define KAWAL_TOOLS_ADMIN_ADMIN_BACKUP_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "admin/admin_client.h"

namespace kawal::admin {

// True for "backup ..." and "restore".
bool IsBackupCommand(const std::vector<std::string>& args);
// True when the command runs locally (restore) and needs no server.
bool IsLocalCommand(const std::vector<std::string>& args);

// Checks arguments and flags; INVALID_ARGUMENT with the usage error.
absl::Status CheckBackupCommand(const std::vector<std::string>& args);

// Runs `backup create|list|verify ID|purge --keep=N` against the server.
absl::Status RunBackupCommand(const std::vector<std::string>& args, AdminClient& client, bool json);
// Runs `restore --backup_dir=… --backup_id=ID|latest --data_dir=… [--force]`.
absl::Status RunRestore(bool json);

}  // namespace kawal::admin

#endif  // KAWAL_TOOLS_ADMIN_ADMIN_BACKUP_COMMANDS_H_
