// The pull step of a sync: pages of changed records merged into the local
// store together with the cursor, one atomic commit per page.
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "local_store.h"
#include "sync_session.h"

namespace kawal::mobile {

absl::Status SyncSession::PullAll() {
  Report("pull");
  int attempt = 0;
  for (int page = 0; page < 1000000; ++page) {
    v1::PullRequest request;
    request.set_device_node(device_->node_);
    request.set_cursor(State().cursor());
    request.set_max_records(pull_page_);
    request.set_max_bytes(pull_bytes_);
    v1::PullResponse response;
    report_.bytes_sent += request.ByteSizeLong();
    grpc::Status call = CallOnce([&](grpc::ClientContext* context) {
      return stub_->Pull(context, request, &response);
    });
    // Partial records this device does not hold (it never received their
    // earlier versions): ask for the same page again with them whole.
    if (call.ok()) {
      for (const v1::Record& record : response.records()) {
        if (record.whole()) continue;
        auto local = device_->store_->GetRecord(record.collection(), record.id());
        if (!local.ok()) return local.status();
        // This device holds every change up to its copy's seq; the partial
        // record holds every change after partial_since. A gap between the
        // two (or no copy at all) means: fetch it whole.
        if (!local->IsEmpty() && local->seq >= record.partial_since()) continue;
        v1::RecordRef* ref = request.add_want_whole();
        ref->set_collection(record.collection());
        ref->set_id(record.id());
      }
      if (request.want_whole_size() > 0) {
        report_.bytes_received += response.ByteSizeLong();
        report_.bytes_sent += request.ByteSizeLong();
        response.Clear();
        call = CallOnce([&](grpc::ClientContext* context) {
          return stub_->Pull(context, request, &response);
        });
      }
    }
    if (call.ok() && ServerReplaced(response.incarnation())) {
      report_.bytes_received += response.ByteSizeLong();
      return absl::AbortedError("pull: the server was restored from a backup during this sync");
    }
    if (!call.ok()) {
      if (cancelled()) return absl::CancelledError("sync cancelled");
      if (!Retryable(call.error_code()) || ++attempt >= options_.max_attempts) {
        return absl::Status(static_cast<absl::StatusCode>(call.error_code()),
                            absl::StrCat("pull: ", call.error_message()));
      }
      // The same page again, smaller: the cursor was not advanced.
      pull_page_ = std::max<uint32_t>(1, pull_page_ / 2);
      pull_bytes_ = std::max<uint32_t>(2048, pull_bytes_ / 2);
      if (absl::Status b = Backoff(attempt - 1); !b.ok()) return b;
      continue;
    }
    attempt = 0;
    pull_page_ = std::min(std::max<uint32_t>(1, options_.pull_page), pull_page_ * 2);
    pull_bytes_ = std::min<uint32_t>(1 << 20, pull_bytes_ * 2);
    report_.bytes_received += response.ByteSizeLong();

    std::lock_guard<std::mutex> lock(device_->write_mu_);
    LocalStore::Batch batch;
    // A record may come twice in one response (whole, as asked for, and
    // in the page): merge each copy into what this page already merged.
    std::map<std::pair<std::string, std::string>, sync::RecordState> merged;
    for (const v1::Record& record : response.records()) {
      absl::StatusOr<sync::RecordState> incoming = sync::FromProto(record);
      if (!incoming.ok()) return incoming.status();
      const auto key = std::make_pair(record.collection(), record.id());
      auto it = merged.find(key);
      if (it == merged.end()) {
        auto local = device_->store_->GetRecord(record.collection(), record.id());
        if (!local.ok()) return local.status();
        it = merged.emplace(key, *std::move(local)).first;
      }
      sync::MergeState(it->second, *incoming);
      device_->clock_->Observe(incoming->MaxStamp());
    }
    for (const auto& [key, state] : merged) batch.PutRecord(state);
    device::v1::DeviceState next = *device_->state_;
    next.set_cursor(response.cursor());
    sync::ToProto(device_->clock_->Last(), next.mutable_last_stamp());
    batch.PutState(next);
    if (absl::Status c = device_->store_->Commit(batch); !c.ok()) return c;
    *device_->state_ = next;

    report_.pulled += response.records_size();
    state_progress_.records_pulled += response.records_size();
    state_progress_.records_to_pull =
        std::max<uint64_t>(state_progress_.records_to_pull,
                           state_progress_.records_pulled + response.remaining_estimate());
    pulled_bytes_ += response.ByteSizeLong();
    if (state_progress_.records_pulled > 0) {
      state_progress_.bytes_to_receive =
          pulled_bytes_ + response.remaining_estimate() * (pulled_bytes_ / state_progress_.records_pulled);
    }
    Report("pull");
    if (!response.has_more()) return absl::OkStatus();
  }
  return absl::InternalError("pull did not finish after a million pages");
}

}  // namespace kawal::mobile
