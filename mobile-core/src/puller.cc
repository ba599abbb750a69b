#include "puller.h"

#include <algorithm>
#include <future>
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
  for (const auto& [key, m] : merged) batch.PutRecord(m.stored, m.state);
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

namespace {

// One Pull call's outcome: its status, the page (stamps unpacked) and the
// page's size on the wire.
struct PulledPage {
  grpc::Status call;
  v1::PullResponse response;
  uint64_t wire_bytes = 0;
};

}  // namespace

v1::PullRequest Puller::PageRequest(const std::string& cursor) const {
  v1::PullRequest request;
  request.set_device_node(core_.node());
  request.set_cursor(cursor);
  request.set_max_records(page_records_);
  request.set_max_bytes(page_bytes_);
  request.set_stamp_tables(true);
  return request;
}

absl::Status Puller::PullAll() {
  const SyncOptions& options = link_.options();
  SyncReport& report = link_.report();
  SyncProgress& progress = link_.progress();
  LocalStore& store = core_.store();
  // One Pull call in `context` (made on this thread: a context reads the
  // device state, whose lock a commit holds); the page is unpacked.
  auto fetch = [this](std::unique_ptr<grpc::ClientContext> context,
                      const v1::PullRequest& request) {
    PulledPage page;
    page.call = link_.CallOnceIn(std::move(context), [&](grpc::ClientContext* c) {
      return link_.sync_stub().Pull(c, request, &page.response);
    });
    if (!page.call.ok()) return page;
    page.wire_bytes = page.response.ByteSizeLong();
    if (absl::Status s = sync::UnpackStamps(&page.response); !s.ok()) {
      page.call = grpc::Status(grpc::StatusCode::DATA_LOSS,
                               absl::StrCat("the server sent a bad page: ", s.message()));
    }
    return page;
  };
  // The next page is asked for as soon as this one arrived, and travels
  // (and the server reads it) while this one is merged: one request ahead.
  // The cursor still advances only with a page's commit, so a cut repeats
  // at most the pages not committed.
  v1::PullRequest request;
  std::future<PulledPage> ahead;
  auto send = [&](v1::PullRequest next) {
    request = std::move(next);
    report.bytes_sent += request.ByteSizeLong();
    ahead = std::async(std::launch::async, fetch, link_.NewCallContext(), request);
  };
  link_.Report("pull");
  send(PageRequest(core_.State().cursor()));
  int attempt = 0;
  for (int page = 0; page < tuning::kMaxPullPages; ++page) {
    PulledPage got = ahead.get();
    // Partial records this device does not hold (it never received their
    // earlier versions): ask for the same page again with them whole.
    if (got.call.ok()) {
      for (const v1::Record& record : got.response.records()) {
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
        report.bytes_received += got.wire_bytes;
        report.bytes_sent += request.ByteSizeLong();
        got = fetch(link_.NewCallContext(), request);
      }
    }
    if (got.call.ok() && link_.ServerReplaced(got.response.incarnation())) {
      report.bytes_received += got.wire_bytes;
      return absl::AbortedError("pull: the server was restored from a backup during this sync");
    }
    if (!got.call.ok()) {
      if (link_.cancelled()) return absl::CancelledError("sync cancelled");
      if (!Retryable(got.call.error_code()) || ++attempt >= options.max_attempts) {
        return absl::Status(static_cast<absl::StatusCode>(got.call.error_code()),
                            absl::StrCat("pull: ", got.call.error_message()));
      }
      // The same page again, smaller: the cursor was not advanced.
      page_records_ = std::max<uint32_t>(1, page_records_ / 2);
      page_bytes_ = std::max<uint32_t>(tuning::kMinPullBytes, page_bytes_ / 2);
      if (absl::Status b = link_.Backoff(attempt - 1); !b.ok()) return b;
      send(PageRequest(core_.State().cursor()));
      continue;
    }
    attempt = 0;
    page_records_ = std::min(std::max<uint32_t>(1, options.pull_page), page_records_ * 2);
    page_bytes_ = std::min<uint32_t>(tuning::kMaxPullBytes, page_bytes_ * 2);
    report.bytes_received += got.wire_bytes;
    const v1::PullResponse& response = got.response;
    if (response.has_more()) send(PageRequest(response.cursor()));

    // A failure here returns once the page ahead has arrived (the future
    // waits); it is not applied.
    absl::StatusOr<size_t> merged = MergePulledPage(core_, response, /*advance_cursor=*/true);
    if (!merged.ok()) return merged.status();

    // Records, not copies: one asked for whole also came partially.
    report.pulled += *merged;
    progress.records_pulled += *merged;
    progress.records_to_pull = std::max<uint64_t>(
        progress.records_to_pull, progress.records_pulled + response.remaining_estimate());
    pulled_bytes_ += got.wire_bytes;
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
