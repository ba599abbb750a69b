// The gRPC side of kawal-web: every call goes to kawal-server with the
// browser's session token as the bearer token, so the server checks the
// officer's scope on every page (kawal-web holds no data and no rights of
// its own, and never opens RocksDB).
//
// Thread-safety: a Backend is shared by the HTTP worker threads; each call
// builds its own context on the shared channel.
#ifndef KAWAL_TOOLS_WEB_BACKEND_H_
#define KAWAL_TOOLS_WEB_BACKEND_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/client.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "kawal/v1/report.grpc.pb.h"
#include "kawal/v1/session.grpc.pb.h"
#include "kawal/v1/sync.grpc.pb.h"

namespace kawal::web {

class Backend {
 public:
  // `options` without a token: each call carries the session's.
  explicit Backend(client::ClientOptions options);

  absl::Status Login(const std::string& name, const std::string& password,
                     const std::string& client_address, v1::LoginResponse* response);
  absl::Status Logout(const std::string& session);
  absl::Status WhoAmI(const std::string& session, v1::WhoAmIResponse* response);

  absl::Status Progress(const std::string& session, const v1::ProgressRequest& request,
                        v1::ProgressResponse* response);
  absl::Status Freshness(const std::string& session, const v1::FreshnessRequest& request,
                         v1::FreshnessResponse* response);
  absl::Status ListConflicts(const std::string& session, const v1::ListConflictsRequest& request,
                             v1::ListConflictsResponse* response);
  // Every record of one desa, whole, through SyncService.Pull (the
  // officer's read right; officers' pulls do not count as field syncs).
  absl::Status PullDesa(const std::string& session, const std::string& desa,
                        std::vector<v1::Record>* records);
  // OK when the session may read the photo (PhotoService.PhotoStatus: the
  // record exists, its SHA-256 matches and its scope is the caller's).
  absl::Status CheckPhotoReadable(const std::string& session, const std::string& scope,
                                  const std::string& record_id, const std::string& sha256);
  // The bytes of one photo (at most `max_bytes`).
  absl::Status DownloadPhoto(const std::string& session, const std::string& scope,
                             const std::string& record_id, const std::string& sha256,
                             uint64_t max_bytes, std::string* bytes);

 private:
  client::ClientOptions OptionsFor(const std::string& session, const std::string& region) const;

  const client::ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::SyncService::Stub> sync_;
  std::unique_ptr<v1::PhotoService::Stub> photos_;
};

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_BACKEND_H_
