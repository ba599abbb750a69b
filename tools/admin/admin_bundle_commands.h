// kawal-admin's sync bundle commands (docs/bundles.md): the public server
// key file for never-online devices, and (later) importing device bundles.
#ifndef KAWAL_TOOLS_ADMIN_ADMIN_BUNDLE_COMMANDS_H_
#define KAWAL_TOOLS_ADMIN_ADMIN_BUNDLE_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/client.h"

namespace kawal::admin {

// True for "bundle ...".
bool IsBundleCommand(const std::vector<std::string>& args);
// Checks arguments; INVALID_ARGUMENT with the usage error.
absl::Status CheckBundleCommand(const std::vector<std::string>& args);
// Runs `bundle server-key` against the server.
absl::Status RunBundleCommand(const std::vector<std::string>& args,
                              const client::ClientOptions& options);

}  // namespace kawal::admin

#endif  // KAWAL_TOOLS_ADMIN_ADMIN_BUNDLE_COMMANDS_H_
