// Device: opening the store, configuration, status and queries. Local
// writes are in local_writes.cc, sync in sync_session.cc.
#include "kawal/mobile/device.h"

#include <unistd.h>

#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "kawal/common/random_id.h"
#include "kawal/sync/sha256.h"
#include "local_store.h"

namespace kawal::mobile {

std::string NewRecordId() { return common::RandomHexId(16); }

absl::StatusOr<std::unique_ptr<Device>> Device::Open(DeviceOptions options) {
  if (options.home.empty()) return absl::InvalidArgumentError("no home folder given for the store");
  std::unique_ptr<Device> device(new Device());
  absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(options.home);
  if (!store.ok()) return store.status();
  device->store_ = *std::move(store);
  absl::StatusOr<device::v1::DeviceState> state = device->store_->LoadState();
  if (!state.ok()) return state.status();
  if (options.device_name.empty()) {
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    options.device_name = host;
  }
  device->options_ = options;
  device->state_ = std::make_unique<device::v1::DeviceState>(*std::move(state));
  device->node_ = device->state_->device_node();
  device->clock_ = std::make_unique<sync::Clock>(device->node_, options.time_source);
  device->clock_->SetOffsetMs(device->state_->clock_offset_ms());
  // The HLC continues after every stamp issued before a restart.
  device->clock_->Observe(sync::FromProto(device->state_->last_stamp()));
  return device;
}

Device::~Device() = default;

absl::Status Device::Configure(const std::string& server, const std::string& token,
                               const std::string& region) {
  if (server.empty() || server.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("server address \"", server,
                                                   "\" must be host:port"));
  }
  if (!region.empty()) {
    if (absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(region); !code.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("region: ", code.status().message()));
    }
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  device::v1::DeviceState next = *state_;
  next.set_server(server);
  if (!token.empty()) next.set_token(token);
  next.set_device_name(options_.device_name);
  if (!region.empty()) next.set_region(region);
  LocalStore::Batch batch;
  batch.PutState(next);
  if (absl::Status s = store_->Commit(batch); !s.ok()) return s;
  *state_ = next;
  return absl::OkStatus();
}

absl::StatusOr<sync::RecordState> Device::Get(const std::string& collection,
                                              const std::string& id) const {
  absl::StatusOr<sync::RecordState> state = store_->GetRecord(collection, id);
  if (!state.ok()) return state.status();
  if (state->IsEmpty()) {
    return absl::NotFoundError(absl::StrCat("no ", collection, " with id ", id, " on this device"));
  }
  return state;
}

absl::StatusOr<std::vector<sync::RecordState>> Device::List(const ListQuery& query) const {
  std::vector<sync::RecordState> out;
  absl::Status s = store_->ForEachRecord(query.collection, [&](const sync::RecordState& r) {
    if (!query.include_deleted && !r.Visible()) return true;
    if (!query.region.empty() && !(r.scope == query.region ||
                                   absl::StartsWith(r.scope, query.region + "."))) {
      return true;
    }
    if (query.year != 0) {
      const sync::Value* year = r.Get("year");
      if (year == nullptr || !std::holds_alternative<int64_t>(*year) ||
          std::get<int64_t>(*year) != query.year) {
        return true;
      }
    }
    if (!query.status.empty()) {
      const sync::Value* status = r.Get("status");
      if (status == nullptr || !std::holds_alternative<std::string>(*status) ||
          std::get<std::string>(*status) != query.status) {
        return true;
      }
    }
    if (!query.activity_id.empty()) {
      const sync::Value* activity = r.Get("activity_id");
      if (activity == nullptr || !std::holds_alternative<std::string>(*activity) ||
          std::get<std::string>(*activity) != query.activity_id) {
        return true;
      }
    }
    out.push_back(r);
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<bool> Device::IsPending(const std::string& collection, const std::string& id) const {
  auto pending = store_->GetPending(collection, id);
  if (!pending.ok()) return pending.status();
  return pending->has_value();
}

absl::StatusOr<uint64_t> Device::PendingCount() const {
  uint64_t n = 0;
  absl::Status s = store_->ForEachPending([&](const device::v1::PendingRecord&) {
    ++n;
    return true;
  });
  if (!s.ok()) return s;
  return n;
}

absl::StatusOr<std::vector<sync::RecordState>> Device::Conflicts() const {
  ListQuery query;
  query.collection = sync::kConflict;
  return List(query);
}

absl::StatusOr<std::vector<RejectionView>> Device::Rejections() const {
  std::vector<RejectionView> out;
  absl::Status s = store_->ForEachRejection([&](const device::v1::Rejection& r) {
    RejectionView view;
    view.collection = r.pending().delta().collection();
    view.id = r.pending().delta().id();
    view.scope = r.pending().delta().scope();
    view.reason = v1::RejectReason_Name(r.reason());
    view.message = r.message();
    view.rejected_at_ms = r.rejected_at_ms();
    out.push_back(std::move(view));
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<StatusView> Device::Status() const {
  StatusView view;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    view.server = state_->server();
    view.user = state_->user();
    view.role = state_->role();
    view.scopes.assign(state_->scopes().begin(), state_->scopes().end());
    view.incarnation = state_->incarnation();
    view.device_node = state_->device_node();
    view.last_sync_ms = state_->last_sync_ms();
    view.last_attempt_ms = state_->last_attempt_ms();
    view.last_error = state_->last_sync_error();
    view.clock_offset_ms = state_->clock_offset_ms();
  }
  absl::StatusOr<uint64_t> pending = PendingCount();
  if (!pending.ok()) return pending.status();
  view.pending_records = *pending;
  absl::StatusOr<std::vector<RejectionView>> rejected = Rejections();
  if (!rejected.ok()) return rejected.status();
  view.rejected_records = rejected->size();
  return view;
}

uint64_t Device::DiskBytes() const { return store_->DiskBytes(); }

}  // namespace kawal::mobile
