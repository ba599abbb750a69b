// Indexed queries and change observers on devices syncing with a real
// kawal-server (mobile-core/src/local_indexes.cc, change_notifier.cc):
// - a property test: after random creates, updates, deletes, reports and
//   syncs on two devices (conflicts included), every query, paged or not,
//   and every count equal a filtered scan of the same records;
// - observers: writes from several threads and syncs running concurrently,
//   every commit that touched a watched record reported (no id lost), none
//   after Unobserve, calls on one thread that is not the writer's.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "kawal/mobile/query.h"
#include "server_process.h"
#include "status_assert.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
using mobile::FieldValues;
using mobile::RecordQuery;

constexpr char kDesaA[] = "62.10.01.2001";
constexpr char kDesaB[] = "62.10.01.2002";
const char* const kStatuses[] = {"planned", "in_progress", "done", "cancelled", "stalled"};

FieldValues Activity(int64_t year, const std::string& status) {
  return {{"name", std::string("Jalan usaha tani")}, {"year", year}, {"sector", int64_t{2}},
          {"status", status}};
}

FieldValues Report(const std::string& activity_id) {
  return {{"activity_id", activity_id}, {"visit_date", std::string("2026-03-01")},
          {"physical_progress_pct", 50.0}};
}

// The ids of the visible records of `query.collection` matching it, by a
// scan of every record (Device::List), sorted.
std::vector<std::string> ScanIds(Device& device, const RecordQuery& query) {
  mobile::ListQuery all;
  all.collection = query.collection;
  auto records = device.List(all);
  EXPECT_TRUE(records.ok()) << records.status();
  std::vector<std::string> ids;
  if (!records.ok()) return ids;
  for (const sync::RecordState& r : *records) {
    if (!query.region.empty() && r.scope != query.region &&
        !absl::StartsWith(r.scope, query.region + ".")) {
      continue;
    }
    bool match = true;
    for (const auto& [field, value] : query.equals) {
      const sync::Value* got = r.Get(field);
      if (std::holds_alternative<sync::Null>(value) ? got != nullptr
                                                    : (got == nullptr || !(*got == value))) {
        match = false;
      }
    }
    if (match) ids.push_back(r.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The ids Device::Query returns, following resume tokens with pages of
// `limit`, sorted.
std::vector<std::string> QueryIds(Device& device, RecordQuery query, uint32_t limit) {
  query.limit = limit;
  std::vector<std::string> ids;
  for (int pages = 0; pages < 10000; ++pages) {
    auto page = device.Query(query);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    if (limit != 0) {
      EXPECT_LE(page->records.size(), limit);
    }
    for (const auto& r : page->records) ids.push_back(r.id);
    if (page->resume_token.empty()) break;
    query.resume_token = page->resume_token;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The ids Device::List returns for `query` (an activity or report query,
// which List can state), in List's order; Device::Conflicts' for the open
// conflicts. Both read an index when one narrows them.
std::optional<std::vector<std::string>> ListedIds(Device& device, const RecordQuery& query) {
  absl::StatusOr<std::vector<sync::RecordState>> records;
  if (query.collection == "conflict") {
    if (query.equals.empty()) return std::nullopt;
    records = device.Conflicts();
  } else {
    mobile::ListQuery list;
    list.collection = query.collection;
    list.region = query.region;
    for (const auto& [field, value] : query.equals) {
      if (field == "year") list.year = std::get<int64_t>(value);
      if (field == "status") list.status = std::get<std::string>(value);
      if (field == "activity_id") list.activity_id = std::get<std::string>(value);
    }
    records = device.List(list);
  }
  EXPECT_TRUE(records.ok()) << records.status();
  std::vector<std::string> ids;
  if (records.ok()) {
    for (const sync::RecordState& r : *records) ids.push_back(r.id);
  }
  return ids;
}

class DeviceQueryTest : public DeviceFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    TestClient admin = AdminClient(*server_);
    std::string token_a, token_b;
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesaA, kDesaB}, &token_a).ok());
    ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {kDesaA, kDesaB}, &token_b).ok());
    ASSERT_OK_AND_ASSIGN(a_, OpenDevice("a", server_->address(), token_a));
    ASSERT_OK_AND_ASSIGN(b_, OpenDevice("b", server_->address(), token_b));
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Device> a_, b_;
};

void ExpectQueriesMatchScans(Device& device, const std::vector<std::string>& activity_ids,
                             const std::string& when) {
  std::vector<RecordQuery> queries;
  for (const char* region : {"", "62.10.01", kDesaA, kDesaB}) {
    for (int64_t year : {int64_t{0}, int64_t{2025}, int64_t{2026}}) {
      for (const char* status : {"", "planned", "done"}) {
        RecordQuery q{"activity", region, {}, 0, ""};
        if (year != 0) q.equals.emplace_back("year", year);
        if (*status != '\0') q.equals.emplace_back("status", std::string(status));
        queries.push_back(q);
      }
    }
  }
  for (size_t i = 0; i < activity_ids.size() && i < 6; ++i) {
    queries.push_back(RecordQuery{"progress_report", "", {{"activity_id", activity_ids[i]}}, 0, ""});
  }
  queries.push_back(RecordQuery{"conflict", "", {{"resolution", sync::Null{}}}, 0, ""});
  queries.push_back(RecordQuery{"conflict", "", {}, 0, ""});
  for (const RecordQuery& q : queries) {
    const std::vector<std::string> want = ScanIds(device, q);
    SCOPED_TRACE(when + ": " + q.collection + " region=" + q.region + " conditions=" +
                 std::to_string(q.equals.size()));
    EXPECT_EQ(QueryIds(device, q, 0), want);
    EXPECT_EQ(QueryIds(device, q, 3), want);
    EXPECT_THAT(device.Count(q), IsOkAndHolds(want.size()));
    if (auto listed = ListedIds(device, q)) {
      EXPECT_EQ(*listed, want);  // by id, as a scan lists
    }
  }
}

TEST_F(DeviceQueryTest, QueriesEqualFilteredScansAfterRandomWritesSyncsAndDeletes) {
  std::mt19937 rng(18);
  std::vector<std::string> ids;  // activities created on either device
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  for (int step = 0; step < 240; ++step) {
    Device& d = pick(2) == 0 ? *a_ : *b_;
    const size_t op = pick(10);
    const std::string desa = pick(2) == 0 ? kDesaA : kDesaB;
    if (op < 3 || ids.empty()) {
      auto id = d.Create("activity", desa, Activity(2025 + pick(2), kStatuses[pick(5)]));
      ASSERT_TRUE(id.ok()) << id.status();
      ids.push_back(*id);
    } else if (op < 6) {
      // Either device may not have the record yet (NOT_FOUND is fine).
      const std::string& id = ids[pick(ids.size())];
      FieldValues change = pick(2) == 0 ? FieldValues{{"status", std::string(kStatuses[pick(5)])}}
                                        : FieldValues{{"year", int64_t(2025 + pick(2))}};
      absl::Status s = d.Update("activity", id, change);
      ASSERT_TRUE(s.ok() || s.code() == absl::StatusCode::kNotFound) << s;
    } else if (op < 7) {
      absl::Status s = d.Delete("activity", ids[pick(ids.size())]);
      ASSERT_TRUE(s.ok() || s.code() == absl::StatusCode::kNotFound) << s;
    } else if (op < 8) {
      auto activity = d.Get("activity", ids[pick(ids.size())]);
      if (activity.ok() && activity->Visible()) {
        ASSERT_OK(d.Create("progress_report", activity->scope, Report(activity->id)).status());
      }
    } else {
      SyncOk(d);
    }
    if (step % 60 == 59) {
      ExpectQueriesMatchScans(*a_, ids, "a at step " + std::to_string(step));
      ExpectQueriesMatchScans(*b_, ids, "b at step " + std::to_string(step));
    }
  }
  SyncOk(*a_);
  SyncOk(*b_);
  SyncOk(*a_);
  ExpectQueriesMatchScans(*a_, ids, "a after the last syncs");
  ExpectQueriesMatchScans(*b_, ids, "b after the last syncs");
  auto conflicts = a_->Conflicts();
  ASSERT_TRUE(conflicts.ok());
  EXPECT_THAT(a_->Count(RecordQuery{"conflict", "", {{"resolution", sync::Null{}}}, 0, ""}),
              IsOkAndHolds(conflicts->size()));
}

// Collects observer calls: the ids per call, and the threads they came on.
struct Seen {
  absl::Mutex mu;
  std::vector<std::vector<std::string>> calls ABSL_GUARDED_BY(mu);
  std::set<std::thread::id> threads ABSL_GUARDED_BY(mu);

  mobile::ChangeCallback Callback() {
    return [this](const mobile::RecordChanges& changes) {
      absl::MutexLock lock(&mu);
      calls.push_back(changes.ids);
      threads.insert(std::this_thread::get_id());
    };
  }
  std::set<std::string> Ids() {
    absl::MutexLock lock(&mu);
    std::set<std::string> out;
    for (const auto& c : calls) out.insert(c.begin(), c.end());
    return out;
  }
  // Waits (on the mutex, not a sleep) until `want` were all reported.
  bool WaitFor(const std::set<std::string>& want) {
    auto all = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      std::set<std::string> got;
      for (const auto& c : calls) got.insert(c.begin(), c.end());
      return std::includes(got.begin(), got.end(), want.begin(), want.end());
    };
    absl::MutexLock lock(&mu);
    return mu.AwaitWithTimeout(absl::Condition(&all), absl::Seconds(120));
  }
};

TEST_F(DeviceQueryTest, ObserversSeeEveryCommitOfConcurrentWritesAndSyncs) {
  Seen in_a, everything_b;
  ASSERT_OK_AND_ASSIGN(uint64_t watch_a,
                       b_->Observe(RecordQuery{"activity", kDesaA, {}, 0, ""}, in_a.Callback()));
  ASSERT_OK_AND_ASSIGN(uint64_t watch_all,
                       b_->Observe(RecordQuery{"activity", "", {}, 0, ""}, everything_b.Callback()));
  EXPECT_EQ(b_->Observe(RecordQuery{"activity", "", {{"colour", std::string("red")}}, 0, ""},
                        everything_b.Callback())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  // Device a writes from two threads; b writes from two threads and syncs
  // from a third, all at once.
  absl::Mutex ids_mu;
  std::set<std::string> b_local_a, b_local, a_made;
  auto writer = [&](Device& d, const std::string& desa, std::set<std::string>* into,
                    std::set<std::string>* into_a) {
    for (int i = 0; i < 25; ++i) {
      auto id = d.Create("activity", desa, Activity(2026, "planned"));
      ASSERT_TRUE(id.ok()) << id.status();
      absl::MutexLock lock(&ids_mu);
      into->insert(*id);
      if (into_a != nullptr) into_a->insert(*id);
    }
  };
  {
    std::vector<std::thread> threads;
    threads.emplace_back(writer, std::ref(*a_), kDesaA, &a_made, nullptr);
    threads.emplace_back(writer, std::ref(*a_), kDesaB, &a_made, nullptr);
    threads.emplace_back(writer, std::ref(*b_), kDesaA, &b_local, &b_local_a);
    threads.emplace_back(writer, std::ref(*b_), kDesaB, &b_local, nullptr);
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        auto report = b_->Sync(mobile::SyncOptions(), nullptr);
        EXPECT_TRUE(report.ok()) << report.status();
      }
    });
    for (std::thread& t : threads) t.join();
  }
  SyncOk(*a_);
  SyncOk(*b_);  // brings every record a made

  std::set<std::string> all = b_local;
  all.insert(a_made.begin(), a_made.end());
  ASSERT_TRUE(everything_b.WaitFor(all));
  std::set<std::string> want_a = b_local_a;
  for (const std::string& id : a_made) {
    auto r = b_->Get("activity", id);
    ASSERT_TRUE(r.ok());
    if (r->scope == kDesaA) want_a.insert(id);
  }
  ASSERT_TRUE(in_a.WaitFor(want_a));
  EXPECT_EQ(in_a.Ids(), want_a);  // nothing of the other desa
  {
    absl::MutexLock lock(&everything_b.mu);
    EXPECT_EQ(everything_b.threads.size(), 1u);  // the notification thread
    EXPECT_EQ(everything_b.threads.count(std::this_thread::get_id()), 0u);
  }

  // After Unobserve: no call, even for a watched record.
  ASSERT_OK(b_->Unobserve(watch_a));
  EXPECT_EQ(b_->Unobserve(watch_a).code(), absl::StatusCode::kNotFound);
  size_t calls_before;
  {
    absl::MutexLock lock(&in_a.mu);
    calls_before = in_a.calls.size();
  }
  ASSERT_OK_AND_ASSIGN(std::string late, b_->Create("activity", kDesaA, Activity(2026, "done")));
  ASSERT_TRUE(everything_b.WaitFor({late}));  // delivered to the other observer: the commit passed
  {
    absl::MutexLock lock(&in_a.mu);
    EXPECT_EQ(in_a.calls.size(), calls_before);
  }
  ASSERT_OK(b_->Unobserve(watch_all));
}

// Unobserve from inside the callback returns at once, and one waiting on
// another thread returns only after the call in progress has finished.
TEST_F(DeviceQueryTest, UnobserveWaitsForTheCallInProgress) {
  absl::Mutex mu;
  bool in_call = false, release = false, finished = false;
  uint64_t self_id = 0;
  bool self_removed = false;
  ASSERT_OK_AND_ASSIGN(
      uint64_t slow,
      a_->Observe(RecordQuery{"activity", "", {}, 0, ""}, [&](const mobile::RecordChanges&) {
        absl::MutexLock lock(&mu);
        in_call = true;
        mu.Await(absl::Condition(&release));
        finished = true;
      }));
  ASSERT_OK_AND_ASSIGN(self_id, a_->Observe(RecordQuery{"activity", "", {}, 0, ""},
                                            [&](const mobile::RecordChanges&) {
                                              absl::MutexLock lock(&mu);
                                              if (self_removed) return;
                                              self_removed = a_->Unobserve(self_id).ok();
                                            }));
  ASSERT_OK(a_->Create("activity", kDesaA, Activity(2026, "planned")).status());
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&in_call));
  }
  std::thread unobserver([&] {
    ASSERT_OK(a_->Unobserve(slow));
    absl::MutexLock lock(&mu);
    EXPECT_TRUE(finished);  // Unobserve returned only after the call ended
  });
  {
    absl::MutexLock lock(&mu);
    release = true;
  }
  unobserver.join();
  ASSERT_OK(a_->Create("activity", kDesaA, Activity(2026, "planned")).status());
  a_.reset();  // delivers what was committed, then stops the thread
  absl::MutexLock lock(&mu);
  EXPECT_TRUE(self_removed);
}

}  // namespace
}  // namespace kawal::testing
