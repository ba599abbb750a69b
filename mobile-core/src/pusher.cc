#include "pusher.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/wire_stamps.h"
#include "acknowledgements.h"
#include "device_core.h"
#include "local_store.h"
#include "pending_changes.h"
#include "sync_link.h"
#include "sync_tuning.h"

namespace kawal::mobile {

using tuning::kMinPushBytes;

Pusher::Pusher(DeviceCore& core, SyncLink& link)
    : core_(core), link_(link), batch_(std::max<uint32_t>(1, link.options().push_batch)) {}

absl::Status Pusher::PushAll() {
  std::vector<std::pair<std::string, std::string>> keys;
  uint64_t bytes = 0;
  const SyncOptions& options = link_.options();
  SyncProgress& progress = link_.progress();
  absl::Status s = core_.store().ForEachPending([&](const device::v1::PendingRecord& p) {
    keys.emplace_back(p.delta().collection(), p.delta().id());
    bytes += p.delta().ByteSizeLong();
    return true;
  });
  progress.bytes_to_send = bytes;
  if (!s.ok()) return s;
  progress.records_to_push = keys.size();
  progress.records_pushed = 0;
  link_.Report("push");
  const v1::Limits& limits = link_.limits();
  const uint32_t max_batch = std::max<uint32_t>(
      1, std::min(options.push_batch,
                  limits.max_batch() ? limits.max_batch() : tuning::kDefaultMaxBatch));
  batch_ = std::min(batch_, max_batch);
  batch_bytes_ = tuning::kFirstPushBytes;
  int attempt = 0;
  for (size_t next = 0; next < keys.size();) {
    absl::StatusOr<size_t> taken = PushBatch(keys, next, batch_);
    if (taken.ok()) {
      next += *taken;
      attempt = 0;
      batch_ = std::min(max_batch, batch_ * 2);
      continue;
    }
    if (!last_failure_retryable_ || ++attempt >= options.max_attempts) return taken.status();
    // Whatever the server applied from the failed batch is safe to resend
    // (the merge is idempotent); a smaller batch may fit the link.
    batch_ = std::max<uint32_t>(1, batch_ / 2);
    batch_bytes_ = std::max<uint64_t>(kMinPushBytes, batch_bytes_ / 2);
    if (absl::Status b = link_.Backoff(attempt - 1); !b.ok()) return b;
  }
  return absl::OkStatus();
}

absl::Status ApplyPushResults(DeviceCore& core, const std::vector<sync::RecordDelta>& pushed,
                              const v1::PushResponse& response, SyncReport& report) {
  if (static_cast<size_t>(response.results_size()) != pushed.size()) {
    return absl::InternalError("server answered a push with the wrong number of results");
  }
  LocalStore& store = core.store();
  absl::MutexLock lock(&core.write_mu());
  LocalStore::Batch batch;
  for (int i = 0; i < response.results_size(); ++i) {
    const v1::PushResult& result = response.results(i);
    const sync::RecordDelta& sent = pushed[i];
    auto pending = store.GetPending(sent.collection, sent.id);
    if (!pending.ok()) return pending.status();
    if (!pending->has_value()) continue;
    device::v1::PendingRecord current = **pending;
    if (!result.applied()) {
      device::v1::Rejection rejection;
      *rejection.mutable_pending() = current;
      rejection.set_reason(result.reason());
      rejection.set_message(result.message());
      rejection.set_rejected_at_ms(core.clock().CorrectedTimeMs());
      batch.PutRejection(rejection);
      batch.DeletePending(sent.collection, sent.id);
      ++report.rejected;
      continue;
    }
    // Only what did not change again while in flight is acknowledged.
    const bool done = AcknowledgePending(sent, &current);
    if (done) {
      batch.DeletePending(sent.collection, sent.id);
    } else {
      batch.PutPending(current);
    }
    if (result.in_sync() && done) {
      // The device now holds exactly the server's version: its sequences
      // are kept beside the record, not written into it (acknowledgements.h).
      batch.PutAcknowledgement(sent.collection, sent.id, AcknowledgementOf(sent, result.seq()));
    }
    ++report.pushed;
  }
  return store.Commit(batch);
}

absl::StatusOr<size_t> Pusher::PushBatch(const Keys& keys, size_t from, size_t max_count) {
  const v1::Limits& limits = link_.limits();
  SyncReport& report = link_.report();
  LocalStore& store = core_.store();
  const uint64_t max_bytes = (limits.max_message_bytes() ? limits.max_message_bytes()
                                                         : tuning::kDefaultMaxMessageBytes) /
                             tuning::kPushMessageShareDivisor;
  const uint64_t byte_budget = std::min(max_bytes, batch_bytes_);
  v1::PushRequest request;
  request.set_device_node(core_.node());
  request.set_incarnation(core_.State().incarnation());
  std::vector<sync::RecordDelta> pushed;
  size_t taken = 0;
  uint64_t request_bytes = 0;  // running: ByteSizeLong of the request is O(deltas)
  for (size_t k = from; k < keys.size() && taken < max_count; ++k) {
    const auto& [collection, id] = keys[k];
    auto pending = store.GetPending(collection, id);
    if (!pending.ok()) return pending.status();
    if (!pending->has_value()) {  // acknowledged meanwhile
      ++taken;
      continue;
    }
    auto local = store.GetRecord(collection, id);
    if (!local.ok()) return local.status();
    v1::RecordDelta delta = (*pending)->delta();
    delta.set_known_seq(local->seq);
    const uint64_t delta_bytes = delta.ByteSizeLong() + tuning::kDeltaFramingBytes;
    if (request.deltas_size() > 0 && request_bytes + delta_bytes > byte_budget) {
      break;  // the rest goes in the next batch
    }
    request_bytes += delta_bytes;
    absl::StatusOr<sync::RecordDelta> decoded = sync::FromProto(delta);
    if (!decoded.ok()) return decoded.status();
    if (delta.collection() == sync::kConflict) request.set_recovery(true);
    *request.add_deltas() = std::move(delta);
    pushed.push_back(*std::move(decoded));
    ++taken;
  }
  if (request.deltas_size() == 0) return taken;
  if (link_.server_reads_stamp_tables()) sync::PackStamps(&request);

  v1::PushResponse response;
  const uint64_t sent = request.ByteSizeLong();
  report.bytes_sent += sent;
  const auto started = std::chrono::steady_clock::now();
  grpc::Status call = link_.CallOnce([&](grpc::ClientContext* context) {
    link_.CompressRequest(context, sent);
    return link_.sync_stub().Push(context, request, &response);
  });
  if (call.ok()) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = sent / std::max(seconds, 1e-3);
    batch_bytes_ = std::clamp<uint64_t>(static_cast<uint64_t>(rate * tuning::kPushBatchSeconds),
                                        kMinPushBytes, max_bytes);
  }
  if (!call.ok()) {
    last_failure_retryable_ = Retryable(call.error_code()) && !link_.cancelled();
    if (link_.cancelled()) return absl::CancelledError("sync cancelled");
    return absl::Status(static_cast<absl::StatusCode>(call.error_code()),
                        absl::StrCat("push: ", call.error_message()));
  }
  report.bytes_received += response.ByteSizeLong();
  if (link_.ServerReplaced(response.incarnation())) {
    // Not by retrying the same call: by a new handshake. What it applied is
    // safe to send again (the merge is idempotent).
    last_failure_retryable_ = false;
    return absl::AbortedError("push: the server was restored from a backup during this sync");
  }
  if (absl::Status s = ApplyPushResults(core_, pushed, response, report); !s.ok()) return s;
  link_.progress().records_pushed += request.deltas_size();
  link_.Report("push");
  return taken;
}

}  // namespace kawal::mobile
