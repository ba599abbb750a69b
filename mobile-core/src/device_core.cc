#include "device_core.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "sync_link.h"

namespace kawal::mobile {
namespace {

// Next to the store, not inside it: a secret, readable by its owner only.
constexpr char kBundleKeyFile[] = "bundle_key";

}  // namespace

absl::StatusOr<std::unique_ptr<DeviceCore>> DeviceCore::Open(DeviceOptions options) {
  if (options.home.empty()) return absl::InvalidArgumentError("no home folder given for the store");
  std::unique_ptr<DeviceCore> core(new DeviceCore());
  absl::StatusOr<std::unique_ptr<LocalStore>> store = LocalStore::Open(options.home);
  if (!store.ok()) return store.status();
  core->store_ = *std::move(store);
  core->notifier_ = std::make_unique<ChangeNotifier>();
  core->store_->SetCommitListener(
      [notifier = core->notifier_.get()](std::vector<RecordChange> changes) {
        notifier->Enqueue(std::move(changes));
      });
  absl::StatusOr<device::v1::DeviceState> state = core->store_->LoadState();
  if (!state.ok()) return state.status();
  absl::StatusOr<common::SigningKeyPair> bundle_key =
      common::LoadOrCreateDeviceKey(absl::StrCat(options.home, "/", kBundleKeyFile));
  if (!bundle_key.ok()) return bundle_key.status();
  core->bundle_key_ = *std::move(bundle_key);
  if (options.device_name.empty()) {
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    options.device_name = host;
  }
  core->options_ = std::move(options);
  core->node_ = state->device_node();
  core->clock_ = std::make_unique<sync::Clock>(core->node_, core->options_.time_source);
  core->clock_->SetOffsetMs(state->clock_offset_ms());
  // The HLC continues after every stamp issued before a restart.
  core->clock_->Observe(sync::FromProto(state->last_stamp()));
  absl::MutexLock lock(&core->write_mu_);
  core->state_ = *std::move(state);
  return core;
}

DeviceCore::~DeviceCore() { notifier_.reset(); }

device::v1::DeviceState DeviceCore::State() const {
  absl::MutexLock lock(&write_mu_);
  return state_;
}

absl::Status DeviceCore::CommitWithState(LocalStore::Batch& batch,
                                         const device::v1::DeviceState& next) {
  batch.PutState(next);
  if (absl::Status s = store_->Commit(batch); !s.ok()) return s;
  state_ = next;
  return absl::OkStatus();
}

absl::Status DeviceCore::CommitWrites(LocalStore::Batch& batch) {
  device::v1::DeviceState next = state_;
  sync::ToProto(clock_->Last(), next.mutable_last_stamp());
  return CommitWithState(batch, next);
}

absl::Status DeviceCore::SaveState(const device::v1::DeviceState& state) {
  absl::MutexLock lock(&write_mu_);
  LocalStore::Batch batch;
  return CommitWithState(batch, state);
}

absl::StatusOr<std::vector<std::string>> DeviceCore::Write(const std::vector<LocalWrite>& writes,
                                                           bool name_ops, bool commit) {
  absl::MutexLock lock(&write_mu_);
  WriteStager stager(*store_, *clock_);
  std::vector<std::string> ids;
  ids.reserve(writes.size());
  for (size_t i = 0; i < writes.size(); ++i) {
    if (absl::Status s = stager.Stage(writes[i]); !s.ok()) {
      if (!name_ops) return s;
      absl::Status named(s.code(), absl::StrCat("op ", i, ": ", s.message()));
      named.SetPayload(kWriteOpIndexPayload, absl::Cord(absl::StrCat(i)));
      return named;
    }
    ids.push_back(writes[i].id);
  }
  if (!commit) return ids;
  LocalStore::Batch batch;
  stager.AddTo(batch);
  if (absl::Status s = CommitWrites(batch); !s.ok()) return s;
  return ids;
}

absl::StatusOr<uint64_t> DeviceCore::PendingCount() const {
  uint64_t n = 0;
  absl::Status s = store_->ForEachPending([&](const device::v1::PendingRecord&) {
    ++n;
    return true;
  });
  if (!s.ok()) return s;
  return n;
}

DeviceCore::SyncSlot::SyncSlot(DeviceCore& core, SyncLink& link) : core_(core) {
  core_.sync_mu_.Lock();
  absl::MutexLock lock(&core_.link_mu_);
  core_.link_ = &link;
}

DeviceCore::SyncSlot::~SyncSlot() {
  {
    absl::MutexLock lock(&core_.link_mu_);
    core_.link_ = nullptr;
  }
  core_.sync_mu_.Unlock();
}

void DeviceCore::CancelSync() {
  absl::MutexLock lock(&link_mu_);
  if (link_ != nullptr) link_->Cancel();
}

}  // namespace kawal::mobile
