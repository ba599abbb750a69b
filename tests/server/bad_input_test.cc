// Bad input against the real kawal-server: every malformed request or
// delta is answered with the right code (or per-record reject reason) and a
// message naming the problem, and nothing already stored changes.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

constexpr char kDesaA[] = "62.10.01.2001";  // not among the seeded villages
constexpr char kDesaB[] = "62.10.01.2002";  // a seeded village
constexpr uint64_t kDevice = 0xBAD1;
constexpr uint32_t kMaxBatch = 10;
constexpr uint32_t kMaxMessageBytes = 262144;

// A complete progress report about `activity_id`.
sync::RecordDelta NewReport(sync::Clock& clock, const std::string& id, const std::string& scope,
                            const std::string& activity_id) {
  sync::RecordDelta d;
  d.collection = sync::kProgressReport;
  d.id = id;
  d.scope = scope;
  d.changes.push_back({"activity_id", activity_id, clock.Now(), {}});
  d.changes.push_back({"physical_progress_pct", 35.0, clock.Now(), {}});
  d.changes.push_back({"visit_date", std::string("2026-05-01"), clock.Now(), {}});
  return d;
}

std::string Key(const v1::Record& r) { return absl::StrCat(r.collection(), "/", r.id()); }

std::string Bytes(const v1::Record& r) { return CanonicalBytes(r); }

// A push whose one record must be rejected for `reason`, with a message
// holding every one of `needles`.
struct RecordCase {
  std::string name;
  sync::RecordDelta delta;
  v1::RejectReason reason;
  std::vector<std::string> needles;
};

// A call that must fail as a whole with `code` and a message holding every
// one of `needles`.
struct CallCase {
  std::string name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
  std::vector<std::string> needles;
};

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        dir_.path() + "/data",
        std::vector<std::string>{"--seed_region=62.10", absl::StrCat("--max_batch=", kMaxBatch),
                                 absl::StrCat("--max_message_bytes=", kMaxMessageBytes)});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    absl::StatusOr<std::string> admin = server_->AdminToken();
    ASSERT_TRUE(admin.ok());
    admin_ = std::make_unique<TestClient>(server_->address(), *admin);
    std::string token;
    ASSERT_TRUE(admin_->AddUser("ani", v1::FACILITATOR, {kDesaA, kDesaB}, &token).ok());
    ani_ = std::make_unique<TestClient>(server_->address(), token);
  }

  // Every record on the server, as the admin sees it from an empty cursor.
  std::vector<v1::Record> Snapshot() {
    std::vector<v1::Record> records;
    std::string cursor;
    grpc::Status s = admin_->PullAll(0, {}, &records, &cursor);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return records;
  }

  // Pushes `deltas` as ani; the call itself must succeed.
  v1::PushResponse Push(const std::vector<sync::RecordDelta>& deltas) {
    v1::PushResponse response;
    grpc::Status s = ani_->Push(MakePush(kDevice, deltas), &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  static void ExpectNeedles(const std::string& message, const std::vector<std::string>& needles) {
    for (const std::string& needle : needles) {
      EXPECT_NE(message.find(needle), std::string::npos)
          << "message should name \"" << needle << "\": " << message;
    }
  }

  static void ExpectRejected(const v1::PushResult& result, v1::RejectReason reason,
                             const std::vector<std::string>& needles) {
    EXPECT_FALSE(result.applied()) << result.message();
    EXPECT_EQ(result.reason(), reason)
        << "got " << v1::RejectReason_Name(result.reason()) << ": " << result.message();
    ExpectNeedles(result.message(), needles);
  }

  // The stamp a stored record's `field` carries.
  static sync::Stamp StampOf(const std::vector<v1::Record>& records, const std::string& id,
                             const std::string& field) {
    for (const v1::Record& r : records) {
      if (r.id() != id) continue;
      for (const v1::FieldState& f : r.fields()) {
        if (f.name() == field) return sync::FromProto(f.stamp());
      }
    }
    ADD_FAILURE() << "no field " << field << " in stored record " << id;
    return {};
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<TestClient> admin_, ani_;
  sync::Clock clock_{kDevice};
};

TEST_F(BadInputTest, EveryBadInputIsRefusedPreciselyAndChangesNothingStored) {
  // --- The known record set.
  v1::PushResponse stored =
      Push({NewActivity(clock_, "act-1", kDesaA), NewActivity(clock_, "act-2", kDesaA, "Posyandu"),
            NewActivity(clock_, "act-3", kDesaB, "Embung desa"),
            NewReport(clock_, "pr-1", kDesaA, "act-1")});
  ASSERT_EQ(stored.results_size(), 4);
  for (const v1::PushResult& r : stored.results()) ASSERT_TRUE(r.applied()) << r.message();

  const std::vector<v1::Record> before = Snapshot();
  std::map<std::string, std::string> before_bytes;
  for (const v1::Record& r : before) before_bytes[Key(r)] = Bytes(r);
  ASSERT_EQ(before_bytes.count("activity/act-1"), 1u);
  ASSERT_EQ(before_bytes.count("progress_report/pr-1"), 1u);
  ASSERT_GT(before_bytes.size(), 100u) << "the seeded villages are part of the snapshot";
  // Records the table tries to create; none may exist afterwards.
  std::set<std::string> must_not_exist;

  // --- Whole-call refusals.
  std::string valid_cursor;
  {
    std::vector<v1::Record> ignored;
    ASSERT_TRUE(ani_->PullAll(kDevice, {kDesaA}, &ignored, &valid_cursor).ok());
    ASSERT_GT(valid_cursor.size(), 9u);
  }
  auto pull_with_cursor = [this](std::string cursor) {
    return [this, cursor] {
      v1::PullRequest request;
      request.set_device_node(kDevice);
      request.add_scopes(kDesaA);
      request.set_cursor(cursor);
      v1::PullResponse response;
      return ani_->Pull(request, &response);
    };
  };
  std::string random_bytes(48, '\0');
  {
    std::mt19937 rng(20260501);
    for (char& c : random_bytes) c = static_cast<char>(rng());
  }
  auto push_call = [this](std::vector<sync::RecordDelta> deltas) {
    return [this, deltas] {
      v1::PushResponse response;
      grpc::Status s = ani_->Push(MakePush(kDevice, deltas), &response);
      EXPECT_EQ(response.results_size(), 0) << "a refused push has no per-record results";
      return s;
    };
  };

  sync::RecordDelta oversize =
      EditField(clock_, "activity", "act-1", kDesaA, "notes", std::string(400 * 1024, 'x'));
  std::vector<sync::RecordDelta> too_many;
  for (uint32_t i = 0; i <= kMaxBatch; ++i) {
    too_many.push_back(NewActivity(clock_, absl::StrCat("batch-", i), kDesaA));
    must_not_exist.insert(absl::StrCat("activity/batch-", i));
  }
  // Both deltas are valid on their own; together they are one too many.
  std::vector<sync::RecordDelta> duplicate = {
      NewActivity(clock_, "dup-new", kDesaA),
      EditField(clock_, "activity", "act-2", kDesaA, "name", std::string("Renamed once")),
      EditField(clock_, "activity", "act-2", kDesaA, "name", std::string("Renamed twice"))};
  must_not_exist.insert("activity/dup-new");

  const std::vector<CallCase> calls = {
      {"malformed cursor (random bytes)", pull_with_cursor(random_bytes),
       grpc::StatusCode::INVALID_ARGUMENT, {"cursor"}},
      {"truncated valid cursor", pull_with_cursor(valid_cursor.substr(0, valid_cursor.size() - 3)),
       grpc::StatusCode::INVALID_ARGUMENT, {"cursor"}},
      {"valid cursor cut to its first bytes", pull_with_cursor(valid_cursor.substr(0, 5)),
       grpc::StatusCode::INVALID_ARGUMENT, {"cursor"}},
      {"valid cursor with a flipped byte",
       pull_with_cursor([&] {
         std::string c = valid_cursor;
         c[c.size() / 2] ^= 0x40;
         return c;
       }()),
       grpc::StatusCode::INVALID_ARGUMENT, {"cursor"}},
      {"pull of an invalid region code",
       [this] {
         v1::PullRequest request;
         request.add_scopes("62.10.1");
         v1::PullResponse response;
         return ani_->Pull(request, &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, {"62.10.1"}},
      {"push over --max_message_bytes", push_call({oversize}),
       grpc::StatusCode::RESOURCE_EXHAUSTED, {"larger than max", "262144"}},
      {"push over --max_batch", push_call(too_many), grpc::StatusCode::RESOURCE_EXHAUSTED,
       {"limit", "11", "10"}},
      {"two deltas for the same record", push_call(duplicate), grpc::StatusCode::INVALID_ARGUMENT,
       {"act-2"}},
  };
  for (const CallCase& c : calls) {
    SCOPED_TRACE(c.name);
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), c.code) << s.error_message();
    EXPECT_FALSE(s.error_message().empty());
    ExpectNeedles(s.error_message(), c.needles);
  }

  // --- Per-record rejections, one push each.
  auto edit = [this](const std::string& collection, const std::string& id, const char* field,
                     sync::Value value) {
    return EditField(clock_, collection, id, kDesaA, field, std::move(value));
  };
  int64_t year_ahead = sync::SystemTimeMs() + 365LL * 24 * 3600 * 1000;
  sync::Clock future(kDevice, [&] { return year_ahead; });

  sync::RecordDelta unknown_collection = edit("budget_line", "bl-1", "amount", int64_t{5});
  must_not_exist.insert("budget_line/bl-1");
  sync::RecordDelta bad_scope = NewActivity(clock_, "act-bad-scope", "62.10.1.2001");
  must_not_exist.insert("activity/act-bad-scope");
  sync::RecordDelta bad_id = NewActivity(clock_, "act 1!", kDesaA);
  sync::RecordDelta missing_name = NewActivity(clock_, "act-no-name", kDesaA);
  std::erase_if(missing_name.changes, [](const sync::FieldChange& c) { return c.name == "name"; });
  must_not_exist.insert("activity/act-no-name");
  sync::RecordDelta moved = EditField(clock_, "activity", "act-1", kDesaB, "name",
                                      std::string("Moved to another desa"));
  sync::RecordDelta report_delete;
  report_delete.collection = sync::kProgressReport;
  report_delete.id = "pr-1";
  report_delete.scope = kDesaA;
  report_delete.tombstone_base = StampOf(before, "pr-1", "visit_date");
  report_delete.tombstone = clock_.Now();
  sync::RecordDelta no_stamp = edit("activity", "act-2", "name", std::string("No stamp"));
  no_stamp.changes[0].stamp = sync::Stamp{};
  sync::RecordDelta base_ahead = edit("activity", "act-2", "name", std::string("Base ahead"));
  base_ahead.changes[0].base = base_ahead.changes[0].stamp;
  base_ahead.changes[0].base.wall_ms += 60'000;
  sync::RecordDelta village_create;
  village_create.collection = sync::kVillage;
  village_create.id = kDesaA;  // village ids are desa codes; this one is not seeded
  village_create.scope = kDesaA;
  village_create.changes.push_back({"idm_status", std::string("maju"), clock_.Now(), {}});
  must_not_exist.insert(absl::StrCat("village/", kDesaA));
  sync::RecordDelta village_rename = EditField(clock_, "village", kDesaB, kDesaB, "name",
                                               std::string("Renamed by a device"));

  const std::vector<RecordCase> records = {
      {"unknown collection", unknown_collection, v1::UNKNOWN_COLLECTION, {"budget_line"}},
      {"unknown field", edit("activity", "act-1", "colour", std::string("red")),
       v1::UNKNOWN_FIELD, {"'colour'"}},
      {"wrong field type: sector as string",
       edit("activity", "act-1", "sector", std::string("dua")), v1::INVALID_FIELD,
       {"'sector'", "dua"}},
      {"physical_progress_pct 150", edit("activity", "act-1", "physical_progress_pct", 150.0),
       v1::INVALID_FIELD, {"'physical_progress_pct'", "150"}},
      {"sector 9", edit("activity", "act-1", "sector", int64_t{9}), v1::INVALID_FIELD,
       {"'sector'", "9", "1..5"}},
      {"sdg_goals [19]",
       edit("activity", "act-1", "sdg_goals", sync::ScalarList{int64_t{19}}), v1::INVALID_FIELD,
       {"'sdg_goals'", "19"}},
      {"negative budget",
       edit("activity", "act-1", "budget", sync::AmountMap{{"DDS", -5}}), v1::INVALID_FIELD,
       {"'budget'", "-5"}},
      {"progress report physical_progress_pct 150 on create",
       [&] {
         sync::RecordDelta d = NewReport(clock_, "pr-bad-pct", kDesaA, "act-1");
         for (auto& c : d.changes) {
           if (c.name == "physical_progress_pct") c.value = 150.0;
         }
         must_not_exist.insert("progress_report/pr-bad-pct");
         return d;
       }(),
       v1::INVALID_FIELD, {"'physical_progress_pct'", "150"}},
      {"invalid region code scope", bad_scope, v1::INVALID_SCOPE, {"62.10.1.2001"}},
      {"invalid record id", bad_id, v1::INVALID_ID, {"act 1!"}},
      {"create without a required field", missing_name, v1::INVALID_FIELD, {"'name'"}},
      {"scope differs from the stored record", moved, v1::MISMATCH, {"act-1", kDesaB}},
      {"append-only: change a field of a stored report",
       edit("progress_report", "pr-1", "physical_progress_pct", 50.0), v1::APPEND_ONLY,
       {"pr-1", "'physical_progress_pct'"}},
      {"append-only: add a field to a stored report",
       edit("progress_report", "pr-1", "notes", std::string("late note")), v1::APPEND_ONLY,
       {"pr-1", "'notes'"}},
      {"append-only: delete a stored report", report_delete, v1::APPEND_ONLY,
       {"progress_report", "deleted"}},
      {"stamp a year ahead",
       EditField(future, "activity", "act-2", kDesaA, "name", std::string("From the future")),
       v1::CLOCK_AHEAD, {"ahead of server time"}},
      {"missing (zero) stamp", no_stamp, v1::MALFORMED, {"'name'", "stamp"}},
      {"base newer than stamp", base_ahead, v1::MALFORMED, {"'name'", "base"}},
      {"device creates a village", village_create, v1::UNKNOWN_COLLECTION,
       {"village", "create"}},
      {"device writes a server-only village field", village_rename, v1::INVALID_FIELD,
       {"'name'", "not writable"}},
  };
  for (const RecordCase& c : records) {
    SCOPED_TRACE(c.name);
    v1::PushResponse response = Push({c.delta});
    ASSERT_EQ(response.results_size(), 1);
    EXPECT_EQ(response.results(0).collection(), c.delta.collection);
    EXPECT_EQ(response.results(0).id(), c.delta.id);
    ExpectRejected(response.results(0), c.reason, c.needles);
  }

  // --- A valid record among invalid ones is still applied, alone.
  {
    SCOPED_TRACE("mixed batch");
    v1::PushResponse mixed =
        Push({edit("activity", "act-1", "sector", std::string("dua")),
              NewActivity(clock_, "act-mixed-ok", kDesaA, "Sumur bor"),
              edit("activity", "act-2", "physical_progress_pct", 150.0),
              edit("progress_report", "pr-1", "physical_progress_pct", 60.0),
              edit("activity", "act-3", "colour", std::string("blue"))});
    ASSERT_EQ(mixed.results_size(), 5);
    ExpectRejected(mixed.results(0), v1::INVALID_FIELD, {"'sector'"});
    EXPECT_TRUE(mixed.results(1).applied()) << mixed.results(1).message();
    EXPECT_EQ(mixed.results(1).id(), "act-mixed-ok");
    EXPECT_GT(mixed.results(1).seq(), 0u);
    ExpectRejected(mixed.results(2), v1::INVALID_FIELD, {"'physical_progress_pct'", "150"});
    ExpectRejected(mixed.results(3), v1::APPEND_ONLY, {"pr-1", "'physical_progress_pct'"});
    ExpectRejected(mixed.results(4), v1::UNKNOWN_FIELD, {"'colour'"});
  }

  // --- Nothing stored before changed; only the valid record was added.
  const std::vector<v1::Record> after = Snapshot();
  std::map<std::string, std::string> after_bytes;
  for (const v1::Record& r : after) after_bytes[Key(r)] = Bytes(r);
  EXPECT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after_bytes.size(), after.size()) << "each record once";
  for (const auto& [key, bytes] : before_bytes) {
    auto it = after_bytes.find(key);
    if (it == after_bytes.end()) {
      ADD_FAILURE() << key << " disappeared";
      continue;
    }
    EXPECT_EQ(it->second, bytes) << key << " changed";
  }
  std::vector<std::string> added;
  for (const auto& [key, bytes] : after_bytes) {
    if (before_bytes.count(key) == 0) added.push_back(key);
  }
  EXPECT_EQ(added, std::vector<std::string>{"activity/act-mixed-ok"});
  for (const std::string& key : must_not_exist) {
    EXPECT_EQ(after_bytes.count(key), 0u) << key << " was stored by a refused write";
  }
}

TEST_F(BadInputTest, LimitsAreAdvertisedAndABatchAtTheLimitIsAccepted) {
  v1::HandshakeResponse hello;
  ASSERT_TRUE(ani_->Handshake(v1::HandshakeRequest(), &hello).ok());
  EXPECT_EQ(hello.limits().max_batch(), kMaxBatch);
  EXPECT_EQ(hello.limits().max_message_bytes(), kMaxMessageBytes);

  std::vector<sync::RecordDelta> batch;
  for (uint32_t i = 0; i < kMaxBatch; ++i) {
    batch.push_back(NewActivity(clock_, absl::StrCat("at-limit-", i), kDesaA));
  }
  v1::PushResponse response = Push(batch);
  ASSERT_EQ(response.results_size(), static_cast<int>(kMaxBatch));
  for (const v1::PushResult& r : response.results()) EXPECT_TRUE(r.applied()) << r.message();
}

}  // namespace
}  // namespace kawal::testing
