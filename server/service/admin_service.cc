#include "service/admin_service.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/server_tuning.h"
#include "service/call_auth.h"
#include "kawal/common/grpc_status.h"
#include "kawal/sync/region.h"
#include "store/password_hash.h"
#include "store/storage_keys.h"
#include "kawal/common/rocks_status.h"

namespace kawal::server {
namespace {

constexpr char kManageUsers[] = "manage users";
constexpr char kReadStats[] = "read server stats";
using tuning::kKeysBetweenDeadlineChecks;

// The wire form of a stored user: everything but the token hash.
void FillUser(const storage::v1::UserEntry& entry, v1::User* user) {
  user->set_name(entry.name());
  user->set_role(entry.role());
  *user->mutable_scopes() = entry.scopes();
  user->set_revoked(entry.revoked());
  user->set_created_ms(entry.created_ms());
  user->set_token_rotated_ms(entry.token_rotated_ms());
  user->set_has_password(!entry.password_hash().empty());
}

absl::Status Cancelled(const grpc::ServerContext& context) {
  if (!context.IsCancelled()) return absl::OkStatus();
  return absl::DeadlineExceededError("stats scan stopped: the call was cancelled or timed out");
}

// An iterator over the one-byte key family `prefix` (not positioned yet).
// `upper` must outlive the iterator.
std::unique_ptr<rocksdb::Iterator> FamilyIterator(const Database& database, char prefix,
                                                  std::string* upper, rocksdb::Slice* bound) {
  *upper = std::string(1, static_cast<char>(prefix + 1));
  *bound = rocksdb::Slice(*upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = bound;
  options.fill_cache = false;  // a full scan must not evict the working set
  return std::unique_ptr<rocksdb::Iterator>(database.db()->NewIterator(options));
}

// Counts records per collection and in total.
absl::Status CountRecords(const grpc::ServerContext& context, const Database& database,
                          v1::StatsResponse* response) {
  std::string upper;
  rocksdb::Slice bound;
  std::unique_ptr<rocksdb::Iterator> it = FamilyIterator(database, kRecordPrefix, &upper, &bound);
  auto* by_collection = response->mutable_records_by_collection();
  uint64_t total = 0;
  int since_check = 0;
  std::string collection, id;
  for (it->Seek(std::string(1, kRecordPrefix)); it->Valid(); it->Next()) {
    if (++since_check == kKeysBetweenDeadlineChecks) {
      since_check = 0;
      if (absl::Status s = Cancelled(context); !s.ok()) return s;
    }
    absl::string_view key(it->key().data(), it->key().size());
    if (!ParseRecordKey(key, &collection, &id)) continue;  // not a record key
    ++(*by_collection)[collection];
    ++total;
  }
  response->set_records(total);
  return common::FromRocks(it->status(), "counting records");
}

// Counts the distinct scopes of the change index. Index keys are sorted by
// scope, so after each scope it seeks past that scope's entries: the cost
// grows with the number of scopes, not of records.
absl::Status CountScopes(const grpc::ServerContext& context, const Database& database,
                         v1::StatsResponse* response) {
  std::string upper;
  rocksdb::Slice bound;
  std::unique_ptr<rocksdb::Iterator> it = FamilyIterator(database, kIndexPrefix, &upper, &bound);
  uint64_t scopes = 0;
  int since_check = 0;
  std::string scope;
  uint64_t seq = 0;
  it->Seek(std::string(1, kIndexPrefix));
  while (it->Valid()) {
    if (++since_check == kKeysBetweenDeadlineChecks) {
      since_check = 0;
      if (absl::Status s = Cancelled(context); !s.ok()) return s;
    }
    absl::string_view key(it->key().data(), it->key().size());
    if (!ParseIndexKey(key, &scope, &seq)) {
      it->Next();  // not an index key
      continue;
    }
    ++scopes;
    // The first key after every (scope, seq): the scope prefix followed by
    // a byte above any sequence's first byte.
    it->Seek(absl::StrCat(IndexScopePrefix(scope), std::string(9, '\xff')));
  }
  response->set_scopes(scopes);
  return common::FromRocks(it->status(), "counting scopes");
}

}  // namespace

AdminServiceImpl::AdminServiceImpl(Database* database, Sequencer* sequencer, UserStore* users,
                                   sync::Clock* clock)
    : database_(database), sequencer_(sequencer), users_(users), clock_(clock) {}

absl::Status AdminServiceImpl::RequireAdmin(const grpc::ServerContext& context,
                                            const char* what) const {
  return AuthorizeAdmin(context, *shard_, *users_, what);
}

grpc::Status AdminServiceImpl::AddUser(grpc::ServerContext* context,
                                       const v1::AddUserRequest* request,
                                       v1::AddUserResponse* response) {
  return common::ToGrpcStatus(HandleAddUser(context, request, response));
}

absl::Status AdminServiceImpl::HandleAddUser(grpc::ServerContext* context,
                                             const v1::AddUserRequest* request,
                                             v1::AddUserResponse* response) {
  if (absl::Status s = RequireAdmin(*context, kManageUsers); !s.ok()) {
    return s;
  }
  std::vector<std::string> scopes(request->scopes().begin(), request->scopes().end());
  // A shard's users work on its villages only; malformed scopes are left
  // to Add, which names the rule.
  for (const std::string& scope : scopes) {
    if (!sync::RegionCode::Parse(scope).ok()) continue;
    absl::Status s = request->role() == v1::FACILITATOR ? shard_->CheckWrite(scope)
                                                        : shard_->CheckRead(scope);
    if (!s.ok()) return s;
  }
  // A bad password is refused before the user exists.
  if (!request->password().empty()) {
    if (absl::Status s = ValidatePassword(request->password()); !s.ok()) return s;
  }
  auto added = users_->Add(request->name(), request->role(), scopes);
  if (!added.ok()) return added.status();
  if (!request->password().empty()) {
    absl::StatusOr<storage::v1::UserEntry> with_password =
        users_->SetPassword(request->name(), request->password());
    if (!with_password.ok()) return with_password.status();
    added->first = *std::move(with_password);
  }
  FillUser(added->first, response->mutable_user());
  response->set_token(added->second);
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::ListUsers(grpc::ServerContext* context,
                                         const v1::ListUsersRequest* request,
                                         v1::ListUsersResponse* response) {
  return common::ToGrpcStatus(HandleListUsers(context, request, response));
}

absl::Status AdminServiceImpl::HandleListUsers(grpc::ServerContext* context,
                                               const v1::ListUsersRequest* request,
                                               v1::ListUsersResponse* response) {
  (void)request;
  if (absl::Status s = RequireAdmin(*context, kManageUsers); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<storage::v1::UserEntry>> users = users_->List();
  if (!users.ok()) return users.status();
  for (const storage::v1::UserEntry& entry : *users) FillUser(entry, response->add_users());
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::RevokeUser(grpc::ServerContext* context,
                                          const v1::RevokeUserRequest* request,
                                          v1::RevokeUserResponse* response) {
  return common::ToGrpcStatus(HandleRevokeUser(context, request, response));
}

absl::Status AdminServiceImpl::HandleRevokeUser(grpc::ServerContext* context,
                                                const v1::RevokeUserRequest* request,
                                                v1::RevokeUserResponse* response) {
  if (absl::Status s = RequireAdmin(*context, kManageUsers); !s.ok()) {
    return s;
  }
  absl::StatusOr<storage::v1::UserEntry> revoked = users_->Revoke(request->name());
  if (!revoked.ok()) return revoked.status();
  FillUser(*revoked, response->mutable_user());
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::RotateToken(grpc::ServerContext* context,
                                           const v1::RotateTokenRequest* request,
                                           v1::RotateTokenResponse* response) {
  return common::ToGrpcStatus(HandleRotateToken(context, request, response));
}

absl::Status AdminServiceImpl::HandleRotateToken(grpc::ServerContext* context,
                                                 const v1::RotateTokenRequest* request,
                                                 v1::RotateTokenResponse* response) {
  if (absl::Status s = RequireAdmin(*context, kManageUsers); !s.ok()) {
    return s;
  }
  auto rotated = users_->Rotate(request->name());
  if (!rotated.ok()) return rotated.status();
  FillUser(rotated->first, response->mutable_user());
  response->set_token(rotated->second);
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::SetPassword(grpc::ServerContext* context,
                                           const v1::SetPasswordRequest* request,
                                           v1::SetPasswordResponse* response) {
  return common::ToGrpcStatus(HandleSetPassword(context, request, response));
}

absl::Status AdminServiceImpl::HandleSetPassword(grpc::ServerContext* context,
                                                 const v1::SetPasswordRequest* request,
                                                 v1::SetPasswordResponse* response) {
  if (absl::Status s = RequireAdmin(*context, kManageUsers); !s.ok()) return s;
  absl::StatusOr<storage::v1::UserEntry> entry =
      users_->SetPassword(request->name(), request->password());
  if (!entry.ok()) return entry.status();
  FillUser(*entry, response->mutable_user());
  return absl::OkStatus();
}

grpc::Status AdminServiceImpl::Stats(grpc::ServerContext* context,
                                     const v1::StatsRequest* request,
                                     v1::StatsResponse* response) {
  return common::ToGrpcStatus(HandleStats(context, request, response));
}

absl::Status AdminServiceImpl::HandleStats(grpc::ServerContext* context,
                                           const v1::StatsRequest* request,
                                           v1::StatsResponse* response) {
  (void)request;
  if (absl::Status s = RequireAdmin(*context, kReadStats); !s.ok()) {
    return s;
  }
  response->set_sequence(sequencer_->Watermark());
  if (absl::Status s = CountRecords(*context, *database_, response); !s.ok()) {
    return s;
  }
  if (absl::Status s = CountScopes(*context, *database_, response); !s.ok()) {
    return s;
  }
  absl::StatusOr<uint64_t> users = users_->Count();
  if (!users.ok()) return users.status();
  response->set_users(*users);
  response->set_disk_bytes(database_->DiskBytes());
  response->set_incarnation(database_->incarnation());
  *response->mutable_lineage() = database_->lineage().steps();
  response->set_server_time_ms(clock_->CorrectedTimeMs());
  return absl::OkStatus();
}

}  // namespace kawal::server
