// The link of one sync (or photo download) to the server, shared by the
// jobs of that run (Pusher, Puller, PhotoUploader, PhotoDownloader) and
// owned by the SyncSession that orchestrates them: the channel, calls with
// a fresh cancellable context each, retries with backoff, what the
// handshake said (limits, incarnation), and the running report and
// progress.
//
// Thread-safety: used by the thread running the sync; Cancel() may be
// called from any thread.
#ifndef KAWAL_MOBILE_SYNC_LINK_H_
#define KAWAL_MOBILE_SYNC_LINK_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "kawal/common/transport.h"
#include "absl/synchronization/mutex.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/device.h"
#include "kawal/v1/sync.grpc.pb.h"

namespace kawal::mobile {

class DeviceCore;

// True for failures worth another attempt (the link, not the request).
bool Retryable(grpc::StatusCode code);

// The x-kawal-region header of calls: the kabupaten of the first scope,
// else the configured region. It lets a proxy route calls to the right
// shard without reading messages.
std::string RegionOf(const device::v1::DeviceState& state);

class SyncLink {
 public:
  using Call = std::function<grpc::Status(grpc::ClientContext*)>;

  SyncLink(const DeviceCore& core, const SyncOptions& options, ProgressCallback progress);

  // Opens the channel to the configured server: TLS or plaintext as
  // kawal/common/transport.h decides from the stored settings. Fails
  // (nothing dialled) on a bad stored CA or a missing system CA store.
  absl::Status Connect(const device::v1::DeviceState& state);

  // After an UNAVAILABLE call: the first time per sync, connects once with
  // OpenSSL to see whether the configuration (certificate, TLS vs
  // plaintext) rather than the link is at fault. Such a fault comes back as
  // FAILED_PRECONDITION naming it, with a kConnectionProblemPayload; OK
  // means "a link problem, retry".
  absl::Status DiagnoseUnavailable(const char* what, const grpc::Status& status);
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  v1::SyncService::Stub& sync_stub() { return *sync_stub_; }
  const SyncOptions& options() const { return options_; }

  // One attempt of `call` with a fresh context carrying the token, region,
  // deadline and compression; CANCELLED once Cancel() was called.
  grpc::Status CallOnce(const Call& call);
  // Runs `call` until it succeeds, fails with a non-retryable code, runs out
  // of attempts or is cancelled.
  absl::Status Retry(const char* what, const Call& call);
  // Waits the backoff for retry number `attempt` (0-based), counting it in
  // the report; CANCELLED if cancelled meanwhile.
  absl::Status Backoff(int attempt);
  void Cancel();
  bool cancelled() const;

  // What the handshake of this run said.
  void SetHandshake(const v1::HandshakeResponse& handshake);
  const v1::Limits& limits() const { return limits_; }
  // The server unpacks stamp tables in pushes (sync/wire_stamps.h).
  bool server_reads_stamp_tables() const { return server_reads_stamp_tables_; }
  // Gzips the request of `context`'s call when compression is on and the
  // request is big enough for it to pay.
  void CompressRequest(grpc::ClientContext* context, size_t request_bytes) const;
  // True (and remembered, see server_replaced()) when `incarnation`, from a
  // push or pull response, is not the one of the handshake: the server was
  // restored from a backup during the sync. Its answer must not be applied;
  // a new handshake runs the restore recovery and the jobs start over.
  bool ServerReplaced(const std::string& incarnation);
  bool server_replaced() const { return server_replaced_; }
  void clear_server_replaced() { server_replaced_ = false; }

  SyncReport& report() { return report_; }
  SyncProgress& progress() { return progress_; }
  // Sends the progress so far, in `phase`, to the app's callback.
  void Report(const char* phase);

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  const DeviceCore& core_;
  const SyncOptions options_;
  const ProgressCallback progress_callback_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string server_;
  common::TransportPlan transport_;
  bool diagnosed_ = false;  // one TLS diagnosis per sync, at the first UNAVAILABLE
  std::unique_ptr<v1::SyncService::Stub> sync_stub_;
  v1::Limits limits_;
  std::string incarnation_;
  bool server_reads_stamp_tables_ = false;
  bool server_replaced_ = false;
  SyncReport report_;
  SyncProgress progress_;

  mutable absl::Mutex cancel_mu_;
  bool cancelled_ ABSL_GUARDED_BY(cancel_mu_) = false;
  grpc::ClientContext* in_flight_ ABSL_GUARDED_BY(cancel_mu_) = nullptr;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_SYNC_LINK_H_
