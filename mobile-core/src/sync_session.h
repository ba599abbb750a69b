// One sync run of a Device, the orchestrator of its jobs (LiteCore's
// Replicator): handshake (clock offset, scopes, and RestoreRecovery when the
// server was restored or the device clock ran ahead) -> Pusher -> Puller,
// again from the handshake if the server was restored meanwhile -> then
// PhotoUploader (records first, always). Each job persists after each batch
// or page, so a cut at any moment loses nothing and repeats at most what
// was in flight. The jobs share the run's SyncLink (calls, retries with
// backoff, progress and report).
//
// Thread-safety: used by the thread running Device::Sync; link().Cancel()
// may be called from any thread.
#ifndef KAWAL_MOBILE_SYNC_SESSION_H_
#define KAWAL_MOBILE_SYNC_SESSION_H_

#include "absl/status/statusor.h"
#include "kawal/mobile/device.h"
#include "photo_uploader.h"
#include "puller.h"
#include "pusher.h"
#include "restore_recovery.h"
#include "sync_link.h"

namespace kawal::mobile {

class DeviceCore;

class SyncSession {
 public:
  // `core` outlives the session.
  SyncSession(DeviceCore& core, const SyncOptions& options, const ProgressCallback& progress);

  absl::StatusOr<SyncReport> Run();
  SyncLink& link() { return link_; }

 private:
  absl::Status Handshake();

  DeviceCore& core_;
  SyncLink link_;
  RestoreRecovery restore_recovery_;
  Pusher pusher_;
  Puller puller_;
  PhotoUploader photo_uploader_;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_SYNC_SESSION_H_
