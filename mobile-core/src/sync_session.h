// One sync run of a Device: handshake -> (restore recovery) -> push pending
// changes in batches -> pull pages, persisting after each batch and page,
// so a cut at any moment loses nothing and repeats at most the batch or
// page in flight; then photos (records first, always). Split by job:
// sync_session.cc (orchestration, handshake, retries), push_step.cc,
// pull_step.cc, restore_recovery.cc, photo_upload_step.cc.
//
// Thread-safety: used by the thread running Device::Sync; Cancel() may be
// called from any thread.
#ifndef KAWAL_MOBILE_SYNC_SESSION_H_
#define KAWAL_MOBILE_SYNC_SESSION_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/device.h"
#include "kawal/v1/photo.grpc.pb.h"
#include "kawal/v1/sync.grpc.pb.h"

namespace kawal::mobile {

// True for failures worth another attempt (the link, not the request).
bool Retryable(grpc::StatusCode code);

class SyncSession {
 public:
  SyncSession(Device* device, const SyncOptions& options, const ProgressCallback& progress);

  absl::StatusOr<SyncReport> Run();
  // Downloads the photo `ref` (of `size` bytes) to `out_path`, resuming
  // from `out_path`.part; verified before it takes its name.
  absl::Status FetchPhoto(const v1::PhotoRef& ref, uint64_t size, const std::string& out_path);
  void Cancel();

 private:
  // Runs `call` (one RPC with a fresh context) until it succeeds, fails
  // with a non-retryable code, runs out of attempts or is cancelled.
  absl::Status Retry(const char* what,
                     const std::function<grpc::Status(grpc::ClientContext*)>& call);
  // One attempt of `call` with a fresh, cancellable context.
  grpc::Status CallOnce(const std::function<grpc::Status(grpc::ClientContext*)>& call);
  // Waits the backoff for retry number `attempt` (0-based); CANCELLED if
  // cancelled meanwhile.
  absl::Status Backoff(int attempt);
  bool cancelled();
  void Connect(const std::string& server);
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  absl::Status Handshake();
  absl::Status RestampFutureWrites(int64_t server_time_ms, int64_t max_skew_ms);
  absl::Status RecoverFromRestore(const v1::HandshakeResponse& response);
  absl::Status PushAll();
  // Pushes up to `max_count` pending records of `keys` starting at `from`
  // (fewer if the message would grow too big); returns how many it took.
  absl::StatusOr<size_t> PushBatch(const std::vector<std::pair<std::string, std::string>>& keys,
                                   size_t from, size_t max_count);
  absl::Status PullAll();
  // True (and sets server_replaced_) when `incarnation`, from a push or pull
  // response, is not the one of this session's handshake.
  bool ServerReplaced(const std::string& incarnation);
  absl::Status PushPhotos();
  // The server's state of each photo (in order), with retries.
  absl::StatusOr<std::vector<v1::PhotoStatusEntry>> PhotoStatuses(
      v1::PhotoService::Stub& stub, const std::vector<device::v1::PhotoUpload>& photos);
  // One bounded upload call of `photo` from `offset`.
  grpc::Status UploadCall(v1::PhotoService::Stub& stub, const device::v1::PhotoUpload& photo,
                          uint64_t offset, v1::UploadPhotoResponse* response);
  absl::Status SavePhoto(const device::v1::PhotoUpload& photo);
  void Report(const char* phase);
  // Persists `state` (under the device's write lock) as the new state.
  absl::Status SaveState(const device::v1::DeviceState& state);
  device::v1::DeviceState State() const;

  Device* const device_;
  const SyncOptions options_;
  const ProgressCallback progress_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SyncService::Stub> stub_;
  v1::Limits limits_;
  // Batch and page sizes adapt to the link: halved after a failed attempt
  // (a link that cuts every few KB still moves one small message at a
  // time), doubled back after a success.
  uint32_t push_batch_ = 0;
  // Bytes of the next push: what the link moved in kPushBatchSeconds on the
  // last batch. A cut loses the batch in flight, so on a slow link a batch
  // of the full message size (minutes at 64 kbit/s) would never get through
  // a link that cuts every 30 s, and even a 200-record batch lost ~14 s of
  // sending per cut (bench/link_bench).
  uint64_t push_bytes_ = 0;
  uint32_t pull_page_ = 0;
  uint32_t pull_bytes_ = 0;
  // Whether the last failed RPC failed for a reason worth retrying.
  bool last_failure_retryable_ = false;
  // The incarnation this session's handshake saw. A push or pull answered
  // by another one means the server was restored from a backup during the
  // sync: the answer is not applied and `server_replaced_` makes Run()
  // handshake again (which runs the restore recovery) and start over.
  std::string session_incarnation_;
  bool server_replaced_ = false;
  uint64_t pulled_bytes_ = 0;  // bytes of pull pages merged so far
  uint64_t photo_bytes_done_ = 0;  // sizes of the photos finished this sync
  SyncProgress state_progress_;
  SyncReport report_;

  std::mutex cancel_mu_;
  std::condition_variable cancel_cv_;
  bool cancelled_ = false;                       // guarded by cancel_mu_
  grpc::ClientContext* in_flight_ = nullptr;     // guarded by cancel_mu_
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_SYNC_SESSION_H_
