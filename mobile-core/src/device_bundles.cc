// Device's sync bundle API (docs/bundles.md): the keys it trusts and holds,
// and exporting a bundle.
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "bundle_export.h"
#include "kawal/sync/wire_stamps.h"
#include "kawal/sync/codec.h"
#include "local_store.h"
#include "puller.h"
#include "pusher.h"
#include "restore_recovery.h"
#include "sync_link.h"
#include "device_core.h"
#include "kawal/common/bundle_file.h"
#include "kawal/common/bundle_parts.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/mobile/device.h"

namespace kawal::mobile {

absl::Status Device::TrustServerBundleKey(const std::string& key_file_text) {
  absl::StatusOr<common::ServerPublicKeys> keys = common::ParseServerPublicKeys(key_file_text);
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&core_->write_mu());
  device::v1::DeviceState next = core_->state();
  next.set_server_bundle_sign_key(keys->sign_public_key);
  next.set_server_bundle_box_key(keys->box_public_key);
  LocalStore::Batch batch;
  return core_->CommitWithState(batch, next);
}

absl::StatusOr<std::string> Device::ServerBundleKey() const {
  const device::v1::DeviceState state = core_->State();
  if (state.server_bundle_sign_key().empty()) {
    return absl::NotFoundError(
        "this device does not know the server's bundle key yet: sync once, or give the "
        "public server key file (kawal-admin bundle server-key)");
  }
  return common::FormatServerPublicKeys(
      {state.server_bundle_sign_key(), state.server_bundle_box_key()});
}

std::string Device::BundlePublicKeyHex() const {
  return absl::BytesToHexString(core_->bundle_key().public_key);
}

absl::StatusOr<BundleExport> Device::ExportBundle(const BundleExportOptions& options) const {
  const device::v1::DeviceState state = core_->State();
  if (state.token().empty()) {
    return absl::FailedPreconditionError("this device has no token yet: run init first");
  }
  if (state.server_bundle_box_key().empty()) {
    return absl::FailedPreconditionError(ServerBundleKey().status().message());
  }
  absl::StatusOr<v1::DeviceBundleBody> body = BuildBundleBody(*core_, state, options.photos);
  if (!body.ok()) return body.status();
  v1::BundleHeader header;
  header.set_kind(v1::DEVICE_EXPORT);
  header.set_device_node(core_->node());
  header.set_user(state.user());
  header.set_created_ms(core_->clock().CorrectedTimeMs());
  const std::string bytes = common::SerializeBundleBody(*body);
  const uint64_t max_bytes = options.max_bytes == 0 ? UINT64_MAX : options.max_bytes;
  absl::StatusOr<std::vector<std::string>> files = common::WriteBundleParts(
      header, bytes, core_->bundle_key(), state.server_bundle_box_key(), max_bytes);
  if (!files.ok()) return files.status();
  BundleExport out;
  out.files = *std::move(files);
  for (const std::string& file : out.files) out.bytes += file.size();
  out.bundle_id = absl::BytesToHexString(common::BundleIdOf(bytes));
  out.deltas = body->deltas_size();
  out.photos = body->photos_size();
  for (const v1::BundlePhoto& photo : body->photos()) out.photo_bytes += photo.data().size();
  return out;
}

namespace {

// The opened body of a reply bundle for this device from its server.
absl::StatusOr<v1::ReplyBundleBody> OpenReply(const DeviceCore& core,
                                              const device::v1::DeviceState& state,
                                              const std::string& file) {
  absl::StatusOr<common::VerifiedBundle> bundle = common::ReadBundle(file);
  if (!bundle.ok()) return bundle.status();
  const v1::BundleHeader& header = bundle->header;
  if (header.kind() != v1::SERVER_REPLY) {
    return absl::InvalidArgumentError(
        "this is not a reply bundle (a device's own bundle is imported at the office: "
        "kawal-admin bundle import)");
  }
  if (state.server_bundle_sign_key().empty() ||
      header.signer_public_key() != state.server_bundle_sign_key()) {
    return absl::PermissionDeniedError(
        "the reply is not signed by this device's server; nothing was changed");
  }
  if (header.device_node() != core.node()) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "the reply is for another device (%016x, this is %016x); nothing was changed",
        header.device_node(), core.node()));
  }
  absl::StatusOr<common::BoxKeyPair> box = common::BoxKeyPairOf(core.bundle_key());
  if (!box.ok()) return box.status();
  absl::StatusOr<std::string> opened = common::OpenBundleBody(*bundle, *box);
  if (!opened.ok()) return opened.status();
  v1::ReplyBundleBody body;
  if (!body.ParseFromString(*opened)) {
    return absl::InvalidArgumentError("the reply's content cannot be read");
  }
  if (body.pushed_deltas_size() != body.push().results_size()) {
    return absl::DataLossError("the reply's results do not match its changes");
  }
  return body;
}

// How the reply's server relates to the one this device last synced with,
// decided as a network handshake decides.
enum class ReplyServer {
  kKnown,     // the same incarnation, or the device's first contact
  kRestored,  // another incarnation: restored since (or unrelated)
  kOutdated,  // an incarnation this device has seen restored already
};

ReplyServer ReplyServerOf(const device::v1::DeviceState& state,
                          const v1::HandshakeResponse& handshake) {
  if (state.incarnation().empty() || state.incarnation() == handshake.incarnation()) {
    return ReplyServer::kKnown;
  }
  if (LineageLeads(handshake.incarnation(), state.incarnation(), state.lineage())) {
    return ReplyServer::kOutdated;
  }
  return ReplyServer::kRestored;
}

// Learns from the reply's handshake what a first handshake tells a device
// that has never been online: its user, role, villages and the server's
// incarnation.
absl::Status AdoptHandshake(DeviceCore& core, const v1::HandshakeResponse& handshake) {
  absl::MutexLock lock(&core.write_mu());
  device::v1::DeviceState next = core.state();
  next.set_incarnation(handshake.incarnation());
  *next.mutable_lineage() = handshake.lineage();
  next.set_user(handshake.user());
  next.set_role(handshake.role());
  next.clear_scopes();
  for (const std::string& scope : handshake.scopes()) next.add_scopes(scope);
  next.set_region(RegionOf(next));
  LocalStore::Batch batch;
  return core.CommitWithState(batch, next);
}

// The push results a restored server's reply may apply: its refusals are
// not judgements (an edit of a record the backup lacks "misses required
// fields"), so those changes stay pending and go again, with the records
// the recovery queued, by the next bundle or sync.
void DropRefusals(std::vector<sync::RecordDelta>& pushed, v1::PushResponse& push,
                  BundleReplyReport& report) {
  std::vector<sync::RecordDelta> kept;
  v1::PushResponse applied = push;
  applied.clear_results();
  for (int i = 0; i < push.results_size(); ++i) {
    if (!push.results(i).applied()) {
      ++report.kept_pending;
      continue;
    }
    *applied.add_results() = push.results(i);
    kept.push_back(std::move(pushed[i]));
  }
  pushed = std::move(kept);
  push = std::move(applied);
}

absl::Status MarkPhotos(DeviceCore& core, const v1::ReplyBundleBody& body,
                        BundleReplyReport& report) {
  absl::MutexLock lock(&core.write_mu());
  LocalStore::Batch batch;
  for (const v1::BundlePhotoResult& result : body.photos()) {
    absl::StatusOr<std::optional<device::v1::PhotoUpload>> upload =
        core.store().GetPhotoUpload(result.sha256());
    if (!upload.ok()) return upload.status();
    if (!upload->has_value() || (*upload)->uploaded()) continue;
    device::v1::PhotoUpload next = **upload;
    next.set_uploaded(result.complete());
    next.set_last_error(result.message());
    batch.PutPhotoUpload(next);
    if (result.complete()) ++report.photos_stored;
  }
  return core.store().Commit(batch);
}

}  // namespace

absl::StatusOr<BundleReplyReport> Device::ImportBundleReply(const std::string& file) {
  const device::v1::DeviceState state = core_->State();
  absl::StatusOr<v1::ReplyBundleBody> body = OpenReply(*core_, state, file);
  if (!body.ok()) return body.status();
  std::vector<sync::RecordDelta> pushed;
  for (const v1::RecordDelta& proto : body->pushed_deltas()) {
    absl::StatusOr<sync::RecordDelta> delta = sync::FromProto(proto);
    if (!delta.ok()) return delta.status();
    pushed.push_back(*std::move(delta));
  }
  BundleReplyReport report;
  switch (ReplyServerOf(state, body->handshake())) {
    case ReplyServer::kOutdated:
      // Its acknowledgements may be lost with the history the restore
      // dropped, and the recovery sent this device's changes again.
      report.outdated = true;
      return report;
    case ReplyServer::kRestored: {
      // What the network handshake does with a restored server: queue
      // again what the backup may lack, forget the lost sequences (and the
      // cursor, when the lineage does not say what the backup holds).
      report.server_restored = true;
      absl::StatusOr<uint64_t> requeued = RestoreRecovery(*core_).Recover(body->handshake());
      if (!requeued.ok()) return requeued.status();
      report.requeued = *requeued;
      break;
    }
    case ReplyServer::kKnown:
      break;
  }
  // The server may have been restored since the bundle while this device
  // recovered already by a network sync: the refusals are as spurious.
  report.server_restored |= body->server_restored();
  if (report.server_restored) DropRefusals(pushed, *body->mutable_push(), report);
  SyncReport counts;
  if (absl::Status s = ApplyPushResults(*core_, pushed, body->push(), counts); !s.ok()) return s;
  report.acknowledged = counts.pushed;
  report.rejected = counts.rejected;
  if (absl::Status s = AdoptHandshake(*core_, body->handshake()); !s.ok()) return s;
  // Only from where the bundle was made: a cursor that moved since (a
  // network sync) is newer than the reply's. The server's pull started
  // there (clamped to a restored backup's sequence, or at the beginning
  // when its lineage does not lead from the device's incarnation).
  report.cursor_advanced = state.cursor() == body->from_cursor();
  for (v1::PullResponse& page : *body->mutable_pulls()) {
    if (absl::Status s = sync::UnpackStamps(&page); !s.ok()) {
      return absl::DataLossError(absl::StrCat("the reply holds a bad page: ", s.message()));
    }
    absl::StatusOr<size_t> merged = MergePulledPage(*core_, page, report.cursor_advanced);
    if (!merged.ok()) return merged.status();
    report.pulled += *merged;
  }
  if (absl::Status s = MarkPhotos(*core_, *body, report); !s.ok()) return s;
  return report;
}

}  // namespace kawal::mobile
