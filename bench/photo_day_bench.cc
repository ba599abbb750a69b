// A facilitator's day of photo evidence over a poor link (docs/photos.md):
// R progress reports with P photos of MIN..MAX KB, written offline, then
// one sync through the FaultProxy emulating 64 kbit/s, 300 ms each way and
// a connection cut every 30 s. Measures when the records are done, when the
// photos are done, the bytes on the wire against the content, and the time
// against the ideal (bytes ÷ bandwidth). Real time: the full day
// (20 reports, 30 photos of 2–4 MB, ~90 MB) takes over three hours at
// 8 KB/s, so the default is a smaller day over the same link; the cost per
// 30-second window, and so the ratios, do not depend on the photo count.
//
// Run: build/bench/photo_day_bench [--reports=20] [--photos=6]
//        [--min_kb=200] [--max_kb=400] [--bandwidth=8000] [--latency_ms=300]
//        [--cut_s=30]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "fault_proxy.h"
#include "kawal/mobile/device.h"
#include "server_process.h"
#include "test_client.h"

ABSL_FLAG(int, reports, 20, "progress reports written offline");
ABSL_FLAG(int, photos, 6, "photos, spread over the reports");
ABSL_FLAG(int, min_kb, 200, "smallest photo, KiB");
ABSL_FLAG(int, max_kb, 400, "largest photo, KiB");
ABSL_FLAG(int64_t, bandwidth, 8000, "link bytes per second each way (8000 = 64 kbit/s)");
ABSL_FLAG(int, latency_ms, 300, "one-way latency");
ABSL_FLAG(int, cut_s, 30, "the link drops every connection after this many seconds");

namespace {

using Clock = std::chrono::steady_clock;
constexpr char kDesa[] = "62.10.01.2001";

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "photo_day_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace kawal;
  const int reports = absl::GetFlag(FLAGS_reports);
  const int photos = absl::GetFlag(FLAGS_photos);
  const int64_t bandwidth = absl::GetFlag(FLAGS_bandwidth);

  testing::TempDir dir;
  testing::ServerProcess server(dir.path() + "/server");
  if (absl::Status s = server.Start(); !s.ok()) return Fail(s.ToString() + server.Stderr());
  testing::TestClient admin(server.address(), *server.AdminToken());
  std::string token;
  if (!admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token).ok()) return Fail("add user");

  testing::FaultProxy proxy(server.address());
  if (absl::Status s = proxy.Start(); !s.ok()) return Fail(s.ToString());
  mobile::DeviceOptions options;
  options.home = dir.path() + "/phone";
  auto device = mobile::Device::Open(options);
  if (!device.ok()) return Fail(device.status().ToString());
  mobile::Device& phone = **device;
  if (!phone.Configure(proxy.address(), token).ok()) return Fail("configure");

  // The activities exist already (synced on a good day); the day's work is
  // the reports and photos.
  std::vector<std::string> activities;
  for (int i = 0; i < 5; ++i) {
    auto id = phone.Create("activity", kDesa,
                           {{"name", absl::StrCat("Kegiatan ", i)},
                            {"year", int64_t{2026}},
                            {"sector", int64_t{2}},
                            {"status", std::string("in_progress")}});
    if (!id.ok()) return Fail(id.status().ToString());
    activities.push_back(*id);
  }
  if (auto r = phone.Sync(mobile::SyncOptions(), nullptr); !r.ok()) return Fail(r.status().ToString());

  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> kb(absl::GetFlag(FLAGS_min_kb), absl::GetFlag(FLAGS_max_kb));
  const char* stages[] = {"0", "50", "100"};
  uint64_t photo_bytes = 0;
  int photo_index = 0;
  for (int r = 0; r < reports; ++r) {
    std::vector<mobile::PhotoAttachment> attached;
    // Photos spread evenly over the reports.
    const int upto = static_cast<int>((static_cast<int64_t>(r + 1) * photos) / reports);
    for (; photo_index < upto; ++photo_index) {
      std::string bytes(static_cast<size_t>(kb(rng)) * 1024, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      bytes.replace(0, 4, "\xFF\xD8\xFF\xE0");
      const std::string path = absl::StrCat(dir.path(), "/photo", photo_index, ".jpg");
      std::ofstream(path, std::ios::binary) << bytes;
      photo_bytes += bytes.size();
      mobile::PhotoAttachment a;
      a.file = path;
      a.stage = stages[photo_index % 3];
      attached.push_back(a);
    }
    auto id = phone.CreateReport(kDesa,
                                 {{"activity_id", activities[r % activities.size()]},
                                  {"visit_date", std::string("2026-11-20")},
                                  {"physical_progress_pct", 10.0 * (r % 10)},
                                  {"notes", std::string(300, 'n')}},
                                 attached);
    if (!id.ok()) return Fail(id.status().ToString());
  }

  proxy.ResetCounters();
  proxy.SetBandwidth(bandwidth);
  proxy.SetLatency(absl::Milliseconds(absl::GetFlag(FLAGS_latency_ms)));
  proxy.SetCutAfter(absl::Seconds(absl::GetFlag(FLAGS_cut_s)));
  mobile::SyncOptions sync;
  sync.max_attempts = 1000;  // the link always comes back
  sync.backoff_base_ms = 200;
  sync.backoff_cap_ms = 2000;
  sync.rpc_timeout_ms = 120000;
  const auto start = Clock::now();
  double records_done_s = -1;
  int64_t record_bytes = 0;
  auto report = phone.Sync(sync, [&](const mobile::SyncProgress& p) {
    if (records_done_s < 0 && p.phase == "photos") {
      records_done_s = Since(start);
      record_bytes = proxy.BytesUpstream() + proxy.BytesDownstream();
    }
  });
  const double total_s = Since(start);
  if (!report.ok()) return Fail(report.status().ToString());

  const int64_t up = proxy.BytesUpstream(), down = proxy.BytesDownstream();
  // The ideal: every byte the sync needed (the content of the photos and
  // what the records took), back to back at the link's rate, plus one
  // round trip per photo.
  const double rtt = 2 * absl::GetFlag(FLAGS_latency_ms) / 1000.0;
  const double ideal_s =
      static_cast<double>(photo_bytes + record_bytes) / static_cast<double>(bandwidth) +
      rtt * (photos + 1);
  std::printf(
      "photo day: %d reports, %d photos (%.1f MB), link %lld B/s, %d ms each way, cut every %d s\n"
      "  records done after %.1f s (%lld bytes)\n"
      "  photos done after %.1f s; ideal %.1f s -> %.0f%% of ideal\n"
      "  bytes up %lld (%.3fx the photo content), down %lld; cuts %lld; retries %d\n"
      "  photo content handed to the link %llu (%.3fx; includes what a cut lost in flight)\n",
      reports, photos, photo_bytes / 1e6, static_cast<long long>(bandwidth),
      absl::GetFlag(FLAGS_latency_ms), absl::GetFlag(FLAGS_cut_s), records_done_s,
      static_cast<long long>(record_bytes), total_s, ideal_s, 100.0 * ideal_s / total_s,
      static_cast<long long>(up), static_cast<double>(up) / photo_bytes,
      static_cast<long long>(down), static_cast<long long>(proxy.Cuts()), report->retries,
      static_cast<unsigned long long>(report->photo_bytes_sent),
      static_cast<double>(report->photo_bytes_sent) / photo_bytes);
  if (report->photos_uploaded != static_cast<uint64_t>(photos)) {
    return Fail(absl::StrCat("only ", report->photos_uploaded, " of ", photos, " photos uploaded"));
  }
  return 0;
}
