// A thin gRPC client for tests: stubs with the bearer token and a deadline
// on every call, and builders for typical deltas.
//
// Thread-safety: each call creates its own context; stubs are thread-safe.
#ifndef KAWAL_TESTS_SUPPORT_TEST_CLIENT_H_
#define KAWAL_TESTS_SUPPORT_TEST_CLIENT_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"
#include "kawal/v1/admin.grpc.pb.h"
#include "kawal/v1/sync.grpc.pb.h"

namespace kawal::testing {

class ServerProcess;

class TestClient {
 public:
  // Plaintext: the tests' servers listen on loopback.
  TestClient(const std::string& address, std::string token);
  // Over `credentials` (common::CredentialsFor a plan), e.g. a benchmark
  // against a server on another machine.
  TestClient(const std::string& address, std::string token,
             std::shared_ptr<grpc::ChannelCredentials> credentials);

  void set_token(std::string token) { token_ = std::move(token); }
  // Sent as the "x-kawal-region" routing header when not empty.
  void set_region(std::string region) { region_ = std::move(region); }
  // PullAll asks for every record whole (what the server holds, in full).
  void set_whole_records(bool whole) { whole_ = whole; }

  grpc::Status Handshake(const v1::HandshakeRequest& request, v1::HandshakeResponse* response);
  grpc::Status Push(const v1::PushRequest& request, v1::PushResponse* response);
  grpc::Status Pull(const v1::PullRequest& request, v1::PullResponse* response);

  // `password`: the dashboard password (kawal-web), "" for none.
  grpc::Status AddUser(const std::string& name, v1::Role role,
                       const std::vector<std::string>& scopes, std::string* token,
                       const std::string& password = "");
  grpc::Status ListUsers(v1::ListUsersResponse* response);
  grpc::Status RevokeUser(const std::string& name);
  grpc::Status RotateToken(const std::string& name, std::string* token);
  grpc::Status Stats(v1::StatsResponse* response);

  // Pulls every page from an empty cursor (bounded to `max_pages`);
  // returns the records in order received and the final cursor.
  grpc::Status PullAll(uint64_t device_node, const std::vector<std::string>& scopes,
                       std::vector<v1::Record>* records, std::string* cursor,
                       uint32_t max_records = 0, int max_pages = 10000);

  v1::SyncService::Stub* sync() { return sync_.get(); }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }

  // A context with the bearer token, the region header and a 30 s deadline.
  std::unique_ptr<grpc::ClientContext> Context() const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SyncService::Stub> sync_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::string token_;
  std::string region_;
  bool whole_ = false;
};

// The admin token of `server`. A server without one is a (non-fatal) test
// failure here, not a crash, and "" is returned: calls with it then fail
// UNAUTHENTICATED. So helpers that return values may use it too.
std::string AdminTokenOf(const ServerProcess& server);
// A client of `server` with its admin token (as AdminTokenOf).
TestClient AdminClient(const ServerProcess& server);

// A complete, valid activity delta (all required fields), stamped by `clock`.
sync::RecordDelta NewActivity(sync::Clock& clock, const std::string& id, const std::string& scope,
                              const std::string& name = "Jalan usaha tani");
// A delta changing one field of a record, with `base` as what the writer saw.
sync::RecordDelta EditField(sync::Clock& clock, const std::string& collection,
                            const std::string& id, const std::string& scope,
                            const std::string& field, sync::Value value, sync::Stamp base = {});

// The message's bytes in canonical form: plain SerializeAsString writes map
// entries (amounts) in hash order, which differs between two parses of the
// same data; deterministic serialization sorts them.
std::string CanonicalBytes(const google::protobuf::Message& message);

// A PushRequest holding `deltas`, from `device_node`.
v1::PushRequest MakePush(uint64_t device_node, const std::vector<sync::RecordDelta>& deltas);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_TEST_CLIENT_H_
