// The push step of a sync: pending changes go up in batches; each result is
// applied to the local store at once, so a cut repeats at most one batch.
#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "local_store.h"
#include "pending_changes.h"
#include "sync_session.h"

namespace kawal::mobile {
namespace {

// A push batch should take about this long on the link: short against the
// cuts of a bad link (every 30 s in bench/link_bench), long against its
// round trip (600 ms there).
constexpr double kPushBatchSeconds = 4;
// Before a batch has measured the link: 4 s at 64 kbit/s.
constexpr uint64_t kFirstPushBytes = 32 << 10;
constexpr uint64_t kMinPushBytes = 1 << 10;

}  // namespace

absl::Status SyncSession::PushAll() {
  std::vector<std::pair<std::string, std::string>> keys;
  uint64_t bytes = 0;
  absl::Status s = device_->store_->ForEachPending([&](const device::v1::PendingRecord& p) {
    keys.emplace_back(p.delta().collection(), p.delta().id());
    bytes += p.delta().ByteSizeLong();
    return true;
  });
  state_progress_.bytes_to_send = bytes;
  if (!s.ok()) return s;
  state_progress_.records_to_push = keys.size();
  state_progress_.records_pushed = 0;
  Report("push");
  const uint32_t max_batch = std::max<uint32_t>(
      1, std::min(options_.push_batch, limits_.max_batch() ? limits_.max_batch() : 500));
  push_batch_ = std::min(push_batch_, max_batch);
  push_bytes_ = kFirstPushBytes;
  int attempt = 0;
  for (size_t next = 0; next < keys.size();) {
    absl::StatusOr<size_t> taken = PushBatch(keys, next, push_batch_);
    if (taken.ok()) {
      next += *taken;
      attempt = 0;
      push_batch_ = std::min(max_batch, push_batch_ * 2);
      continue;
    }
    if (!last_failure_retryable_ || ++attempt >= options_.max_attempts) return taken.status();
    // Whatever the server applied from the failed batch is safe to resend
    // (the merge is idempotent); a smaller batch may fit the link.
    push_batch_ = std::max<uint32_t>(1, push_batch_ / 2);
    push_bytes_ = std::max<uint64_t>(kMinPushBytes, push_bytes_ / 2);
    if (absl::Status b = Backoff(attempt - 1); !b.ok()) return b;
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> SyncSession::PushBatch(
    const std::vector<std::pair<std::string, std::string>>& keys, size_t from, size_t max_count) {
  const uint64_t max_bytes =
      (limits_.max_message_bytes() ? limits_.max_message_bytes() : (4u << 20)) / 2;
  const uint64_t byte_budget = std::min(max_bytes, push_bytes_);
  v1::PushRequest request;
  request.set_device_node(device_->node_);
  request.set_incarnation(State().incarnation());
  std::vector<sync::RecordDelta> pushed;
  size_t taken = 0;
  uint64_t request_bytes = 0;  // running: ByteSizeLong of the request is O(deltas)
  for (size_t k = from; k < keys.size() && taken < max_count; ++k) {
    const auto& [collection, id] = keys[k];
    auto pending = device_->store_->GetPending(collection, id);
    if (!pending.ok()) return pending.status();
    if (!pending->has_value()) {  // acknowledged meanwhile
      ++taken;
      continue;
    }
    auto local = device_->store_->GetRecord(collection, id);
    if (!local.ok()) return local.status();
    v1::RecordDelta delta = (*pending)->delta();
    delta.set_known_seq(local->seq);
    const uint64_t delta_bytes = delta.ByteSizeLong() + 3;  // + tag and length
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

  v1::PushResponse response;
  const uint64_t sent = request.ByteSizeLong();
  report_.bytes_sent += sent;
  const auto started = std::chrono::steady_clock::now();
  grpc::Status call = CallOnce([&](grpc::ClientContext* context) {
    return stub_->Push(context, request, &response);
  });
  if (call.ok()) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = sent / std::max(seconds, 1e-3);
    push_bytes_ = std::clamp<uint64_t>(static_cast<uint64_t>(rate * kPushBatchSeconds),
                                       kMinPushBytes, max_bytes);
  }
  if (!call.ok()) {
    last_failure_retryable_ = Retryable(call.error_code()) && !cancelled();
    if (cancelled()) return absl::CancelledError("sync cancelled");
    return absl::Status(static_cast<absl::StatusCode>(call.error_code()),
                        absl::StrCat("push: ", call.error_message()));
  }
  report_.bytes_received += response.ByteSizeLong();
  if (ServerReplaced(response.incarnation())) {
    // What it applied is safe to send again (the merge is idempotent).
    return absl::AbortedError("push: the server was restored from a backup during this sync");
  }
  if (response.results_size() != request.deltas_size()) {
    return absl::InternalError("server answered a push with the wrong number of results");
  }

  std::lock_guard<std::mutex> lock(device_->write_mu_);
  LocalStore::Batch batch;
  for (int i = 0; i < response.results_size(); ++i) {
    const v1::PushResult& result = response.results(i);
    const sync::RecordDelta& sent = pushed[i];
    auto pending = device_->store_->GetPending(sent.collection, sent.id);
    if (!pending.ok()) return pending.status();
    if (!pending->has_value()) continue;
    device::v1::PendingRecord current = **pending;
    if (!result.applied()) {
      device::v1::Rejection rejection;
      *rejection.mutable_pending() = current;
      rejection.set_reason(result.reason());
      rejection.set_message(result.message());
      rejection.set_rejected_at_ms(device_->clock_->CorrectedTimeMs());
      batch.PutRejection(rejection);
      batch.DeletePending(sent.collection, sent.id);
      ++report_.rejected;
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
      // The device now holds exactly the server's version.
      auto local = device_->store_->GetRecord(sent.collection, sent.id);
      if (!local.ok()) return local.status();
      for (const auto& c : sent.changes) {
        auto f = local->fields.find(c.name);
        if (f != local->fields.end() && f->second.stamp == c.stamp) f->second.changed_seq = result.seq();
      }
      if (!sent.tombstone.IsZero() && local->tombstone == sent.tombstone) {
        local->tombstone_seq = result.seq();
      }
      local->seq = std::max(local->seq, result.seq());
      if (local->created_seq == 0) local->created_seq = result.seq();
      batch.PutRecord(*local);
    }
    ++report_.pushed;
  }
  if (absl::Status c = device_->store_->Commit(batch); !c.ok()) return c;
  state_progress_.records_pushed += request.deltas_size();
  Report("push");
  return taken;
}

}  // namespace kawal::mobile
