// kawal-admin: the command line for IT staff. Manages users and tokens and
// shows server statistics by calling a running kawal-server's AdminService
// with an admin's bearer token.
//
//   kawal-admin [--server=host:port] [--token_file=path] [--tls_ca=ca.pem]
//               COMMAND [ARGS] [COMMAND FLAGS]
//
// Exit status: 0 on success, 1 when a call or a local file fails (one line
// on stderr: "kawal-admin: CODE: message"), 2 for a usage error.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "admin/admin_backup_commands.h"
#include "admin/admin_bundle_commands.h"
#include "admin/admin_client.h"
#include "admin/admin_health.h"
#include "admin/admin_output.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7443", "kawal-server address, host:port");
ABSL_FLAG(std::string, token_file, "",
          "file holding an admin's bearer token (default: $KAWAL_TOKEN_FILE, else "
          "./data/admin.token)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed the server's certificate (default: the system's "
          "CAs). TLS is used for every address that is not loopback, and for loopback "
          "when this is set");
ABSL_FLAG(bool, insecure, false,
          "Plaintext to a non-loopback address (warns each time; only behind a trusted link)");
ABSL_FLAG(int, timeout_s, 30, "deadline of each call, in seconds");
ABSL_FLAG(bool, json, false, "print results as JSON instead of tables");
ABSL_FLAG(std::string, region, "", "optional region code sent as x-kawal-region metadata");
ABSL_FLAG(std::string, name, "", "user add: the new user's name (1..64 of [a-z0-9_.-])");
ABSL_FLAG(std::string, role, "", "user add: facilitator, district_officer or admin");
ABSL_FLAG(std::string, scopes, "",
          "user add: comma-separated scopes (facilitator: kecamatan codes such as "
          "62.10.01, covering every desa in it, or desa codes such as 62.10.01.2001; "
          "district_officer: region prefixes such as 62.10)");
ABSL_FLAG(bool, password_stdin, false,
          "user add: read the user's dashboard (kawal-web) password from the first line of "
          "standard input (never from the command line, where other users could see it)");

namespace kawal::admin {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    R"(manages the users of a kawal-server and reads its statistics.

Usage: kawal-admin [global flags] COMMAND [ARGS] [command flags]

Commands:
  user add --name=NAME --role=ROLE [--scopes=A,B] [--password_stdin]
                       create a user and print its token (shown only once);
                       --password_stdin also sets its dashboard password
  user passwd NAME     set a user's dashboard (kawal-web) password, read from
                       the first line of standard input; its sessions end
  user list            list users: name, role, revoked, scopes
  user revoke NAME     revoke a user; its token stops working at once
  user rotate NAME     give a user a new token; the old one stops working
  stats                records, scopes, sequence, disk size, incarnation
  health               exit 0 when the server's gRPC health service says SERVING,
                       else 1 saying what it answered (needs no token; for
                       container and Kubernetes health checks)
  backup create        take an online backup into the server's --backup_dir
  backup list          backups: id, time, size, last sequence, incarnation
  backup verify ID     check the size and checksum of every file of a backup
  backup purge --keep=N  delete all but the newest N backups
  restore --backup_dir=DIR --backup_id=ID|latest --data_dir=DIR [--force]
                       restore a backup (run on the server machine, with the
                       server stopped; docs/backup.md)
  aggregates verify    recompute every aggregate from the records and report
                       differences (exit 1 if any)
  aggregates rebuild   replace every aggregate with a recomputation
  photo purge SHA256...  delete the stored bytes of these photos (their
                       records stay; nothing else ever deletes photo bytes)
  bundle server-key    print the public server key file (no secret in it) to copy
                       to devices that have never been online (docs/bundles.md)
  bundle import FILE... [--reply_dir=DIR]
                       import devices' bundles (as their own pushes) and write a
                       reply bundle for each, FILE.reply unless --reply_dir; the
                       parts of a split bundle (X.part1of3.bundle ...) go together,
                       with one reply X.bundle.reply

Global flags: --server (default 127.0.0.1:7443), --token_file, --tls_ca, --insecure,
  --timeout_s (default 30), --json, --region.

Example:
  kawal-admin --server=10.0.0.5:7443 user add --name=ana --role=facilitator \
      --scopes=62.10.01.2001,62.10.01.2002
  kawal-admin user add --name=budi --role=facilitator --scopes=62.10.01
      (a Pendamping Desa: every desa of kecamatan 62.10.01, also ones added later))";

// What the command line asks for, checked before anything is sent.
struct Command {
  enum Kind {
    kUserAdd, kUserList, kUserRevoke, kUserRotate, kStats, kAggregatesVerify,
    kAggregatesRebuild, kPhotoPurge, kUserPasswd
  };
  explicit Command(Kind k) : kind(k) {}

  Kind kind;
  std::string name;  // user add, revoke, rotate
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::vector<std::string> scopes;
  std::vector<std::string> photos;  // photo purge: SHA-256s
  bool password_stdin = false;       // user add
};

// The first line of standard input without its line end. A terminal shows
// what is typed; scripts pipe it (printf '%s\n' "$PW" | kawal-admin ...).
absl::StatusOr<std::string> ReadPasswordLine() {
  std::string line;
  int c;
  while ((c = std::getchar()) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return absl::InvalidArgumentError("no password on standard input (one line expected)");
  }
  return line;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "kawal-admin: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  return kExitError;
}

int UsageError(absl::string_view message) {
  std::fprintf(stderr, "kawal-admin: %s\nRun 'kawal-admin --help' for usage.\n",
               std::string(message).c_str());
  return kExitUsage;
}


// `user add`: everything comes from --name, --role and --scopes.
absl::StatusOr<Command> ParseUserAdd(const std::vector<std::string>& args) {
  if (args.size() > 2) {
    return absl::InvalidArgumentError(absl::StrCat("user add takes flags only, not '", args[2],
                                                   "' (use --name=", args[2], ")"));
  }
  Command command{Command::kUserAdd};
  command.name = absl::GetFlag(FLAGS_name);
  if (command.name.empty()) return absl::InvalidArgumentError("user add needs --name=NAME");
  if (absl::GetFlag(FLAGS_role).empty()) {
    return absl::InvalidArgumentError("user add needs --role=facilitator|district_officer|admin");
  }
  absl::StatusOr<v1::Role> role = ParseRole(absl::GetFlag(FLAGS_role));
  if (!role.ok()) return role.status();
  command.role = *role;
  command.scopes = ParseScopes(absl::GetFlag(FLAGS_scopes));
  command.password_stdin = absl::GetFlag(FLAGS_password_stdin);
  if (command.scopes.empty() && command.role != v1::ADMIN) {
    return absl::InvalidArgumentError(absl::StrCat(
        "user add --role=", RoleText(command.role), " needs --scopes=",
        command.role == v1::FACILITATOR ? "KECAMATAN|DESA[,...] (e.g. 62.10.01 or 62.10.01.2001)"
                                        : "PREFIX[,PREFIX...] (e.g. 62.10)"));
  }
  return command;
}

// `user revoke NAME` and `user rotate NAME` (NAME may come as --name).
absl::StatusOr<Command> ParseUserNamed(Command::Kind kind, const std::vector<std::string>& args) {
  const std::string& verb = args[1];
  const std::string name_flag = absl::GetFlag(FLAGS_name);
  if (args.size() > 3) {
    return absl::InvalidArgumentError(absl::StrCat("user ", verb, " takes one NAME"));
  }
  Command command{kind};
  command.name = args.size() == 3 ? args[2] : name_flag;
  if (command.name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("user ", verb, " needs a NAME"));
  }
  if (args.size() == 3 && !name_flag.empty() && name_flag != args[2]) {
    return absl::InvalidArgumentError(
        absl::StrCat("user ", verb, ": NAME ", args[2], " and --name=", name_flag, " differ"));
  }
  return command;
}

// Turns the positional arguments and the command flags into a Command;
// INVALID_ARGUMENT with the usage error otherwise.
absl::StatusOr<Command> ParseCommand(const std::vector<std::string>& args) {
  if (args.empty()) return absl::InvalidArgumentError("missing command (user ... or stats)");
  const bool name_given = !absl::GetFlag(FLAGS_name).empty();
  const bool add_flags_given =
      !absl::GetFlag(FLAGS_role).empty() || !absl::GetFlag(FLAGS_scopes).empty();
  if (args[0] == "stats") {
    if (args.size() > 1) return absl::InvalidArgumentError("stats takes no arguments");
    if (name_given || add_flags_given) {
      return absl::InvalidArgumentError("stats takes no --name, --role or --scopes");
    }
    return Command{Command::kStats};
  }
  if (IsBackupCommand(args)) {
    if (absl::Status s = CheckBackupCommand(args); !s.ok()) return s;
    return Command{Command::kStats};  // placeholder kind: backup commands run separately
  }
  if (IsBundleCommand(args)) {
    if (absl::Status s = CheckBundleCommand(args); !s.ok()) return s;
    return Command{Command::kStats};  // placeholder kind: bundle commands run separately
  }
  if (args[0] == "aggregates") {
    if (args.size() != 2 || (args[1] != "verify" && args[1] != "rebuild")) {
      return absl::InvalidArgumentError("usage: aggregates verify|rebuild");
    }
    return Command{args[1] == "verify" ? Command::kAggregatesVerify : Command::kAggregatesRebuild};
  }
  if (args[0] == "photo") {
    if (args.size() < 3 || args[1] != "purge") {
      return absl::InvalidArgumentError("usage: photo purge SHA256 [SHA256...]");
    }
    Command command{Command::kPhotoPurge};
    command.photos.assign(args.begin() + 2, args.end());
    return command;
  }
  if (args[0] != "user") {
    return absl::InvalidArgumentError(absl::StrCat("unknown command '", args[0], "'"));
  }
  if (args.size() < 2) {
    return absl::InvalidArgumentError("missing user command: add, list, revoke or rotate");
  }
  const std::string& verb = args[1];
  if (verb == "add") return ParseUserAdd(args);
  if (absl::GetFlag(FLAGS_password_stdin)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--password_stdin applies only to 'user add' ('user passwd' always reads standard "
        "input), not 'user ", verb, "'"));
  }
  if (add_flags_given) {
    return absl::InvalidArgumentError(
        absl::StrCat("--role and --scopes apply only to 'user add', not 'user ", verb, "'"));
  }
  if (verb == "list") {
    if (args.size() > 2 || name_given) {
      return absl::InvalidArgumentError("user list takes no arguments");
    }
    return Command{Command::kUserList};
  }
  if (verb == "revoke") return ParseUserNamed(Command::kUserRevoke, args);
  if (verb == "rotate") return ParseUserNamed(Command::kUserRotate, args);
  if (verb == "passwd") return ParseUserNamed(Command::kUserPasswd, args);
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown user command '", verb, "': use add, list, revoke, rotate or passwd"));
}

// --token_file, else $KAWAL_TOKEN_FILE, else ./data/admin.token.
std::string TokenFilePath() {
  std::string path = absl::GetFlag(FLAGS_token_file);
  if (!path.empty()) return path;
  const char* env = std::getenv("KAWAL_TOKEN_FILE");
  if (env != nullptr && env[0] != '\0') return env;
  return "./data/admin.token";
}

absl::StatusOr<ClientOptions> LoadOptions() {
  return client::LoadClientOptions(absl::GetFlag(FLAGS_server), TokenFilePath(),
                                   absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_insecure),
                                   absl::GetFlag(FLAGS_timeout_s),
                                   absl::GetFlag(FLAGS_region));
}

void Print(const std::string& text) { std::fputs(text.c_str(), stdout); }

absl::Status Execute(const Command& command, AdminClient& client, bool json) {
  switch (command.kind) {
    case Command::kUserAdd: {
      v1::AddUserRequest request;
      request.set_name(command.name);
      request.set_role(command.role);
      for (const std::string& scope : command.scopes) request.add_scopes(scope);
      if (command.password_stdin) {
        absl::StatusOr<std::string> password = ReadPasswordLine();
        if (!password.ok()) return password.status();
        request.set_password(*password);
      }
      v1::AddUserResponse response;
      if (absl::Status s = client.AddUser(request, &response); !s.ok()) return s;
      Print(json ? ToJson(response)
                 : absl::StrCat("added user ", FormatUserLine(response.user()), "\n",
                                FormatNewToken(response.user(), response.token())));
      return absl::OkStatus();
    }
    case Command::kUserList: {
      v1::ListUsersResponse response;
      if (absl::Status s = client.ListUsers(&response); !s.ok()) return s;
      Print(json ? ToJson(response) : FormatUserTable(response));
      return absl::OkStatus();
    }
    case Command::kUserRevoke: {
      v1::RevokeUserResponse response;
      if (absl::Status s = client.RevokeUser(command.name, &response); !s.ok()) return s;
      Print(json ? ToJson(response)
                 : absl::StrCat("revoked user ", FormatUserLine(response.user()),
                                "; its token no longer works\n"));
      return absl::OkStatus();
    }
    case Command::kUserRotate: {
      v1::RotateTokenResponse response;
      if (absl::Status s = client.RotateToken(command.name, &response); !s.ok()) return s;
      Print(json ? ToJson(response)
                 : absl::StrCat("new token for ", FormatUserLine(response.user()),
                                "; the old one no longer works\n",
                                FormatNewToken(response.user(), response.token())));
      return absl::OkStatus();
    }
    case Command::kUserPasswd: {
      absl::StatusOr<std::string> password = ReadPasswordLine();
      if (!password.ok()) return password.status();
      v1::SetPasswordResponse response;
      if (absl::Status s = client.SetPassword(command.name, *password, &response); !s.ok()) {
        return s;
      }
      Print(json ? ToJson(response)
                 : absl::StrCat("dashboard password set for ", FormatUserLine(response.user()),
                                "; its open dashboard sessions ended\n"));
      return absl::OkStatus();
    }
    case Command::kStats: {
      v1::StatsResponse response;
      if (absl::Status s = client.Stats(&response); !s.ok()) return s;
      Print(json ? ToJson(response) : FormatStats(response));
      return absl::OkStatus();
    }
    case Command::kAggregatesVerify: {
      v1::VerifyAggregatesResponse response;
      if (absl::Status s = client.VerifyAggregates(&response); !s.ok()) return s;
      std::string text = absl::StrCat("scanned ", response.records_scanned(), " records; ",
                                      response.rows_stored(), " aggregate rows stored, ",
                                      response.rows_expected(), " expected, ",
                                      response.rows_different(), " different\n");
      for (const std::string& d : response.differences()) absl::StrAppend(&text, "  ", d, "\n");
      Print(json ? ToJson(response) : text);
      if (response.rows_different() > 0) {
        return absl::DataLossError(absl::StrCat(response.rows_different(),
                                                " aggregate rows differ from the records; run "
                                                "'kawal-admin aggregates rebuild'"));
      }
      return absl::OkStatus();
    }
    case Command::kPhotoPurge: {
      v1::PurgePhotosResponse response;
      if (absl::Status s = client.PurgePhotos(command.photos, &response); !s.ok()) return s;
      Print(json ? ToJson(response)
                 : absl::StrCat("purged the bytes of ", response.purged(), " of ",
                                command.photos.size(), " photos\n"));
      return absl::OkStatus();
    }
    case Command::kAggregatesRebuild: {
      v1::RebuildAggregatesResponse response;
      if (absl::Status s = client.RebuildAggregates(&response); !s.ok()) return s;
      Print(json ? ToJson(response)
                 : absl::StrCat("rebuilt ", response.rows_written(), " aggregate rows\n"));
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unhandled command");
}

int Main(int argc, char** argv) {
  // gRPC's own log lines would repeat the one error line this tool prints;
  // GRPC_VERBOSITY set by the user still wins.
  setenv("GRPC_VERBOSITY", "NONE", /*overwrite=*/0);
  absl::SetProgramUsageMessage(kUsage);
  // --help lists this file's flags (absl matches the program name otherwise).
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "kawal_admin_main.cc") ||
           absl::EndsWith(path, "admin_backup_commands.cc") ||
           absl::EndsWith(path, "admin_bundle_commands.cc");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  usage_config.version_string = [] { return client::VersionString("kawal-admin"); };
  absl::SetFlagsUsageConfig(usage_config);
  if (std::string error = client::CheckFlagSyntax(argc, argv); !error.empty()) return UsageError(error);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) {
    std::fprintf(stderr, "kawal-admin %s\n", kUsage);
    return kExitUsage;
  }
  if (absl::GetFlag(FLAGS_timeout_s) <= 0) {
    return UsageError(absl::StrCat("--timeout_s must be at least 1, not ",
                                   absl::GetFlag(FLAGS_timeout_s)));
  }
  if (absl::GetFlag(FLAGS_server).empty()) return UsageError("--server must not be empty");
  if (args[0] == "health") {
    if (args.size() > 1) return UsageError("health takes no arguments");
    const std::string server = absl::GetFlag(FLAGS_server);
    absl::StatusOr<common::TransportPlan> transport =
        client::PlanChannel(server, absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_insecure));
    if (!transport.ok()) return Fail(transport.status());
    if (absl::Status s = CheckHealth(server, *transport, absl::GetFlag(FLAGS_timeout_s));
        !s.ok()) {
      return Fail(s);
    }
    std::printf("kawal-server at %s is SERVING\n", server.c_str());
    return 0;
  }
  absl::StatusOr<Command> command = ParseCommand(args);
  if (!command.ok()) return UsageError(command.status().message());

  if (IsLocalCommand(args)) {
    if (absl::Status s = RunRestore(absl::GetFlag(FLAGS_json)); !s.ok()) return Fail(s);
    return 0;
  }
  absl::StatusOr<ClientOptions> options = LoadOptions();
  if (!options.ok()) return Fail(options.status());
  AdminClient client(*options);
  absl::Status done = IsBackupCommand(args)
                          ? RunBackupCommand(args, client, absl::GetFlag(FLAGS_json))
                          : IsBundleCommand(args)
                                ? RunBundleCommand(args, *options)
                                : Execute(*command, client, absl::GetFlag(FLAGS_json));
  if (!done.ok()) return Fail(done);
  return 0;
}

}  // namespace
}  // namespace kawal::admin

int main(int argc, char** argv) { return kawal::admin::Main(argc, argv); }
