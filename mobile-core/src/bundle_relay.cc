// Device::RelayBundle: carrying a bundle through this device's connection
// (docs/bundles.md, "Relay").
#include "absl/strings/str_cat.h"
#include "device_core.h"
#include "kawal/mobile/device.h"
#include "kawal/v1/bundle.grpc.pb.h"
#include "sync_link.h"

namespace kawal::mobile {
namespace {

// Bytes of the bundle per request message (the server takes at most 1 MiB).
constexpr size_t kRelayChunkBytes = 1 << 20;

}  // namespace

absl::StatusOr<BundleRelay> Device::RelayBundle(const std::string& file,
                                                const SyncOptions& options) {
  const device::v1::DeviceState state = core_->State();
  if (state.server().empty() || state.token().empty()) {
    return absl::FailedPreconditionError("no server configured: run init with --server first");
  }
  SyncLink link(*core_, options, nullptr);
  DeviceCore::SyncSlot slot(*core_, link);
  if (absl::Status connected = link.Connect(state); !connected.ok()) return connected;
  auto stub = v1::BundleService::NewStub(link.channel());
  BundleRelay relay;
  v1::ImportSummary summary;
  absl::Status status = link.Retry("bundle relay", [&](grpc::ClientContext* context) {
    relay.reply.clear();  // each attempt starts over: an import is idempotent
    auto stream = stub->ImportBundle(context);
    v1::ImportBundleRequest chunk;
    for (size_t at = 0; at < file.size(); at += kRelayChunkBytes) {
      chunk.set_data(file.substr(at, kRelayChunkBytes));
      if (!stream->Write(chunk)) break;  // the server ended the call: Finish says why
    }
    stream->WritesDone();
    v1::ImportBundleResponse response;
    while (stream->Read(&response)) {
      if (response.has_summary()) {
        summary = response.summary();
      } else {
        relay.reply += response.reply_data();
      }
    }
    return stream->Finish();
  });
  if (!status.ok()) return status;
  relay.user = summary.user();
  relay.device_node = summary.device_node();
  relay.deltas = summary.deltas();
  relay.applied = summary.applied();
  relay.rejected = summary.rejected();
  return relay;
}

}  // namespace kawal::mobile
