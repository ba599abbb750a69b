#include "sync_session.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "kawal/common/grpc_status.h"
#include "local_store.h"

namespace kawal::mobile {
namespace {

constexpr char kAppVersion[] = "kawal-mobile-core/0.1.0";

}  // namespace

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

namespace {

// The kabupaten of the first scope: the x-kawal-region header that lets a
// proxy route calls to the right shard without reading messages.
std::string RegionOf(const device::v1::DeviceState& state) {
  for (const std::string& scope : state.scopes()) {
    std::string kabupaten = sync::KabupatenOf(scope);
    if (!kabupaten.empty()) return kabupaten;
  }
  return state.region();
}

}  // namespace

SyncSession::SyncSession(Device* device, const SyncOptions& options,
                         const ProgressCallback& progress)
    : device_(device), options_(options), progress_(progress) {}

device::v1::DeviceState SyncSession::State() const {
  std::lock_guard<std::mutex> lock(device_->write_mu_);
  return *device_->state_;
}

absl::Status SyncSession::SaveState(const device::v1::DeviceState& state) {
  std::lock_guard<std::mutex> lock(device_->write_mu_);
  LocalStore::Batch batch;
  batch.PutState(state);
  if (absl::Status s = device_->store_->Commit(batch); !s.ok()) return s;
  *device_->state_ = state;
  return absl::OkStatus();
}

void SyncSession::Report(const char* phase) {
  state_progress_.phase = phase;
  state_progress_.bytes_sent = report_.bytes_sent;
  state_progress_.bytes_received = report_.bytes_received;
  state_progress_.attempt = report_.retries;
  if (progress_) progress_(state_progress_);
}

std::unique_ptr<grpc::ClientContext> SyncSession::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  device::v1::DeviceState state = State();
  context->AddMetadata("authorization", "Bearer " + state.token());
  std::string region = RegionOf(state);
  if (!region.empty()) context->AddMetadata("x-kawal-region", region);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(options_.rpc_timeout_ms));
  if (options_.gzip) {
    // Requests compressed here; the header asks the server to compress its
    // responses too (pull pages are most of what a slow link carries).
    context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
    context->AddMetadata("x-kawal-gzip", "1");
  }
  return context;
}

void SyncSession::Cancel() {
  std::lock_guard<std::mutex> lock(cancel_mu_);
  cancelled_ = true;
  if (in_flight_ != nullptr) in_flight_->TryCancel();
  cancel_cv_.notify_all();
}

bool SyncSession::cancelled() {
  std::lock_guard<std::mutex> lock(cancel_mu_);
  return cancelled_;
}

grpc::Status SyncSession::CallOnce(
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  std::unique_ptr<grpc::ClientContext> context = NewContext();
  {
    std::lock_guard<std::mutex> lock(cancel_mu_);
    if (cancelled_) return grpc::Status(grpc::StatusCode::CANCELLED, "sync cancelled");
    in_flight_ = context.get();
  }
  grpc::Status status = call(context.get());
  std::lock_guard<std::mutex> lock(cancel_mu_);
  in_flight_ = nullptr;
  if (cancelled_) return grpc::Status(grpc::StatusCode::CANCELLED, "sync cancelled");
  return status;
}

absl::Status SyncSession::Backoff(int attempt) {
  ++report_.retries;
  Report(state_progress_.phase.empty() ? "retry" : state_progress_.phase.c_str());
  // Exponential backoff with jitter in [delay/2, delay], capped.
  static thread_local std::mt19937_64 rng(std::random_device{}());
  int64_t delay = std::min<int64_t>(options_.backoff_cap_ms,
                                    options_.backoff_base_ms << std::min(attempt, 20));
  std::uniform_int_distribution<int64_t> jitter(delay / 2, std::max<int64_t>(delay, 1));
  std::unique_lock<std::mutex> lock(cancel_mu_);
  cancel_cv_.wait_for(lock, std::chrono::milliseconds(jitter(rng)), [&] { return cancelled_; });
  if (cancelled_) return absl::CancelledError("sync cancelled");
  return absl::OkStatus();
}

absl::Status SyncSession::Retry(const char* what,
                                const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  for (int attempt = 0;; ++attempt) {
    grpc::Status status = CallOnce(call);
    if (status.ok()) return absl::OkStatus();
    if (status.error_code() == grpc::StatusCode::CANCELLED && cancelled()) {
      return absl::CancelledError("sync cancelled");
    }
    if (!Retryable(status.error_code()) || attempt + 1 >= options_.max_attempts) {
      return common::FromGrpcStatus(status, what);
    }
    if (absl::Status s = Backoff(attempt); !s.ok()) return s;
  }
}

absl::Status SyncSession::Handshake() {
  Report("handshake");
  device::v1::DeviceState state = State();
  v1::HandshakeRequest request;
  request.set_device_node(device_->node_);
  request.set_device_name(state.device_name());
  request.set_app_version(kAppVersion);
  request.set_schema_version(sync::kSchemaVersion);
  v1::HandshakeResponse response;
  const sync::TimeSource& raw = device_->options_.time_source;
  auto device_now = [&] { return raw ? raw() : sync::SystemTimeMs(); };
  int64_t sent_at = 0, received_at = 0;
  absl::Status s = Retry("handshake", [&](grpc::ClientContext* context) {
    request.set_device_time_ms(device_now());
    sent_at = device_now();
    grpc::Status status = stub_->Handshake(context, request, &response);
    received_at = device_now();
    return status;
  });
  if (!s.ok()) return s;
  limits_ = response.limits();
  session_incarnation_ = response.incarnation();
  // The server's time at our receive instant, estimated from the round trip.
  const int64_t offset = response.server_time_ms() + (received_at - sent_at) / 2 - received_at;
  device_->clock_->SetOffsetMs(offset);

  state = State();
  state.set_clock_offset_ms(offset);
  state.set_user(response.user());
  state.set_role(response.role());
  state.clear_scopes();
  for (const auto& scope : response.scopes()) state.add_scopes(scope);
  state.set_region(RegionOf(state));
  if (absl::Status saved = SaveState(state); !saved.ok()) return saved;

  if (absl::Status r = RestampFutureWrites(response.server_time_ms(), limits_.max_clock_skew_ms());
      !r.ok()) {
    return r;
  }
  if (!state.incarnation().empty() && state.incarnation() != response.incarnation()) {
    report_.restore_detected = true;
    if (absl::Status r = RecoverFromRestore(response); !r.ok()) return r;
  } else if (state.incarnation().empty()) {
    state = State();
    state.set_incarnation(response.incarnation());
    *state.mutable_lineage() = response.lineage();
    if (absl::Status saved = SaveState(state); !saved.ok()) return saved;
  }
  return absl::OkStatus();
}

bool SyncSession::ServerReplaced(const std::string& incarnation) {
  if (incarnation.empty() || incarnation == session_incarnation_) return false;
  server_replaced_ = true;
  last_failure_retryable_ = false;  // not by retrying the same call: by a new handshake
  return true;
}

void SyncSession::Connect(const std::string& server) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  // gRPC uses this "minimum backoff" as the connect timeout: a connection
  // must deliver the server's SETTINGS within it. At 100 ms every attempt
  // over a 600 ms round trip timed out until the backoff grew past it
  // (bench/link_bench: five failed connects per sync); 20 s is gRPC's own
  // default, and a refused or reset connection still fails at once.
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20000);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  args.SetMaxReceiveMessageSize(64 << 20);
  channel_ = grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), args);
  stub_ = v1::SyncService::NewStub(channel_);
}

absl::StatusOr<SyncReport> SyncSession::Run() {
  device::v1::DeviceState state = State();
  if (state.server().empty()) {
    return absl::FailedPreconditionError("no server configured: run init with --server first");
  }
  Connect(state.server());

  push_batch_ = std::max<uint32_t>(1, options_.push_batch);
  pull_page_ = std::max<uint32_t>(1, options_.pull_page);
  pull_bytes_ = 1 << 20;
  state.set_last_attempt_ms(device_->clock_->CorrectedTimeMs());
  if (absl::Status s = SaveState(state); !s.ok()) return s;

  absl::Status result = Handshake();
  // A server restored from a backup while this sync runs answers with a new
  // incarnation. Its answers are not applied: a rejection from it would be
  // spurious (an edit of a record the backup lacks "misses required
  // fields") and its pull cursor belongs to a database this device has not
  // recovered into yet. A new handshake notices the restore and runs the
  // recovery; push and pull start over. Bounded, for a server restored
  // again and again.
  for (int handshakes = 1; result.ok(); ++handshakes) {
    result = PushAll();
    if (result.ok()) result = PullAll();
    if (!server_replaced_ || handshakes >= 4) break;
    server_replaced_ = false;
    result = Handshake();
  }
  if (result.ok()) result = PushPhotos();

  state = State();
  if (result.ok()) {
    state.set_last_sync_ms(device_->clock_->CorrectedTimeMs());
    state.clear_last_sync_error();
    Report("done");
  } else {
    state.set_last_sync_error(std::string(result.message()));
  }
  sync::ToProto(device_->clock_->Last(), state.mutable_last_stamp());
  if (absl::Status s = SaveState(state); !s.ok() && result.ok()) result = s;
  if (!result.ok()) return result;
  return report_;
}

}  // namespace kawal::mobile
