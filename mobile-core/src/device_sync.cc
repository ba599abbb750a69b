// Device::Sync and Device::Cancel: one SyncSession at a time.
#include "kawal/mobile/device.h"
#include "sync_session.h"

namespace kawal::mobile {

absl::StatusOr<SyncReport> Device::Sync(const SyncOptions& options,
                                        const ProgressCallback& progress) {
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  SyncSession session(this, options, progress);
  {
    std::lock_guard<std::mutex> lock(session_mu_);
    session_ = &session;
  }
  absl::StatusOr<SyncReport> report = session.Run();
  std::lock_guard<std::mutex> lock(session_mu_);
  session_ = nullptr;
  return report;
}

void Device::Cancel() {
  std::lock_guard<std::mutex> lock(session_mu_);
  // Only a running sync is cancelled; a later Sync() starts normally.
  if (session_ != nullptr) session_->Cancel();
}

}  // namespace kawal::mobile
