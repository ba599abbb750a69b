// Device::RelayBundle: carrying a bundle through this device's connection
// (docs/bundles.md, "Relay").
#include <utility>

#include "device_core.h"
#include "kawal/common/bundle_upload.h"
#include "kawal/mobile/device.h"
#include "kawal/v1/bundle.grpc.pb.h"
#include "sync_link.h"

namespace kawal::mobile {

absl::StatusOr<BundleRelay> Device::RelayBundle(const std::vector<std::string>& files,
                                                const SyncOptions& options) {
  const device::v1::DeviceState state = core_->State();
  if (state.server().empty() || state.token().empty()) {
    return absl::FailedPreconditionError("no server configured: run init with --server first");
  }
  SyncLink link(*core_, options, nullptr);
  DeviceCore::SyncSlot slot(*core_, link);
  if (absl::Status connected = link.Connect(state); !connected.ok()) return connected;
  auto stub = v1::BundleService::NewStub(link.channel());
  common::BundleUpload upload;
  // Each attempt starts over: an import is idempotent.
  absl::Status status = link.Retry("bundle relay", [&](grpc::ClientContext* context) {
    return common::UploadBundle(*stub, context, files, &upload);
  });
  if (!status.ok()) return status;
  BundleRelay relay;
  relay.reply = std::move(upload.reply);
  relay.user = upload.summary.user();
  relay.device_node = upload.summary.device_node();
  relay.deltas = upload.summary.deltas();
  relay.applied = upload.summary.applied();
  relay.rejected = upload.summary.rejected();
  return relay;
}

}  // namespace kawal::mobile
