#include "test_client.h"

#include <chrono>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "server_process.h"

namespace kawal::testing {

TestClient::TestClient(const std::string& address, std::string token)
    : TestClient(address, std::move(token), grpc::InsecureChannelCredentials()) {}

TestClient::TestClient(const std::string& address, std::string token,
                       std::shared_ptr<grpc::ChannelCredentials> credentials)
    : channel_(grpc::CreateChannel(address, std::move(credentials))),
      sync_(v1::SyncService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)),
      token_(std::move(token)) {}

std::string AdminTokenOf(const ServerProcess& server) {
  absl::StatusOr<std::string> token = server.AdminToken();
  EXPECT_TRUE(token.ok()) << "admin token of the server in " << server.data_dir() << ": "
                          << token.status();
  return token.ok() ? *token : std::string();
}

TestClient AdminClient(const ServerProcess& server) {
  return TestClient(server.address(), AdminTokenOf(server));
}

std::unique_ptr<grpc::ClientContext> TestClient::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  if (!region_.empty()) context->AddMetadata("x-kawal-region", region_);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

grpc::Status TestClient::Handshake(const v1::HandshakeRequest& request,
                                   v1::HandshakeResponse* response) {
  return sync_->Handshake(Context().get(), request, response);
}

grpc::Status TestClient::Push(const v1::PushRequest& request, v1::PushResponse* response) {
  return sync_->Push(Context().get(), request, response);
}

grpc::Status TestClient::Pull(const v1::PullRequest& request, v1::PullResponse* response) {
  return sync_->Pull(Context().get(), request, response);
}

grpc::Status TestClient::AddUser(const std::string& name, v1::Role role,
                                 const std::vector<std::string>& scopes, std::string* token,
                                 const std::string& password) {
  v1::AddUserRequest request;
  request.set_name(name);
  request.set_role(role);
  request.set_password(password);
  for (const auto& s : scopes) request.add_scopes(s);
  v1::AddUserResponse response;
  grpc::Status status = admin_->AddUser(Context().get(), request, &response);
  if (token != nullptr) *token = response.token();
  return status;
}

grpc::Status TestClient::ListUsers(v1::ListUsersResponse* response) {
  return admin_->ListUsers(Context().get(), v1::ListUsersRequest(), response);
}

grpc::Status TestClient::RevokeUser(const std::string& name) {
  v1::RevokeUserRequest request;
  request.set_name(name);
  v1::RevokeUserResponse response;
  return admin_->RevokeUser(Context().get(), request, &response);
}

grpc::Status TestClient::RotateToken(const std::string& name, std::string* token) {
  v1::RotateTokenRequest request;
  request.set_name(name);
  v1::RotateTokenResponse response;
  grpc::Status status = admin_->RotateToken(Context().get(), request, &response);
  if (token != nullptr) *token = response.token();
  return status;
}

grpc::Status TestClient::Stats(v1::StatsResponse* response) {
  return admin_->Stats(Context().get(), v1::StatsRequest(), response);
}

grpc::Status TestClient::PullAll(uint64_t device_node, const std::vector<std::string>& scopes,
                                 std::vector<v1::Record>* records, std::string* cursor,
                                 uint32_t max_records, int max_pages) {
  for (int page = 0; page < max_pages; ++page) {
    v1::PullRequest request;
    request.set_device_node(device_node);
    for (const auto& s : scopes) request.add_scopes(s);
    request.set_cursor(*cursor);
    request.set_max_records(max_records);
    request.set_whole_records(whole_);
    v1::PullResponse response;
    grpc::Status status = Pull(request, &response);
    if (!status.ok()) return status;
    for (auto& r : *response.mutable_records()) records->push_back(std::move(r));
    *cursor = response.cursor();
    if (!response.has_more()) return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "too many pages");
}

sync::RecordDelta NewActivity(sync::Clock& clock, const std::string& id, const std::string& scope,
                              const std::string& name) {
  sync::RecordDelta d;
  d.collection = sync::kActivity;
  d.id = id;
  d.scope = scope;
  auto add = [&](const char* field, sync::Value value) {
    d.changes.push_back(sync::FieldChange{field, std::move(value), clock.Now(), {}});
  };
  add("budget", sync::AmountMap{{"DDS", 150000000}, {"ADD", 25000000}});
  add("name", name);
  add("physical_progress_pct", 0.0);
  add("sdg_goals", sync::ScalarList{int64_t{9}, int64_t{1}});
  add("sector", int64_t{2});
  add("status", std::string("planned"));
  add("year", int64_t{2026});
  return d;
}

sync::RecordDelta EditField(sync::Clock& clock, const std::string& collection,
                            const std::string& id, const std::string& scope,
                            const std::string& field, sync::Value value, sync::Stamp base) {
  sync::RecordDelta d;
  d.collection = collection;
  d.id = id;
  d.scope = scope;
  d.changes.push_back(sync::FieldChange{field, std::move(value), clock.Now(), base});
  return d;
}

std::string CanonicalBytes(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

v1::PushRequest MakePush(uint64_t device_node, const std::vector<sync::RecordDelta>& deltas) {
  v1::PushRequest request;
  request.set_device_node(device_node);
  for (const auto& d : deltas) sync::ToProto(d, request.add_deltas());
  return request;
}

}  // namespace kawal::testing
