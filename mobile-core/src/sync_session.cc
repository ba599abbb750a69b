#include "sync_session.h"

#include <string>

#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "device_core.h"
#include "sync_tuning.h"

namespace kawal::mobile {
namespace {

constexpr char kAppVersion[] = "kawal-mobile-core/0.1.0";

}  // namespace

SyncSession::SyncSession(DeviceCore& core, const SyncOptions& options,
                         const ProgressCallback& progress)
    : core_(core),
      link_(core, options, progress),
      restore_recovery_(core),
      pusher_(core, link_),
      puller_(core, link_),
      photo_uploader_(core, link_, pusher_) {}

absl::Status SyncSession::Handshake() {
  link_.Report("handshake");
  device::v1::DeviceState state = core_.State();
  v1::HandshakeRequest request;
  request.set_device_node(core_.node());
  request.set_device_name(state.device_name());
  request.set_app_version(kAppVersion);
  request.set_schema_version(sync::kSchemaVersion);
  request.set_bundle_public_key(core_.bundle_key().public_key);
  v1::HandshakeResponse response;
  const sync::TimeSource& raw = core_.options().time_source;
  auto device_now = [&] { return raw ? raw() : sync::SystemTimeMs(); };
  int64_t sent_at = 0, received_at = 0;
  absl::Status s = link_.Retry("handshake", [&](grpc::ClientContext* context) {
    request.set_device_time_ms(device_now());
    sent_at = device_now();
    grpc::Status status = link_.sync_stub().Handshake(context, request, &response);
    received_at = device_now();
    return status;
  });
  if (!s.ok()) return s;
  link_.SetHandshake(response);
  // The server's time at our receive instant, estimated from the round trip.
  const int64_t offset = response.server_time_ms() + (received_at - sent_at) / 2 - received_at;
  core_.clock().SetOffsetMs(offset);

  state = core_.State();
  state.set_clock_offset_ms(offset);
  state.set_user(response.user());
  state.set_role(response.role());
  state.clear_scopes();
  for (const auto& scope : response.scopes()) state.add_scopes(scope);
  state.set_region(RegionOf(state));
  // A server too old to have bundle keys leaves what the device knew.
  if (!response.bundle_sign_public_key().empty()) {
    state.set_server_bundle_sign_key(response.bundle_sign_public_key());
    state.set_server_bundle_box_key(response.bundle_box_public_key());
  }
  if (absl::Status saved = core_.SaveState(state); !saved.ok()) return saved;

  if (absl::Status r = restore_recovery_.RestampFutureWrites(
          response.server_time_ms(), response.limits().max_clock_skew_ms());
      !r.ok()) {
    return r;
  }
  if (!state.incarnation().empty() && state.incarnation() != response.incarnation()) {
    link_.report().restore_detected = true;
    absl::StatusOr<uint64_t> repushed = restore_recovery_.Recover(response);
    if (!repushed.ok()) return repushed.status();
    link_.report().repushed_after_restore = *repushed;
  } else if (state.incarnation().empty()) {
    state = core_.State();
    state.set_incarnation(response.incarnation());
    *state.mutable_lineage() = response.lineage();
    if (absl::Status saved = core_.SaveState(state); !saved.ok()) return saved;
  }
  return absl::OkStatus();
}

absl::StatusOr<SyncReport> SyncSession::Run() {
  device::v1::DeviceState state = core_.State();
  if (state.server().empty()) {
    return absl::FailedPreconditionError("no server configured: run init with --server first");
  }
  if (absl::Status connected = link_.Connect(state); !connected.ok()) return connected;

  state.set_last_attempt_ms(core_.clock().CorrectedTimeMs());
  if (absl::Status s = core_.SaveState(state); !s.ok()) return s;

  absl::Status result = Handshake();
  // A server restored from a backup while this sync runs answers with a new
  // incarnation. Its answers are not applied: a rejection from it would be
  // spurious (an edit of a record the backup lacks "misses required
  // fields") and its pull cursor belongs to a database this device has not
  // recovered into yet. A new handshake notices the restore and runs the
  // recovery; push and pull start over. Bounded, for a server restored
  // again and again.
  for (int handshakes = 1; result.ok(); ++handshakes) {
    result = pusher_.PushAll();
    if (result.ok()) result = puller_.PullAll();
    if (!link_.server_replaced() || handshakes >= tuning::kMaxHandshakesPerSync) break;
    link_.clear_server_replaced();
    result = Handshake();
  }
  if (result.ok()) result = photo_uploader_.UploadAll();

  state = core_.State();
  if (result.ok()) {
    state.set_last_sync_ms(core_.clock().CorrectedTimeMs());
    state.clear_last_sync_error();
    link_.Report("done");
  } else {
    state.set_last_sync_error(std::string(result.message()));
  }
  sync::ToProto(core_.clock().Last(), state.mutable_last_stamp());
  if (absl::Status s = core_.SaveState(state); !s.ok() && result.ok()) result = s;
  if (!result.ok()) return result;
  return link_.report();
}

}  // namespace kawal::mobile
