// kill -9 during a stream of pushes: after a restart every acknowledged
// record is present and sequence numbers keep increasing (nothing is
// acknowledged before it is durable; sequences are never reused).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "server_process.h"
#include "status_assert.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

constexpr char kDesa[] = "62.10.01.2001";

TEST(CrashDurabilityTest, EveryAcknowledgedPushSurvivesKillDashNine) {
  TempDir dir;
  ServerProcess server(dir.path() + "/data");
  ASSERT_TRUE(server.Start().ok()) << server.Stderr();
  ASSERT_OK_AND_ASSIGN(const std::string admin_token, server.AdminToken());
  TestClient admin(server.address(), admin_token);
  std::string token;
  ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token).ok());

  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, uint64_t> acked;  // id -> seq, guarded by mu
  uint64_t max_acked_seq = 0;             // guarded by mu
  int batches = 0;                         // guarded by mu
  bool stopped = false;                    // guarded by mu

  std::thread pusher([&] {
    TestClient ani(server.address(), token);
    sync::Clock clock(0xD1);
    for (int b = 0; b < 100000; ++b) {
      std::vector<sync::RecordDelta> deltas;
      for (int i = 0; i < 20; ++i) {
        deltas.push_back(NewActivity(clock, "k" + std::to_string(b) + "-" + std::to_string(i), kDesa));
      }
      v1::PushResponse response;
      grpc::Status status = ani.Push(MakePush(0xD1, deltas), &response);
      std::lock_guard<std::mutex> lock(mu);
      if (!status.ok()) break;  // the server is gone
      for (const auto& r : response.results()) {
        if (r.applied()) {
          acked[r.id()] = r.seq();
          max_acked_seq = std::max(max_acked_seq, r.seq());
        }
      }
      ++batches;
      cv.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu);
    stopped = true;
    cv.notify_all();
  });

  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return batches >= 30 || stopped; });
  }
  server.Kill();  // SIGKILL, mid-stream
  pusher.join();
  ASSERT_GE(batches, 30);

  ASSERT_TRUE(server.Start().ok()) << server.Stderr();
  TestClient after(server.address(), admin_token);
  std::vector<v1::Record> records;
  std::string cursor;
  ASSERT_TRUE(after.PullAll(0, {kDesa}, &records, &cursor).ok());
  std::set<std::string> present;
  for (const auto& r : records) present.insert(r.id());
  for (const auto& [id, seq] : acked) {
    ASSERT_TRUE(present.count(id)) << "acknowledged record " << id << " (seq " << seq << ") lost";
  }

  TestClient ani(server.address(), token);
  sync::Clock clock(0xD2);
  v1::PushResponse response;
  ASSERT_TRUE(ani.Push(MakePush(0xD2, {NewActivity(clock, "after-crash", kDesa)}), &response).ok());
  ASSERT_TRUE(response.results(0).applied());
  EXPECT_GT(response.results(0).seq(), max_acked_seq) << "sequence reused after the crash";
  std::cout << "acknowledged " << acked.size() << " records in " << batches
            << " batches before kill -9; all present after restart\n";
}

}  // namespace
}  // namespace kawal::testing
