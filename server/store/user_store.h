// Users, roles, scopes and bearer tokens (docs/architecture.md §5 "Auth").
//
// Tokens are random 256-bit strings shown once; only their SHA-256 is
// stored, under a token key that maps to the user. Revoking or rotating
// deletes the old token key, so the old token fails at once.
//
// Thread-safety: all methods are safe to call concurrently; changes to one
// user are serialized by an internal mutex.
#ifndef KAWAL_SERVER_STORE_USER_STORE_H_
#define KAWAL_SERVER_STORE_USER_STORE_H_

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store/database.h"
#include "kawal/storage/v1/storage.pb.h"
#include "kawal/v1/admin.pb.h"

namespace kawal::server {

// The authenticated caller of an RPC.
struct Caller {
  std::string name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // Facilitators: kecamatan or desa codes. Officers: region prefixes.
  // Admins: empty.
  std::vector<std::string> scopes;
  // Set when the caller came with a dashboard session token (kawal-web).
  int64_t session_expires_ms = 0;
};

// "facilitator", "district_officer", "admin".
std::string RoleName(v1::Role role);

// True when `caller` may write records of desa `scope` (facilitators: a desa
// among or inside their scopes; admins: any; officers: never).
bool CanWriteScope(const Caller& caller, absl::string_view scope);
// True when `caller` may read `code` (any level): facilitators and officers
// when it lies inside one of their scopes, admins everywhere.
bool CanReadScope(const Caller& caller, absl::string_view code);

class UserStore {
 public:
  explicit UserStore(Database* database);

  // Creates a user. INVALID_ARGUMENT for a bad name, role or scope (each
  // scope must be a kecamatan or desa code for a facilitator, any region
  // code for an officer); ALREADY_EXISTS when the name is taken. Returns the entry and
  // the new token.
  absl::StatusOr<std::pair<storage::v1::UserEntry, std::string>> Add(
      const std::string& name, v1::Role role, const std::vector<std::string>& scopes);

  absl::StatusOr<std::vector<storage::v1::UserEntry>> List() const;

  // NOT_FOUND for an unknown user.
  absl::StatusOr<storage::v1::UserEntry> Revoke(const std::string& name);
  absl::StatusOr<std::pair<storage::v1::UserEntry, std::string>> Rotate(const std::string& name);

  // UNAUTHENTICATED (never naming the token) for an unknown, revoked or
  // malformed token. Accepts device tokens ("kd1_") and dashboard session
  // tokens ("ks1_", user_sessions.cc).
  absl::StatusOr<Caller> Authenticate(absl::string_view token) const;

  // --- dashboard passwords and sessions (user_sessions.cc) ---------------

  // Stores the Argon2id hash of `password` and ends the user's sessions
  // (they were started before the change). NOT_FOUND, FAILED_PRECONDITION
  // for a revoked user, INVALID_ARGUMENT for a weak password.
  absl::StatusOr<storage::v1::UserEntry> SetPassword(const std::string& name,
                                                     absl::string_view password);
  // The user when `password` is theirs. UNAUTHENTICATED with one message
  // for an unknown user, a revoked one, one without a password and a wrong
  // password, so the answer does not reveal which names exist.
  absl::StatusOr<Caller> CheckPassword(const std::string& name, absl::string_view password) const;
  // A new session of `name` lasting `ttl_ms`: the entry and its token
  // (shown once; only its SHA-256 is stored, in the key). Deletes the
  // expired sessions of every user in the same write.
  absl::StatusOr<std::pair<storage::v1::SessionEntry, std::string>> StartSession(
      const std::string& name, int64_t ttl_ms);
  // Deletes the session of `token`; OK when it was already gone.
  absl::Status EndSession(absl::string_view token);

  // Number of users.
  absl::StatusOr<uint64_t> Count() const;

 private:
  absl::StatusOr<Caller> AuthenticateSession(absl::string_view token) const;

  Database* const database_;
  std::mutex mu_;  // serializes Add/Revoke/Rotate
};

// A new random token: "kd1_" followed by 64 hex digits.
std::string NewToken();
// A new random dashboard session token: "ks1_" followed by 64 hex digits.
std::string NewSessionToken();
// True when `token` starts like a session token.
bool IsSessionToken(absl::string_view token);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_USER_STORE_H_
