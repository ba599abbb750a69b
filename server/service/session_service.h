// SessionService (proto/kawal/v1/session.proto): dashboard logins for
// kawal-web. Name + password (Argon2id, UserStore) for an 8-hour session
// token; failed attempts are throttled per user and per address
// (LoginThrottle); facilitators are refused.
//
// Thread-safety: handlers run concurrently; UserStore and LoginThrottle are
// thread-safe.
#ifndef KAWAL_SERVER_SERVICE_SESSION_SERVICE_H_
#define KAWAL_SERVER_SERVICE_SESSION_SERVICE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "kawal/v1/session.grpc.pb.h"
#include "service/login_throttle.h"
#include "service/shard_guard.h"
#include "store/user_store.h"

namespace kawal::server {

inline constexpr int64_t kSessionTtlMs = 8LL * 60 * 60 * 1000;

class SessionServiceImpl final : public v1::SessionService::Service {
 public:
  explicit SessionServiceImpl(UserStore* users, LoginThrottleLimits limits = {});
  void SetShardGuard(const ShardGuard* shard) { shard_ = shard; }

  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;

 private:
  absl::Status HandleLogin(grpc::ServerContext* context, const v1::LoginRequest& request,
                           v1::LoginResponse* response);

  UserStore* const users_;
  LoginThrottle throttle_;
  const ShardGuard* shard_ = &ShardGuard::Everything();
};

// The host part of a gRPC peer string ("ipv4:127.0.0.1:5000" -> "127.0.0.1",
// "ipv6:[::1]:5000" -> "::1"); the whole string when it has another shape.
std::string PeerHost(const std::string& peer);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_SESSION_SERVICE_H_
