// Dashboard passwords and sessions of the UserStore (user_store.h): the
// password is an Argon2id hash in the user entry; a session is a key
// 's' + SHA-256(token) holding the user name and expiry, so the token
// itself never reaches the disk, like a device token.
#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/random_id.h"
#include "kawal/common/rocks_status.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/sha256.h"
#include "rocksdb/write_batch.h"
#include "store/password_hash.h"
#include "store/record_table.h"
#include "store/storage_keys.h"
#include "store/user_entry_load.h"
#include "store/user_store.h"

namespace kawal::server {
namespace {

constexpr char kSessionPrefixText[] = "ks1_";
constexpr size_t kSessionHexDigits = 64;

absl::Status WrongLogin() { return absl::UnauthenticatedError("wrong user name or password"); }
absl::Status UnknownSession() {
  return absl::UnauthenticatedError("unknown, expired or ended session; log in again");
}

bool WellFormedSessionToken(absl::string_view token) {
  return WellFormedToken(token, kSessionPrefixText, kSessionHexDigits);
}

Caller CallerOf(const storage::v1::UserEntry& entry) {
  Caller caller;
  caller.name = entry.name();
  caller.role = entry.role();
  caller.scopes.assign(entry.scopes().begin(), entry.scopes().end());
  return caller;
}

}  // namespace

std::string NewSessionToken() {
  return absl::StrCat(kSessionPrefixText, common::RandomHexId(kSessionHexDigits / 2));
}

bool IsSessionToken(absl::string_view token) { return absl::StartsWith(token, kSessionPrefixText); }

absl::StatusOr<storage::v1::UserEntry> UserStore::SetPassword(const std::string& name,
                                                              absl::string_view password) {
  absl::StatusOr<std::string> hash = HashPassword(password);  // validates; slow, outside the lock
  if (!hash.ok()) return hash.status();
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<storage::v1::UserEntry> entry = LoadUser(*database_, name);
  if (!entry.ok()) return entry.status();
  if (entry->revoked()) {
    return absl::FailedPreconditionError(
        absl::StrCat("user ", name, " is revoked; it cannot get a password"));
  }
  entry->set_password_hash(*hash);
  // Sessions started at or before this instant end (AuthenticateSession).
  entry->set_password_changed_ms(sync::SystemTimeMs());
  rocksdb::Status s = database_->db()->Put(database_->durable(), UserKey(name),
                                           entry->SerializeAsString());
  if (!s.ok()) return common::FromRocks(s, absl::StrCat("setting the password of user ", name));
  return entry;
}

absl::StatusOr<Caller> UserStore::CheckPassword(const std::string& name,
                                                absl::string_view password) const {
  absl::StatusOr<storage::v1::UserEntry> entry = LoadUser(*database_, name);
  if (absl::IsNotFound(entry.status())) {
    // Spend the same time as a real check so timing does not reveal names.
    static const std::string kDummy = HashPassword("not-a-real-password").value_or("");
    (void)VerifyPassword(password, kDummy);
    return WrongLogin();
  }
  if (!entry.ok()) return entry.status();
  if (entry->revoked() || entry->password_hash().empty() ||
      !VerifyPassword(password, entry->password_hash())) {
    return WrongLogin();
  }
  return CallerOf(*entry);
}

absl::StatusOr<std::pair<storage::v1::SessionEntry, std::string>> UserStore::StartSession(
    const std::string& name, int64_t ttl_ms) {
  // Expired sessions are dropped here: a login is rare, and the sessions
  // alive at once are a few per officer, so the scan stays small.
  std::vector<std::string> expired;
  const int64_t now_ms = sync::SystemTimeMs();
  absl::Status scanned = RecordTable(database_).ScanPrefix(
      std::string(1, kSessionPrefix), [&](absl::string_view key, absl::string_view value) {
        storage::v1::SessionEntry entry;
        if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
            entry.expires_ms() <= now_ms) {
          expired.emplace_back(key);
        }
        return absl::OkStatus();
      });
  if (!scanned.ok()) return scanned;
  std::string token = NewSessionToken();
  storage::v1::SessionEntry session;
  session.set_name(name);
  // Strictly after a password change made in the same millisecond.
  session.set_created_ms(sync::SystemTimeMs() + 1);
  session.set_expires_ms(session.created_ms() + ttl_ms);
  rocksdb::WriteBatch batch;
  rocksdb::Status s;
  for (const std::string& key : expired) {
    if (s.ok()) s = batch.Delete(key);
  }
  if (s.ok()) s = batch.Put(SessionKey(sync::Sha256Hex(token)), session.SerializeAsString());
  if (s.ok()) s = database_->db()->Write(database_->durable(), &batch);
  if (!s.ok()) return common::FromRocks(s, absl::StrCat("starting a session of user ", name));
  return std::make_pair(std::move(session), std::move(token));
}

absl::Status UserStore::EndSession(absl::string_view token) {
  token = absl::StripAsciiWhitespace(token);
  if (!WellFormedSessionToken(token)) return UnknownSession();
  rocksdb::Status s =
      database_->db()->Delete(database_->durable(), SessionKey(sync::Sha256Hex(token)));
  if (!s.ok()) return common::FromRocks(s, "ending a session");
  return absl::OkStatus();
}

absl::StatusOr<Caller> UserStore::AuthenticateSession(absl::string_view token) const {
  if (!WellFormedSessionToken(token)) {
    return absl::UnauthenticatedError(absl::StrCat("malformed session token: expected ",
                                                   kSessionPrefixText, " followed by ",
                                                   kSessionHexDigits, " lowercase hex digits"));
  }
  absl::StatusOr<std::optional<std::string>> found =
      RecordTable(database_).Get(SessionKey(sync::Sha256Hex(token)), "looking up a session");
  if (!found.ok()) return found.status();
  if (!found->has_value()) return UnknownSession();
  storage::v1::SessionEntry session;
  if (!session.ParseFromString(**found)) return absl::DataLossError("stored session is corrupt");
  if (sync::SystemTimeMs() >= session.expires_ms()) return UnknownSession();
  absl::StatusOr<storage::v1::UserEntry> entry = LoadUser(*database_, session.name());
  if (absl::IsNotFound(entry.status())) return UnknownSession();
  if (!entry.ok()) return entry.status();
  if (entry->revoked() || entry->password_hash().empty() ||
      session.created_ms() <= entry->password_changed_ms()) {
    return UnknownSession();
  }
  Caller caller = CallerOf(*entry);
  caller.session_expires_ms = session.expires_ms();
  return caller;
}

}  // namespace kawal::server
