#include "web/backend.h"

#include <utility>

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "report/report_client.h"

namespace kawal::web {
namespace {

// Records of one desa: a few thousand at most; the page bound keeps a
// broken server from looping us forever.
constexpr int kMaxPullPages = 200;

}  // namespace

Backend::Backend(client::ClientOptions options) : options_(std::move(options)) {
  channel_ = client::NewChannel(options_);
  sessions_ = v1::SessionService::NewStub(channel_);
  reports_ = v1::ReportService::NewStub(channel_);
  sync_ = v1::SyncService::NewStub(channel_);
  photos_ = v1::PhotoService::NewStub(channel_);
}

client::ClientOptions Backend::OptionsFor(const std::string& session,
                                          const std::string& region) const {
  client::ClientOptions options = options_;
  options.token = session;
  // Sharded deployments route by the kabupaten (report::RegionHeader).
  options.region = region.empty() ? options_.region : report::RegionHeader(region);
  return options;
}

absl::Status Backend::Login(const std::string& name, const std::string& password,
                            const std::string& client_address, v1::LoginResponse* response) {
  client::ClientOptions options = OptionsFor("", "");
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  v1::LoginRequest request;
  request.set_name(name);
  request.set_password(password);
  request.set_client_address(client_address);
  return client::FromGrpc(sessions_->Login(&context, request, response), options,
                          "SessionService");
}

absl::Status Backend::Logout(const std::string& session) {
  client::ClientOptions options = OptionsFor(session, "");
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  v1::LogoutResponse response;
  return client::FromGrpc(sessions_->Logout(&context, v1::LogoutRequest(), &response), options,
                          "SessionService");
}

absl::Status Backend::WhoAmI(const std::string& session, v1::WhoAmIResponse* response) {
  client::ClientOptions options = OptionsFor(session, "");
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  return client::FromGrpc(sessions_->WhoAmI(&context, v1::WhoAmIRequest(), response), options,
                          "SessionService");
}

absl::Status Backend::Progress(const std::string& session, const v1::ProgressRequest& request,
                               v1::ProgressResponse* response) {
  client::ClientOptions options = OptionsFor(session, request.region());
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  return client::FromGrpc(reports_->Progress(&context, request, response), options,
                          "ReportService");
}

absl::Status Backend::Freshness(const std::string& session, const v1::FreshnessRequest& request,
                                v1::FreshnessResponse* response) {
  client::ClientOptions options = OptionsFor(session, request.region());
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  return client::FromGrpc(reports_->Freshness(&context, request, response), options,
                          "ReportService");
}

absl::Status Backend::ListConflicts(const std::string& session,
                                    const v1::ListConflictsRequest& request,
                                    v1::ListConflictsResponse* response) {
  client::ClientOptions options = OptionsFor(session, request.region());
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  return client::FromGrpc(reports_->ListConflicts(&context, request, response), options,
                          "ReportService");
}

absl::Status Backend::PullDesa(const std::string& session, const std::string& desa,
                               std::vector<v1::Record>* records) {
  client::ClientOptions options = OptionsFor(session, desa);
  v1::PullRequest request;
  request.add_scopes(desa);
  request.set_whole_records(true);
  for (int page = 0; page < kMaxPullPages; ++page) {
    grpc::ClientContext context;
    client::PrepareCall(options, &context);
    v1::PullResponse response;
    if (absl::Status s = client::FromGrpc(sync_->Pull(&context, request, &response), options);
        !s.ok()) {
      return s;
    }
    for (v1::Record& record : *response.mutable_records()) records->push_back(std::move(record));
    if (!response.has_more()) return absl::OkStatus();
    request.set_cursor(response.cursor());
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("desa ", desa, " holds more records than one page can show"));
}

absl::Status Backend::CheckPhotoReadable(const std::string& session, const std::string& scope,
                                         const std::string& record_id,
                                         const std::string& sha256) {
  client::ClientOptions options = OptionsFor(session, scope);
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  v1::PhotoStatusRequest request;
  v1::PhotoRef* ref = request.add_photos();
  ref->set_record_id(record_id);
  ref->set_sha256(sha256);
  v1::PhotoStatusResponse response;
  return client::FromGrpc(photos_->PhotoStatus(&context, request, &response), options,
                          "PhotoService");
}

absl::Status Backend::DownloadPhoto(const std::string& session, const std::string& scope,
                                    const std::string& record_id, const std::string& sha256,
                                    uint64_t max_bytes, std::string* bytes) {
  client::ClientOptions options = OptionsFor(session, scope);
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  v1::DownloadPhotoRequest request;
  request.mutable_photo()->set_record_id(record_id);
  request.mutable_photo()->set_sha256(sha256);
  std::unique_ptr<grpc::ClientReader<v1::DownloadPhotoResponse>> reader =
      photos_->DownloadPhoto(&context, request);
  v1::DownloadPhotoResponse piece;
  while (reader->Read(&piece)) {
    if (bytes->size() + piece.data().size() > max_bytes) {
      context.TryCancel();
      reader->Finish();
      return absl::ResourceExhaustedError("photo is larger than kawal-web serves");
    }
    bytes->append(piece.data());
  }
  return client::FromGrpc(reader->Finish(), options, "PhotoService");
}

}  // namespace kawal::web
