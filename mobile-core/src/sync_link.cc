#include "sync_link.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "kawal/common/grpc_status.h"
#include "kawal/common/tls_diagnosis.h"
#include "kawal/sync/region.h"
#include "device_core.h"
#include "sync_tuning.h"

namespace kawal::mobile {

bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::INTERNAL:  // a connection reset mid-message
    case grpc::StatusCode::UNKNOWN:
      return true;
    default:
      return false;
  }
}

std::string RegionOf(const device::v1::DeviceState& state) {
  for (const std::string& scope : state.scopes()) {
    std::string kabupaten = sync::KabupatenOf(scope);
    if (!kabupaten.empty()) return kabupaten;
  }
  return state.region();
}

SyncLink::SyncLink(const DeviceCore& core, const SyncOptions& options, ProgressCallback progress)
    : core_(core), options_(options), progress_callback_(std::move(progress)) {}

absl::Status SyncLink::Connect(const device::v1::DeviceState& state) {
  common::TransportOptions transport;
  transport.tls_ca_pem = state.tls_ca_pem();
  transport.insecure = state.insecure();
  absl::StatusOr<common::TransportPlan> plan = common::PlanTransport(state.server(), transport);
  if (!plan.ok()) return plan.status();
  transport_ = *std::move(plan);
  server_ = state.server();
  const std::string& server = server_;
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, tuning::kInitialReconnectBackoffMs);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, tuning::kMinReconnectBackoffMs);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, tuning::kMaxReconnectBackoffMs);
  args.SetMaxReceiveMessageSize(tuning::kMaxReceiveMessageBytes);
  channel_ = grpc::CreateCustomChannel(server, common::CredentialsFor(transport_), args);
  sync_stub_ = v1::SyncService::NewStub(channel_);
  return absl::OkStatus();
}

absl::Status SyncLink::DiagnoseUnavailable(const char* what, const grpc::Status& status) {
  if (diagnosed_) return absl::OkStatus();
  diagnosed_ = true;
  const common::ConnectionDiagnosis diagnosis = common::DiagnoseConnection(
      server_, transport_.use_tls, transport_.ca_pem, tuning::kTlsDiagnosisTimeout);
  switch (diagnosis.problem) {
    case common::ConnectionProblem::kNone:
    case common::ConnectionProblem::kUnreachable:
    case common::ConnectionProblem::kOther:
      return absl::OkStatus();  // the link, not the configuration: retry
    default:
      break;
  }
  // A certificate or TLS/plaintext mismatch does not heal by retrying.
  absl::Status failed = absl::FailedPreconditionError(absl::StrCat(
      what, ": ", common::DescribeConnectionProblem(diagnosis), " [", status.error_message(),
      "]"));
  failed.SetPayload(kConnectionProblemPayload,
                    absl::Cord(common::ConnectionProblemName(diagnosis.problem)));
  return failed;
}

std::unique_ptr<grpc::ClientContext> SyncLink::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  device::v1::DeviceState state = core_.State();
  context->AddMetadata("authorization", "Bearer " + state.token());
  std::string region = RegionOf(state);
  if (!region.empty()) context->AddMetadata("x-kawal-region", region);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(options_.rpc_timeout_ms));
  if (options_.gzip) {
    // Asks the server to compress its responses when they are big enough
    // to pay (pull pages are most of what a slow link carries); requests
    // are compressed per call (CompressRequest): photos, already JPEG, not.
    context->AddMetadata("x-kawal-gzip", "1");
  }
  return context;
}

void SyncLink::Cancel() {
  absl::MutexLock lock(&cancel_mu_);
  cancelled_ = true;
  if (in_flight_ != nullptr) in_flight_->TryCancel();
}

bool SyncLink::cancelled() const {
  absl::MutexLock lock(&cancel_mu_);
  return cancelled_;
}

grpc::Status SyncLink::CallOnce(const Call& call) {
  std::unique_ptr<grpc::ClientContext> context = NewContext();
  {
    absl::MutexLock lock(&cancel_mu_);
    if (cancelled_) return grpc::Status(grpc::StatusCode::CANCELLED, "sync cancelled");
    in_flight_ = context.get();
  }
  grpc::Status status = call(context.get());
  absl::MutexLock lock(&cancel_mu_);
  in_flight_ = nullptr;
  if (cancelled_) return grpc::Status(grpc::StatusCode::CANCELLED, "sync cancelled");
  return status;
}

absl::Status SyncLink::Backoff(int attempt) {
  ++report_.retries;
  Report(progress_.phase.empty() ? "retry" : progress_.phase.c_str());
  // Exponential backoff with jitter in [delay/2, delay], capped.
  static thread_local std::mt19937_64 rng(std::random_device{}());
  int64_t delay = std::min<int64_t>(
      options_.backoff_cap_ms,
      options_.backoff_base_ms << std::min(attempt, tuning::kMaxBackoffDoublings));
  std::uniform_int_distribution<int64_t> jitter(delay / 2, std::max<int64_t>(delay, 1));
  absl::MutexLock lock(&cancel_mu_);
  // Wakes early when Cancel() sets cancelled_.
  cancel_mu_.AwaitWithTimeout(absl::Condition(&cancelled_), absl::Milliseconds(jitter(rng)));
  if (cancelled_) return absl::CancelledError("sync cancelled");
  return absl::OkStatus();
}

absl::Status SyncLink::Retry(const char* what, const Call& call) {
  for (int attempt = 0;; ++attempt) {
    grpc::Status status = CallOnce(call);
    if (status.ok()) return absl::OkStatus();
    if (status.error_code() == grpc::StatusCode::CANCELLED && cancelled()) {
      return absl::CancelledError("sync cancelled");
    }
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      if (absl::Status s = DiagnoseUnavailable(what, status); !s.ok()) return s;
    }
    if (!Retryable(status.error_code()) || attempt + 1 >= options_.max_attempts) {
      return common::FromGrpcStatus(status, what);
    }
    if (absl::Status s = Backoff(attempt); !s.ok()) return s;
  }
}

void SyncLink::SetHandshake(const v1::HandshakeResponse& handshake) {
  limits_ = handshake.limits();
  incarnation_ = handshake.incarnation();
  server_reads_stamp_tables_ = handshake.reads_stamp_tables();
}

void SyncLink::CompressRequest(grpc::ClientContext* context, size_t request_bytes) const {
  if (options_.gzip && request_bytes >= tuning::kCompressMinBytes) {
    context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
  }
}

bool SyncLink::ServerReplaced(const std::string& incarnation) {
  if (incarnation.empty() || incarnation == incarnation_) return false;
  server_replaced_ = true;
  return true;
}

void SyncLink::Report(const char* phase) {
  progress_.phase = phase;
  progress_.bytes_sent = report_.bytes_sent;
  progress_.bytes_received = report_.bytes_received;
  progress_.attempt = report_.retries;
  if (progress_callback_) progress_callback_(progress_);
}

}  // namespace kawal::mobile
