#include "store/user_store.h"

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/region.h"
#include "kawal/sync/sha256.h"
#include "rocksdb/write_batch.h"
#include "store/record_table.h"
#include "store/user_entry_load.h"
#include "store/storage_keys.h"
#include "kawal/common/random_id.h"
#include "kawal/common/rocks_status.h"

namespace kawal::server {
namespace {

constexpr size_t kMaxNameLength = 64;
// A facilitator holds a handful of villages, an officer a few prefixes; this
// bound only keeps one user entry from growing without limit.
constexpr size_t kMaxScopes = 4096;
constexpr char kTokenPrefixText[] = "kd1_";
constexpr size_t kTokenHexDigits = 64;

// Quotes a caller-supplied value for an error message, cut to a sane length.
std::string Quote(absl::string_view value) {
  constexpr size_t kMaxShown = 80;
  if (value.size() <= kMaxShown) return absl::StrCat("\"", value, "\"");
  return absl::StrCat("\"", value.substr(0, kMaxShown), "...\"");
}

absl::Status ValidateName(absl::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength;
  for (char c : name) {
    if (!ok) break;
    ok = absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.' || c == '-';
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("user name ", Quote(name), " must be 1..",
                                                 kMaxNameLength, " characters of [a-z0-9_.-]"));
}

// A facilitator is assigned villages (Pendamping Lokal Desa: desa codes) or
// whole kecamatan (Pendamping Desa: kecamatan codes). A kecamatan scope is a
// prefix, so a desa added to the region list later is covered without
// touching the user. Wider regions are read by district officers.
absl::Status ValidateFacilitatorScope(absl::string_view scope) {
  absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(scope);
  if (!code.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("facilitator scope ", Quote(scope),
                                                   " is not a region code: ",
                                                   code.status().message()));
  }
  if (code->level() == sync::RegionLevel::kKecamatan ||
      code->level() == sync::RegionLevel::kDesa) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "facilitator scope ", Quote(scope), " is a ", sync::RegionLevelName(code->level()),
      " code; a facilitator is assigned kecamatan codes (PP.KK.CC, Pendamping Desa) or desa "
      "codes (PP.KK.CC.DDDD, Pendamping Lokal Desa); a whole kabupaten or provinsi is read "
      "by a district_officer"));
}

// Checks the scopes for `role` and returns them without duplicates, in the
// order given.
absl::StatusOr<std::vector<std::string>> ValidateScopes(v1::Role role,
                                                        const std::vector<std::string>& scopes) {
  if (role != v1::FACILITATOR && role != v1::DISTRICT_OFFICER && role != v1::ADMIN) {
    return absl::InvalidArgumentError(absl::StrCat(
        "role ", static_cast<int>(role), " is not one of facilitator, district_officer, admin"));
  }
  if (scopes.empty() && role != v1::ADMIN) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", RoleName(role), " needs at least one scope (",
        role == v1::FACILITATOR ? "a kecamatan code such as 62.10.01 or a desa code such as "
                                  "62.10.01.2001"
                                : "a region prefix such as 62.10",
        ")"));
  }
  if (scopes.size() > kMaxScopes) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many scopes: ", scopes.size(), " (at most ", kMaxScopes, ")"));
  }
  std::vector<std::string> out;
  for (const std::string& scope : scopes) {
    if (role == v1::FACILITATOR) {
      if (absl::Status s = ValidateFacilitatorScope(scope); !s.ok()) return s;
    } else {
      absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(scope);
      if (!code.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(RoleName(role), " scope ", Quote(scope),
                                                       " is not a region code: ",
                                                       code.status().message()));
      }
    }
    if (std::find(out.begin(), out.end(), scope) == out.end()) out.push_back(scope);
  }
  return out;
}

absl::Status UnknownToken() { return absl::UnauthenticatedError("unknown or revoked token"); }

}  // namespace

std::string RoleName(v1::Role role) {
  // The one spelling of each role is the proto enum's (admin.proto), lower
  // case; kawal-admin derives its --role values the same way.
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) return "unspecified";
  return absl::AsciiStrToLower(v1::Role_Name(role));
}

bool CanWriteScope(const Caller& caller, absl::string_view scope) {
  switch (caller.role) {
    case v1::ADMIN:
      return sync::ValidateDesaScope(scope).ok();
    case v1::FACILITATOR:
      // Records keep a desa scope; a kecamatan scope covers every desa in it.
      return sync::ValidateDesaScope(scope).ok() &&
             std::any_of(caller.scopes.begin(), caller.scopes.end(),
                         [&](const std::string& own) { return sync::RegionContains(own, scope); });
    default:
      return false;  // officers read only
  }
}

bool CanReadScope(const Caller& caller, absl::string_view code) {
  switch (caller.role) {
    case v1::ADMIN:
      return true;
    case v1::DISTRICT_OFFICER:
      return std::any_of(
          caller.scopes.begin(), caller.scopes.end(),
          [&](const std::string& prefix) { return sync::RegionContains(prefix, code); });
    case v1::FACILITATOR:
      // Inside one of its scopes: its desa, or its kecamatan or a desa in
      // it. Never an enclosing region that also holds others' villages.
      return std::any_of(caller.scopes.begin(), caller.scopes.end(),
                         [&](const std::string& own) { return sync::RegionContains(own, code); });
    default:
      return false;
  }
}

std::string NewToken() { return absl::StrCat(kTokenPrefixText, common::RandomHexId(kTokenHexDigits / 2)); }

UserStore::UserStore(Database* database) : database_(database) {}

absl::StatusOr<std::pair<storage::v1::UserEntry, std::string>> UserStore::Add(
    const std::string& name, v1::Role role, const std::vector<std::string>& scopes) {
  if (absl::Status s = ValidateName(name); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> valid = ValidateScopes(role, scopes);
  if (!valid.ok()) return valid.status();

  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<storage::v1::UserEntry> existing = LoadUser(*database_, name);
  if (existing.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("a user named ", Quote(name), " already exists"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();

  const int64_t now_ms = sync::SystemTimeMs();
  std::string token = NewToken();
  storage::v1::UserEntry entry;
  entry.set_name(name);
  entry.set_role(role);
  for (const std::string& scope : *valid) entry.add_scopes(scope);
  entry.set_token_hash(sync::Sha256Hex(token));
  entry.set_created_ms(now_ms);
  entry.set_token_rotated_ms(now_ms);

  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(UserKey(name), entry.SerializeAsString());
  if (s.ok()) s = batch.Put(TokenKey(entry.token_hash()), name);
  if (s.ok()) s = database_->db()->Write(database_->durable(), &batch);
  if (!s.ok()) return common::FromRocks(s, absl::StrCat("adding user ", name));
  return std::make_pair(std::move(entry), std::move(token));
}

absl::StatusOr<std::vector<storage::v1::UserEntry>> UserStore::List() const {
  std::vector<storage::v1::UserEntry> users;
  const std::string family(1, kUserPrefix);
  absl::Status s = RecordTable(database_).ScanPrefix(family, [&](absl::string_view key,
                                                                 absl::string_view value) {
    storage::v1::UserEntry entry;
    if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(
          absl::StrCat("stored entry of user ", key.substr(1), " is corrupt"));
    }
    users.push_back(std::move(entry));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return users;
}

absl::StatusOr<storage::v1::UserEntry> UserStore::Revoke(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<storage::v1::UserEntry> entry = LoadUser(*database_, name);
  if (!entry.ok()) return entry.status();
  if (entry->revoked() && entry->token_hash().empty()) return entry;  // already revoked

  rocksdb::WriteBatch batch;
  rocksdb::Status s;
  if (!entry->token_hash().empty()) s = batch.Delete(TokenKey(entry->token_hash()));
  entry->set_revoked(true);
  entry->clear_token_hash();
  if (s.ok()) s = batch.Put(UserKey(name), entry->SerializeAsString());
  if (s.ok()) s = database_->db()->Write(database_->durable(), &batch);
  if (!s.ok()) return common::FromRocks(s, absl::StrCat("revoking user ", name));
  return entry;
}

absl::StatusOr<std::pair<storage::v1::UserEntry, std::string>> UserStore::Rotate(
    const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<storage::v1::UserEntry> entry = LoadUser(*database_, name);
  if (!entry.ok()) return entry.status();
  if (entry->revoked()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "user ", name, " is revoked; its token cannot be rotated (add a new user instead)"));
  }

  std::string token = NewToken();
  rocksdb::WriteBatch batch;
  rocksdb::Status s;
  if (!entry->token_hash().empty()) s = batch.Delete(TokenKey(entry->token_hash()));
  entry->set_token_hash(sync::Sha256Hex(token));
  entry->set_token_rotated_ms(sync::SystemTimeMs());
  if (s.ok()) s = batch.Put(TokenKey(entry->token_hash()), name);
  if (s.ok()) s = batch.Put(UserKey(name), entry->SerializeAsString());
  if (s.ok()) s = database_->db()->Write(database_->durable(), &batch);
  if (!s.ok()) return common::FromRocks(s, absl::StrCat("rotating the token of user ", name));
  return std::make_pair(*std::move(entry), std::move(token));
}

absl::StatusOr<Caller> UserStore::Authenticate(absl::string_view token) const {
  token = absl::StripAsciiWhitespace(token);
  if (token.empty()) return absl::UnauthenticatedError("empty bearer token");
  if (IsSessionToken(token)) return AuthenticateSession(token);
  if (!WellFormedToken(token, kTokenPrefixText, kTokenHexDigits)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "malformed token: expected ", kTokenPrefixText, " followed by ", kTokenHexDigits,
        " lowercase hex digits"));
  }
  const std::string hash = sync::Sha256Hex(token);
  absl::StatusOr<std::optional<std::string>> found =
      RecordTable(database_).Get(TokenKey(hash), "looking up a token");
  if (!found.ok()) return found.status();
  if (!found->has_value()) return UnknownToken();
  const std::string& name = **found;

  absl::StatusOr<storage::v1::UserEntry> entry = LoadUser(*database_, name);
  if (absl::IsNotFound(entry.status())) return UnknownToken();  // dangling token key
  if (!entry.ok()) return entry.status();
  if (entry->revoked()) return absl::UnauthenticatedError("token was revoked");
  // A token key left behind by an interrupted change must not outlive the
  // entry's current hash.
  if (entry->token_hash() != hash) return UnknownToken();

  Caller caller;
  caller.name = entry->name();
  caller.role = entry->role();
  caller.scopes.assign(entry->scopes().begin(), entry->scopes().end());
  return caller;
}

absl::StatusOr<uint64_t> UserStore::Count() const {
  uint64_t count = 0;
  const std::string family(1, kUserPrefix);
  absl::Status s = RecordTable(database_).ScanPrefix(family, [&](absl::string_view,
                                                                 absl::string_view) {
    ++count;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return count;
}

bool WellFormedToken(absl::string_view token, absl::string_view prefix, size_t hex_digits) {
  if (token.size() != prefix.size() + hex_digits || !absl::StartsWith(token, prefix)) return false;
  for (char c : token.substr(prefix.size())) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

absl::StatusOr<storage::v1::UserEntry> LoadUser(const Database& database,
                                                absl::string_view name) {
  absl::StatusOr<std::optional<std::string>> value =
      RecordTable(&database).Get(UserKey(name), absl::StrCat("reading user ", name));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return absl::NotFoundError(absl::StrCat("no user named ", Quote(name)));
  storage::v1::UserEntry entry;
  if (!entry.ParseFromString(**value)) {
    return absl::DataLossError(absl::StrCat("stored entry of user ", name, " is corrupt"));
  }
  return entry;
}

}  // namespace kawal::server
