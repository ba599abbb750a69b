// Device: opening, configuration, status and queries, forwarded to its
// DeviceCore. Local writes are in local_writes.cc and photo_writes.cc,
// conflicts in conflict_resolution.cc, sync and photo download in
// device_sync.cc.
#include "kawal/mobile/device.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/random_id.h"
#include "kawal/common/transport.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "device_core.h"
#include "local_indexes.h"
#include "local_store.h"

namespace kawal::mobile {

std::string NewRecordId() { return common::RandomHexId(16); }

absl::StatusOr<std::unique_ptr<Device>> Device::Open(DeviceOptions options) {
  absl::StatusOr<std::unique_ptr<DeviceCore>> core = DeviceCore::Open(std::move(options));
  if (!core.ok()) return core.status();
  return std::unique_ptr<Device>(new Device(*std::move(core)));
}

Device::Device(std::unique_ptr<DeviceCore> core) : core_(std::move(core)) {}

Device::~Device() = default;

uint64_t Device::node() const { return core_->node(); }

absl::Status Device::Configure(const std::string& server, const std::string& token,
                               const std::string& region) {
  ServerConnection connection{server, token, region, "", false};
  {
    absl::MutexLock lock(&core_->write_mu());
    connection.tls_ca_pem = core_->state().tls_ca_pem();
    connection.insecure = core_->state().insecure();
  }
  return Configure(connection);
}

absl::Status Device::Configure(const ServerConnection& connection) {
  const std::string& server = connection.server;
  const std::string& token = connection.token;
  const std::string& region = connection.region;
  if (server.empty() || server.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("server address \"", server,
                                                   "\" must be host:port"));
  }
  if (!region.empty()) {
    if (absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(region); !code.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("region: ", code.status().message()));
    }
  }
  common::TransportOptions transport;
  transport.tls_ca_pem = connection.tls_ca_pem;
  transport.insecure = connection.insecure;
  if (absl::StatusOr<common::TransportPlan> plan = common::PlanTransport(server, transport);
      !plan.ok()) {
    return plan.status();
  }
  if (!connection.tls_ca_pem.empty() &&
      connection.tls_ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return absl::InvalidArgumentError("the TLS CA holds no PEM certificate");
  }
  absl::MutexLock lock(&core_->write_mu());
  device::v1::DeviceState next = core_->state();
  next.set_server(server);
  next.set_tls_ca_pem(connection.tls_ca_pem);
  next.set_insecure(connection.insecure);
  if (!token.empty()) next.set_token(token);
  next.set_device_name(core_->options().device_name);
  if (!region.empty()) next.set_region(region);
  LocalStore::Batch batch;
  return core_->CommitWithState(batch, next);
}

absl::StatusOr<sync::RecordState> Device::Get(const std::string& collection,
                                              const std::string& id) const {
  absl::StatusOr<sync::RecordState> state = core_->store().GetRecord(collection, id);
  if (!state.ok()) return state.status();
  if (state->IsEmpty()) {
    return absl::NotFoundError(absl::StrCat("no ", collection, " with id ", id, " on this device"));
  }
  return state;
}

namespace {

// The index plan answering `list` when it reads fewer records than a scan
// of the collection: not for deleted records (not indexed), a condition no
// index of the collection holds, or one that binds no index's leading field.
std::optional<IndexPlan> NarrowingPlan(const ListQuery& list) {
  if (list.include_deleted) return std::nullopt;
  RecordQuery query{list.collection, list.region, {}, 0, ""};
  if (list.year != 0) query.equals.emplace_back("year", list.year);
  if (!list.status.empty()) query.equals.emplace_back("status", list.status);
  if (!list.activity_id.empty()) query.equals.emplace_back("activity_id", list.activity_id);
  absl::StatusOr<IndexPlan> plan = PlanQuery(query);
  if (!plan.ok() || !plan->Narrows()) return std::nullopt;
  return *std::move(plan);
}

}  // namespace

absl::StatusOr<std::vector<sync::RecordState>> Device::List(const ListQuery& query) const {
  if (std::optional<IndexPlan> plan = NarrowingPlan(query)) {
    absl::StatusOr<QueryPage> page = core_->store().RunQuery(*plan, 0, "");
    if (!page.ok()) return page.status();
    SortById(page->records);
    return std::move(page->records);
  }
  std::vector<sync::RecordState> out;
  absl::Status s = core_->store().ForEachRecord(query.collection, [&](const sync::RecordState& r) {
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
  auto pending = core_->store().GetPending(collection, id);
  if (!pending.ok()) return pending.status();
  return pending->has_value();
}

absl::StatusOr<uint64_t> Device::PendingCount() const { return core_->PendingCount(); }

absl::StatusOr<std::vector<RejectionView>> Device::Rejections() const {
  std::vector<RejectionView> out;
  absl::Status s = core_->store().ForEachRejection([&](const device::v1::Rejection& r) {
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
    absl::MutexLock lock(&core_->write_mu());
    const device::v1::DeviceState& state = core_->state();
    view.server = state.server();
    if (!state.server().empty()) {
      const bool loopback = common::IsLoopbackTarget(state.server());
      if (loopback && (state.insecure() || state.tls_ca_pem().empty())) {
        view.transport = "plaintext";
      } else {
        view.transport = state.insecure() ? "insecure" : "tls";
      }
    }
    view.user = state.user();
    view.role = state.role();
    view.scopes.assign(state.scopes().begin(), state.scopes().end());
    view.incarnation = state.incarnation();
    view.device_node = state.device_node();
    view.last_sync_ms = state.last_sync_ms();
    view.last_attempt_ms = state.last_attempt_ms();
    view.last_error = state.last_sync_error();
    view.clock_offset_ms = state.clock_offset_ms();
  }
  absl::StatusOr<uint64_t> pending = PendingCount();
  if (!pending.ok()) return pending.status();
  view.pending_records = *pending;
  absl::StatusOr<std::vector<RejectionView>> rejected = Rejections();
  if (!rejected.ok()) return rejected.status();
  view.rejected_records = rejected->size();
  return view;
}

uint64_t Device::DiskBytes() const { return core_->store().DiskBytes(); }

}  // namespace kawal::mobile
