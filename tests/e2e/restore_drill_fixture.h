// The restore drill's set-up, shared by the drills over the network
// (restore_drill_test.cc) and by bundle (bundle_restore_test.cc): a server
// with a backup dir, facilitators ani (both desa) and budi (desa A) with a
// device each, work that makes creates, edits and a conflict, a restore of
// a backup, and what the server and each device hold.
//
// Thread-safety: one test thread per fixture.
#ifndef KAWAL_TESTS_E2E_RESTORE_DRILL_FIXTURE_H_
#define KAWAL_TESTS_E2E_RESTORE_DRILL_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/codec.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {

inline constexpr char kDesaA[] = "62.10.01.2002";
inline constexpr char kDesaB[] = "62.10.01.2003";

// collection/id -> "field=value@stamp|..." for every field of every record.
using Contents = std::map<std::string, std::string>;

inline std::string Describe(const sync::RecordState& r) {
  std::string text = r.Visible() ? "visible" : "deleted";
  for (const auto& [name, f] : r.fields) {
    text += "|" + name + "=" + sync::ValueToJson(f.value) + "@" + sync::StampToString(f.stamp);
  }
  return text;
}

class RestoreDrillTest : public DeviceFixture {
 protected:
  void SetUp() override {
    data_dir_ = dir_.path() + "/data";
    backup_dir_ = dir_.path() + "/backups";
    ASSERT_NO_FATAL_FAILURE(StartServer());
    TestClient admin = AdminClient(*server_);
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesaA, kDesaB}, &token_a_).ok());
    ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {kDesaA}, &token_b_).ok());
    ASSERT_OK_AND_ASSIGN(a_, OpenDevice("a", server_->address(), token_a_));
    ASSERT_OK_AND_ASSIGN(b_, OpenDevice("b", server_->address(), token_b_));
  }

  void StartServer() {
    server_ = std::make_unique<ServerProcess>(
        data_dir_, std::vector<std::string>{"--backup_dir=" + backup_dir_});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    for (mobile::Device* d : {a_.get(), b_.get()}) {
      if (d != nullptr) {
        ASSERT_TRUE(d->Configure(server_->address(), "").ok());
      }
    }
  }

  mobile::SyncReport Sync(mobile::Device& d) {
    auto report = d.Sync(mobile::SyncOptions(), nullptr);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : mobile::SyncReport{};
  }

  std::pair<int, std::string> Admin(std::vector<std::string> args) {
    auto result = server_->RunAdmin(args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : std::make_pair(-1, result.status().ToString());
  }

  // Everything the server holds under `region`, as an admin pulls it.
  Contents ServerContents(const std::string& region = "62.10") {
    TestClient admin = AdminClient(*server_);
    admin.set_whole_records(true);
    std::vector<v1::Record> records;
    std::string cursor;
    EXPECT_TRUE(admin.PullAll(0, {region}, &records, &cursor).ok());
    Contents out;
    for (const auto& r : records) {
      auto state = sync::FromProto(r);
      EXPECT_TRUE(state.ok()) << state.status();
      if (!state.ok()) continue;
      EXPECT_TRUE(r.whole()) << r.id() << " created_seq " << r.created_seq() << " seq " << r.seq();
      EXPECT_FALSE(out.count(r.collection() + "/" + r.id())) << "pulled twice: " << r.id();
      out[r.collection() + "/" + r.id()] = Describe(*state);
    }
    return out;
  }

  static Contents DeviceContents(mobile::Device& d) {
    Contents out;
    for (const char* c : {"activity", "progress_report", "conflict"}) {
      mobile::ListQuery q;
      q.collection = c;
      q.include_deleted = true;
      auto records = d.List(q);  // keep the StatusOr alive while iterating
      EXPECT_TRUE(records.ok()) << records.status();
      if (!records.ok()) continue;
      for (const auto& r : *records) out[std::string(c) + "/" + r.id] = Describe(r);
    }
    return out;
  }

  // A few creates and edits on both devices, with a same-field conflict.
  void Work(const std::string& tag, int creates) {
    for (int i = 0; i < creates; ++i) {
      for (auto [d, scope] : {std::pair{a_.get(), kDesaB}, std::pair{b_.get(), kDesaA}}) {
        auto id = d->Create("activity", scope,
                            {{"name", tag + " " + std::to_string(i)}, {"year", int64_t{2026}},
                             {"sector", int64_t{2}}, {"status", std::string("planned")},
                             {"budget", sync::AmountMap{{"DDS", 1000000}}}});
        ASSERT_TRUE(id.ok()) << id.status();
        ids_.push_back(*id);
      }
    }
    Sync(*a_);
    Sync(*b_);
    Sync(*a_);
    // An edit of an existing shared record on both devices (a conflict).
    mobile::ListQuery shared;
    shared.region = kDesaA;
    ASSERT_OK_AND_ASSIGN(std::vector<sync::RecordState> records, a_->List(shared));
    ASSERT_FALSE(records.empty());
    const std::string id = records.front().id;
    ASSERT_TRUE(a_->Update("activity", id, {{"notes", std::string(tag + " dari ani")}}).ok());
    ASSERT_TRUE(b_->Update("activity", id, {{"notes", std::string(tag + " dari budi")}}).ok());
    Sync(*a_);
    Sync(*b_);
    Sync(*a_);
  }

  // Stops the server, restores backup `id` and starts it again; devices
  // are pointed at its new address.
  void Restore(const std::string& id) {
    ASSERT_NO_FATAL_FAILURE(RestoreBackup(id));
    StartServer();
  }

  // Stops the server and restores backup `id` into its data dir.
  void RestoreBackup(const std::string& id) {
    ASSERT_TRUE(server_->Stop().ok());
    auto result = ServerProcess::RunToExit(
        AdminBinary(), {"restore", "--backup_dir=" + backup_dir_, "--backup_id=" + id,
                        "--data_dir=" + data_dir_, "--force"});
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->first, 0) << result->second;
  }

  // A complete activity in `scope`, written on `d`.
  std::string NewActivity(mobile::Device& d, const char* scope, const std::string& name) {
    auto id = d.Create("activity", scope,
                       {{"name", name}, {"year", int64_t{2026}}, {"sector", int64_t{3}},
                        {"status", std::string("planned")},
                        {"budget", sync::AmountMap{{"DDS", 2000000}}}});
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : std::string();
  }

  // After both devices sync (ani twice, to pull what budi re-sent): the
  // server's copy of activity `id` holds every text of `wanted`, both
  // devices hold what the server holds, aggregates verify.
  void ExpectHealed(const std::string& id, const std::vector<std::string>& wanted) {
    ASSERT_TRUE(a_->Configure(server_->address(), "").ok());
    Sync(*a_);
    Sync(*b_);
    Sync(*a_);
    const Contents server = ServerContents();
    auto it = server.find("activity/" + id);
    ASSERT_NE(it, server.end()) << "the record the backup lacked was not re-sent";
    for (const std::string& text : wanted) {
      EXPECT_NE(it->second.find(text), std::string::npos) << text << " lost: " << it->second;
    }
    EXPECT_EQ(DeviceContents(*a_), server);
    EXPECT_EQ(DeviceContents(*b_), ServerContents(kDesaA));
    EXPECT_EQ(Admin({"aggregates", "verify"}).first, 0);
  }

  // Everything that existed before is on the server again, unchanged.
  void ExpectServerHolds(const Contents& before) {
    Contents now = ServerContents();
    for (const auto& [key, text] : before) {
      auto it = now.find(key);
      ASSERT_NE(it, now.end()) << key << " lost by the restore";
      EXPECT_EQ(it->second, text) << key;
    }
  }

  std::string data_dir_, backup_dir_, token_a_, token_b_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<mobile::Device> a_, b_;
  std::vector<std::string> ids_;
};

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_E2E_RESTORE_DRILL_FIXTURE_H_
