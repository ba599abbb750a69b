// What kawal-admin reads from its command line and prints: role names,
// scope lists, user tables, server stats, JSON. Pure functions over the
// kawal.v1 messages, so they can be tested without a server.
//
// Thread-safety: pure functions.
#ifndef KAWAL_TOOLS_ADMIN_ADMIN_OUTPUT_H_
#define KAWAL_TOOLS_ADMIN_ADMIN_OUTPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/v1/admin.pb.h"

namespace kawal::admin {

// "facilitator", "district_officer" or "admin" to the role; INVALID_ARGUMENT
// naming the text and the choices otherwise.
absl::StatusOr<v1::Role> ParseRole(absl::string_view text);

// "facilitator", "district_officer", "admin", or "unspecified".
std::string RoleText(v1::Role role);

// Splits "a, b,c" into {"a", "b", "c"}, dropping empty items.
std::vector<std::string> ParseScopes(absl::string_view text);

// A table of users: name, role, revoked, scopes; one line each.
std::string FormatUserTable(const v1::ListUsersResponse& users);

// One line: "ana (facilitator, scopes 62.10.01.2001, 62.10.01.2002)".
std::string FormatUserLine(const v1::User& user);

// The lines that hand out a new token: "token: kd1_..." and the note that it
// is shown only once.
std::string FormatNewToken(const v1::User& user, absl::string_view token);

// Server statistics as labelled lines.
std::string FormatStats(const v1::StatsResponse& stats);

// "12.3 MiB (12897484 bytes)".
std::string FormatBytes(uint64_t bytes);

// Milliseconds since the epoch as "2026-11-26 16:20:43 UTC".
std::string FormatTimeMs(int64_t ms);

// The message as indented JSON with the proto field names, every field
// present; ends with a newline.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace kawal::admin

#endif  // KAWAL_TOOLS_ADMIN_ADMIN_OUTPUT_H_
