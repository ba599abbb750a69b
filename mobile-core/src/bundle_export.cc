#include "bundle_export.h"

#include "kawal/sync/schema.h"
#include "local_store.h"
#include "photo_files.h"

namespace kawal::mobile {

absl::StatusOr<v1::DeviceBundleBody> BuildBundleBody(const DeviceCore& core,
                                                     const device::v1::DeviceState& state,
                                                     bool photos) {
  v1::DeviceBundleBody body;
  body.set_token(state.token());
  body.set_region(state.region());
  v1::BundleSyncState* sync_state = body.mutable_sync_state();
  sync_state->set_cursor(state.cursor());
  sync_state->set_incarnation(state.incarnation());
  *sync_state->mutable_lineage() = state.lineage();
  sync_state->set_schema_version(sync::kSchemaVersion);
  sync_state->set_device_name(state.device_name());
  LocalStore& store = core.store();
  absl::Status failed;
  absl::Status s = store.ForEachPending([&](const device::v1::PendingRecord& pending) {
    absl::StatusOr<sync::RecordState> local =
        store.GetRecord(pending.delta().collection(), pending.delta().id());
    if (!local.ok()) {
      failed = local.status();
      return false;
    }
    v1::RecordDelta* delta = body.add_deltas();
    *delta = pending.delta();
    delta->set_known_seq(local->seq);  // as Pusher sends it
    if (delta->collection() == sync::kConflict) body.set_recovery(true);
    return true;
  });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  if (!photos) return body;
  const PhotoFiles files(PhotosDirOf(store.dir()));
  s = store.ForEachPhotoUpload([&](const device::v1::PhotoUpload& upload) {
    if (upload.uploaded()) return true;
    absl::StatusOr<std::string> bytes = files.ReadAt(upload.sha256(), 0, upload.size());
    if (!bytes.ok()) {
      failed = bytes.status();
      return false;
    }
    v1::BundlePhoto* photo = body.add_photos();
    photo->set_record_id(upload.record_id());
    photo->set_sha256(upload.sha256());
    photo->set_content_type(upload.content_type());
    photo->set_data(*std::move(bytes));
    return true;
  });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  return body;
}

}  // namespace kawal::mobile
