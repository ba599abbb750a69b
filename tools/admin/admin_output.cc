#include "admin/admin_output.h"

#include <ctime>
#include <map>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "kawal/sync/region.h"

namespace kawal::admin {
namespace {

// Scopes as one column; "-" for none (an admin reads everything).
std::string ScopesText(const v1::User& user) {
  if (user.scopes().empty()) return "-";
  return absl::StrJoin(user.scopes(), ",");
}

// A scope as `user add` confirms it: a kecamatan code says that it covers
// every desa in it, so IT staff see what they granted.
std::string ScopeWithReach(const std::string& scope) {
  absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(scope);
  if (code.ok() && code->level() == sync::RegionLevel::kKecamatan) {
    return absl::StrCat(scope, " (kecamatan: every desa in it)");
  }
  return scope;
}

}  // namespace

// Role names are the proto enum's (admin.proto) in lower case, as the
// server spells them (server/store/user_store.h RoleName).
absl::StatusOr<v1::Role> ParseRole(absl::string_view text) {
  v1::Role role = v1::ROLE_UNSPECIFIED;
  if (text == absl::AsciiStrToLower(text) &&
      v1::Role_Parse(absl::AsciiStrToUpper(text), &role) && role != v1::ROLE_UNSPECIFIED) {
    return role;
  }
  std::vector<std::string> names;
  for (int r = v1::Role_MIN; r <= v1::Role_MAX; ++r) {
    if (r != v1::ROLE_UNSPECIFIED && v1::Role_IsValid(r)) names.push_back(RoleText(v1::Role(r)));
  }
  return absl::InvalidArgumentError(absl::StrCat("--role=", text, " is not a role: use ",
                                                 absl::StrJoin(names, ", ")));
}

std::string RoleText(v1::Role role) {
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) return "unspecified";
  return absl::AsciiStrToLower(v1::Role_Name(role));
}

std::vector<std::string> ParseScopes(absl::string_view text) {
  std::vector<std::string> scopes;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) scopes.emplace_back(item);
  }
  return scopes;
}

std::string FormatUserTable(const v1::ListUsersResponse& users) {
  size_t name_width = 4;  // "NAME"
  size_t role_width = 4;  // "ROLE"
  for (const v1::User& user : users.users()) {
    name_width = std::max(name_width, user.name().size());
    role_width = std::max(role_width, std::string(RoleText(user.role())).size());
  }
  const int nw = static_cast<int>(name_width);
  const int rw = static_cast<int>(role_width);
  std::string out = absl::StrFormat("%-*s  %-*s  %-7s  %s\n", nw, "NAME", rw, "ROLE", "REVOKED",
                                    "SCOPES");
  for (const v1::User& user : users.users()) {
    absl::StrAppendFormat(&out, "%-*s  %-*s  %-7s  %s\n", nw, user.name(), rw,
                          RoleText(user.role()), user.revoked() ? "yes" : "no", ScopesText(user));
  }
  absl::StrAppend(&out, users.users_size(), users.users_size() == 1 ? " user\n" : " users\n");
  return out;
}

std::string FormatUserLine(const v1::User& user) {
  std::string out = absl::StrCat(user.name(), " (", RoleText(user.role()));
  if (!user.scopes().empty()) {
    absl::StrAppend(&out, ", scopes ",
                    absl::StrJoin(user.scopes(), ", ", [](std::string* to, const std::string& s) {
                      absl::StrAppend(to, ScopeWithReach(s));
                    }));
  }
  if (user.revoked()) absl::StrAppend(&out, ", revoked");
  absl::StrAppend(&out, ")");
  return out;
}

std::string FormatNewToken(const v1::User& user, absl::string_view token) {
  return absl::StrCat("token: ", token, "\n",
                      "Note: this token is shown only once; the server keeps only its hash.\n",
                      "Give it to ", user.name(),
                      " over a private channel. If it is lost, run `kawal-admin user rotate ",
                      user.name(), "`.\n");
}

std::string FormatStats(const v1::StatsResponse& stats) {
  std::string out = absl::StrCat("records:      ", stats.records(), "\n");
  // Sorted by collection name: the proto map has no order.
  std::map<std::string, uint64_t> by_collection(stats.records_by_collection().begin(),
                                                stats.records_by_collection().end());
  size_t width = 0;
  for (const auto& [collection, count] : by_collection) width = std::max(width, collection.size());
  for (const auto& [collection, count] : by_collection) {
    absl::StrAppendFormat(&out, "  %-*s  %d\n", static_cast<int>(width), collection, count);
  }
  absl::StrAppend(&out, "scopes:       ", stats.scopes(), " desa with records\n");
  absl::StrAppend(&out, "sequence:     ", stats.sequence(), "\n");
  absl::StrAppend(&out, "disk:         ", FormatBytes(stats.disk_bytes()), "\n");
  absl::StrAppend(&out, "users:        ", stats.users(), "\n");
  absl::StrAppend(&out, "incarnation:  ", stats.incarnation(), "\n");
  if (stats.lineage().empty()) {
    absl::StrAppend(&out, "lineage:      never restored\n");
  } else {
    absl::StrAppend(&out, "lineage:      newest first\n");
    for (const v1::LineageStep& step : stats.lineage()) {
      absl::StrAppend(&out, "  ", step.incarnation(), " restored from ",
                      step.parent_incarnation(), " at sequence ", step.parent_seq(), "\n");
    }
  }
  absl::StrAppend(&out, "server time:  ", FormatTimeMs(stats.server_time_ms()), "\n");
  return out;
}

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return absl::StrCat(bytes, " bytes");
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof(kUnits) / sizeof(kUnits[0])) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s (%d bytes)", value, kUnits[unit], bytes);
}

std::string FormatTimeMs(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return absl::StrCat(ms, " ms");
  char text[32];
  if (std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &utc) == 0) {
    return absl::StrCat(ms, " ms");
  }
  return text;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    // Only a message with unknown Any types fails; ours have none.
    return "{\"error\": \"cannot print as JSON\"}\n";
  }
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  return out;
}

}  // namespace kawal::admin
