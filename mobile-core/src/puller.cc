#include "puller.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/merge.h"
#include "kawal/sync/wire_stamps.h"
#include "device_core.h"
#include "local_store.h"
#include "sync_link.h"
#include "sync_tuning.h"

namespace kawal::mobile {

absl::StatusOr<size_t> MergePulledPage(DeviceCore& core, const v1::PullResponse& response,
                                       bool advance_cursor) {
  LocalStore& store = core.store();
  absl::MutexLock lock(&core.write_mu());
  LocalStore::Batch batch;
  // A record may come twice in one response (whole, as asked for, and
  // in the page): merge each copy into what this page already merged.
  struct Merged {
    sync::RecordState stored;  // as read: what the commit replaces
    sync::RecordState state;
  };
  std::map<std::pair<std::string, std::string>, Merged> merged;
  for (const v1::Record& record : response.records()) {
    absl::StatusOr<sync::RecordState> incoming = sync::FromProto(record);
    if (!incoming.ok()) return incoming.status();
    const auto key = std::make_pair(record.collection(), record.id());
    auto it = merged.find(key);
    if (it == merged.end()) {
      auto local = store.GetRecord(record.collection(), record.id());
      if (!local.ok()) return local.status();
      it = merged.emplace(key, Merged{*local, *local}).first;
    }
    sync::MergeState(it->second.state, *incoming);
    core.clock().Observe(incoming->MaxStamp());
  }
  // The page's merged states move into the batch (which keeps them for the
  // index entries and observers) rather than being held twice.
  for (auto& [key, m] : merged) batch.PutRecord(m.stored, std::move(m.state));
  device::v1::DeviceState next = core.state();
  if (advance_cursor) next.set_cursor(response.cursor());
  sync::ToProto(core.clock().Last(), next.mutable_last_stamp());
  if (absl::Status c = core.CommitWithState(batch, next); !c.ok()) return c;
  return merged.size();
}

Puller::Puller(DeviceCore& core, SyncLink& link)
    : core_(core),
      link_(link),
      page_records_(std::max<uint32_t>(1, link.options().pull_page)),
      page_bytes_(tuning::kMaxPullBytes) {}

absl::Status Puller::PullAll() {
  const SyncOptions& options = link_.options();
  SyncReport& report = link_.report();
  SyncProgress& progress = link_.progress();
  LocalStore& store = core_.store();
  // One Pull call; a page that arrived is counted as received (its size on
  // the wire, before its stamps go back inline) and unpacked.
  uint64_t received_bytes = 0;
  auto pull = [&](const v1::PullRequest& request, v1::PullResponse* response) {
    grpc::Status call = link_.CallOnce([&](grpc::ClientContext* context) {
      return link_.sync_stub().Pull(context, request, response);
    });
    if (!call.ok()) return call;
    received_bytes = response->ByteSizeLong();
    if (absl::Status s = sync::UnpackStamps(response); !s.ok()) {
      return grpc::Status(grpc::StatusCode::DATA_LOSS,
                          absl::StrCat("the server sent a bad page: ", s.message()));
    }
    return call;
  };
  link_.Report("pull");
  int attempt = 0;
  for (int page = 0; page < tuning::kMaxPullPages; ++page) {
    v1::PullRequest request;
    request.set_device_node(core_.node());
    request.set_cursor(core_.State().cursor());
    request.set_max_records(page_records_);
    request.set_max_bytes(page_bytes_);
    request.set_stamp_tables(true);
    v1::PullResponse response;
    report.bytes_sent += request.ByteSizeLong();
    grpc::Status call = pull(request, &response);
    // Partial records this device does not hold (it never received their
    // earlier versions): ask for the same page again with them whole.
    if (call.ok()) {
      for (const v1::Record& record : response.records()) {
        if (record.whole()) continue;
        auto local = store.GetRecord(record.collection(), record.id());
        if (!local.ok()) return local.status();
        // This device holds every change up to its copy's seq; the partial
        // record holds every change after partial_since, which the server
        // sets to the record's last change the partial leaves out (not the
        // cursor). A gap between the two (or no copy at all) means: fetch it
        // whole.
        if (!local->IsEmpty() && local->seq >= record.partial_since()) continue;
        v1::RecordRef* ref = request.add_want_whole();
        ref->set_collection(record.collection());
        ref->set_id(record.id());
      }
      if (request.want_whole_size() > 0) {
        report.pulled_whole_again += request.want_whole_size();
        report.bytes_received += received_bytes;
        report.bytes_sent += request.ByteSizeLong();
        response.Clear();
        call = pull(request, &response);
      }
    }
    if (call.ok() && link_.ServerReplaced(response.incarnation())) {
      report.bytes_received += received_bytes;
      return absl::AbortedError("pull: the server was restored from a backup during this sync");
    }
    if (!call.ok()) {
      if (link_.cancelled()) return absl::CancelledError("sync cancelled");
      if (!Retryable(call.error_code()) || ++attempt >= options.max_attempts) {
        return absl::Status(static_cast<absl::StatusCode>(call.error_code()),
                            absl::StrCat("pull: ", call.error_message()));
      }
      // The same page again, smaller: the cursor was not advanced.
      page_records_ = std::max<uint32_t>(1, page_records_ / 2);
      page_bytes_ = std::max<uint32_t>(tuning::kMinPullBytes, page_bytes_ / 2);
      if (absl::Status b = link_.Backoff(attempt - 1); !b.ok()) return b;
      continue;
    }
    attempt = 0;
    page_records_ = std::min(std::max<uint32_t>(1, options.pull_page), page_records_ * 2);
    page_bytes_ = std::min<uint32_t>(tuning::kMaxPullBytes, page_bytes_ * 2);
    report.bytes_received += received_bytes;

    absl::StatusOr<size_t> merged = MergePulledPage(core_, response, /*advance_cursor=*/true);
    if (!merged.ok()) return merged.status();

    // Records, not copies: one asked for whole also came partially.
    report.pulled += *merged;
    progress.records_pulled += *merged;
    progress.records_to_pull = std::max<uint64_t>(
        progress.records_to_pull, progress.records_pulled + response.remaining_estimate());
    pulled_bytes_ += received_bytes;
    if (progress.records_pulled > 0) {
      progress.bytes_to_receive =
          pulled_bytes_ + response.remaining_estimate() * (pulled_bytes_ / progress.records_pulled);
    }
    link_.Report("pull");
    if (!response.has_more()) return absl::OkStatus();
  }
  return absl::InternalError("pull did not finish after a million pages");
}

}  // namespace kawal::mobile
