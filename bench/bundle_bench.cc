// A month by USB stick (issue #19, docs/bundles.md): one facilitator's
// device does a month of offline work (the link benchmark's "month"
// scenario: --edits edits over --activities activities and --reports
// progress reports, --photos of which carry one photo of --photo_kb KiB of
// random bytes in a JPEG-looking file), then the bundle round trip is timed:
// the device's export (Device::ExportBundle, file written), the office's
// import through the real kawal-server as `kawal-admin bundle import FILE`
// (the built kawal-admin, reply written next to the file), and the device's
// import of the reply (Device::ImportBundleReply). Prints a markdown table.
//
// Run: build/bench/bundle_bench [--edits=2000] [--activities=100]
//        [--reports=300] [--photos=30] [--photo_kb=3072]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench_device.h"
#include "bench_flags.h"
#include "bench_server.h"
#include "latency.h"
#include "scenario.h"
#include "server_process.h"

// The month scenario's own sizes (bench/scenarios/facilitator_month.cc).
ABSL_DECLARE_FLAG(int64_t, activities);
ABSL_DECLARE_FLAG(int64_t, edits);
ABSL_DECLARE_FLAG(int64_t, reports);
ABSL_FLAG(int64_t, photos, 30, "of the --reports progress reports, how many carry one photo");
ABSL_FLAG(int64_t, photo_kb, 3072, "size of each photo, KiB");

namespace kawal::bench {
namespace {

constexpr char kDesa[] = "62.10.01.2001";

int Fail(const std::string& what) {
  std::fprintf(stderr, "bundle_bench: %s\n", what.c_str());
  return 1;
}

// A picture of `bytes` random bytes (incompressible, as a real JPEG is)
// that starts like a JPEG; returns its path.
std::string WritePicture(const std::string& path, size_t bytes, std::mt19937_64& rng) {
  std::string picture(bytes, '\0');
  for (size_t at = 0; at < bytes; at += sizeof(uint64_t)) {
    const uint64_t word = rng();
    std::memcpy(picture.data() + at, &word, std::min(sizeof(word), bytes - at));
  }
  picture.replace(0, 4, "\xFF\xD8\xFF\xE0");
  std::ofstream(path, std::ios::binary) << picture;
  return path;
}

// The month's reports that carry a photo, one each, on the month's
// activities in turn.
absl::Status FilePhotoReports(mobile::Device& device, int64_t count, size_t photo_bytes,
                              const std::string& folder) {
  absl::StatusOr<std::vector<sync::RecordState>> activities = device.List({});
  if (!activities.ok()) return activities.status();
  if (activities->empty()) return absl::FailedPreconditionError("no activities to report on");
  std::mt19937_64 rng(42);
  const char* stages[] = {"0", "50", "100"};
  for (int64_t i = 0; i < count; ++i) {
    mobile::PhotoAttachment photo;
    photo.file = WritePicture(absl::StrCat(folder, "/photo", i, ".jpg"), photo_bytes, rng);
    photo.stage = stages[i % 3];
    absl::StatusOr<std::string> id = device.CreateReport(
        kDesa,
        {{"activity_id", (*activities)[i % activities->size()].id},
         {"visit_date", absl::StrFormat("2026-11-%02d", 1 + i % 28)},
         {"physical_progress_pct", double(10 * (i % 11))},
         {"notes", absl::StrCat("Foto kunjungan ke-", i + 1)}},
        {photo});
    if (!id.ok()) return id.status();
    std::filesystem::remove(photo.file);  // the store holds its own copy
  }
  return absl::OkStatus();
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int Run() {
  const int64_t reports = absl::GetFlag(FLAGS_reports);
  const int64_t photos = absl::GetFlag(FLAGS_photos);
  const size_t photo_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_photo_kb)) * 1024;
  if (photos < 0 || photos > reports) return Fail("--photos must be between 0 and --reports");
  if (photo_bytes < 4) return Fail("--photo_kb must be at least 1");
  // The scenario files the reports without photos; this driver the rest.
  absl::SetFlag(&FLAGS_reports, reports - photos);
  auto month = Scenarios().find("month");
  if (month == Scenarios().end()) return Fail("the month scenario is not linked in");
  std::unique_ptr<Scenario> scenario = month->second();

  absl::StatusOr<std::unique_ptr<BenchServer>> server = BenchServer::Start();
  if (!server.ok()) return Fail(server.status().ToString());
  absl::StatusOr<std::string> token = (*server)->AddFacilitator("ani", {kDesa});
  if (!token.ok()) return Fail(token.status().ToString());
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<mobile::Device>> opened =
      OpenDevice(dir.path() + "/device", (*server)->address(), *token);
  if (!opened.ok()) return Fail(opened.status().ToString());
  mobile::Device& device = **opened;

  // Before the month: the activities, synced (the device also learns the
  // server's bundle key at this handshake). Then the month, offline.
  if (absl::Status s = scenario->Prepare(device, kDesa); !s.ok()) return Fail(s.ToString());
  if (auto r = device.Sync(mobile::SyncOptions(), nullptr); !r.ok()) {
    return Fail(r.status().ToString());
  }
  if (absl::Status s = scenario->Work(device, kDesa); !s.ok()) return Fail(s.ToString());
  if (absl::Status s = FilePhotoReports(device, photos, photo_bytes, dir.path()); !s.ok()) {
    return Fail(s.ToString());
  }
  absl::StatusOr<uint64_t> pending = device.PendingCount();
  if (!pending.ok()) return Fail(pending.status().ToString());

  // 1. Export on the device, the file written as kawal-field writes it.
  const std::string bundle_path = dir.path() + "/ani.bundle";
  auto start = SteadyClock::now();
  absl::StatusOr<mobile::BundleExport> exported = device.ExportBundle({});
  if (!exported.ok()) return Fail(exported.status().ToString());
  std::ofstream(bundle_path, std::ios::binary) << exported->files.front();
  const double export_s = SecondsSince(start);

  // 2. Import at the office: kawal-admin against the running server. A
  // kawal-admin call that only asks the server its key gives the cost of
  // the process and its connection, included in the import's time.
  start = SteadyClock::now();
  absl::StatusOr<std::pair<int, std::string>> key = (*server)->RunAdmin({"bundle", "server-key"});
  const double admin_baseline_s = SecondsSince(start);
  if (!key.ok() || key->first != 0) return Fail("kawal-admin bundle server-key failed");
  start = SteadyClock::now();
  absl::StatusOr<std::pair<int, std::string>> imported =
      (*server)->RunAdmin({"bundle", "import", bundle_path});
  const double import_s = SecondsSince(start);
  if (!imported.ok()) return Fail(imported.status().ToString());
  if (imported->first != 0) return Fail("kawal-admin bundle import: " + imported->second);
  const std::string reply = ReadBytes(bundle_path + ".reply");

  // 3. The reply back on the device.
  start = SteadyClock::now();
  absl::StatusOr<mobile::BundleReplyReport> applied = device.ImportBundleReply(reply);
  const double reply_s = SecondsSince(start);
  if (!applied.ok()) return Fail(applied.status().ToString());
  absl::StatusOr<uint64_t> left = device.PendingCount();
  if (!left.ok()) return Fail(left.status().ToString());

  std::printf("setup: %s and %lld more with one photo of %lld KiB each (random bytes); %llu pending "
              "changes before the export; real kawal-server (synced WAL) on loopback\n\n",
              scenario->Describe().c_str(), static_cast<long long>(photos),
              static_cast<long long>(photo_bytes / 1024),
              static_cast<unsigned long long>(*pending));
  std::printf("| step | time | size |\n|---|---|---|\n");
  std::printf("| export on the device (%llu changes, %llu photos, %.1f MB of photos) | %.2f s | "
              "bundle %.1f MB (%llu bytes) |\n",
              static_cast<unsigned long long>(exported->deltas),
              static_cast<unsigned long long>(exported->photos), exported->photo_bytes / 1e6,
              export_s, exported->bytes / 1e6,
              static_cast<unsigned long long>(exported->bytes));
  std::printf("| import at the office (`kawal-admin bundle import`, reply written; about %.2f s of it "
              "is kawal-admin's start and connection) | %.2f s | reply %.1f KB (%zu bytes) |\n",
              admin_baseline_s, import_s, reply.size() / 1e3, reply.size());
  std::printf("| reply imported on the device (%llu acknowledged, %llu rejected, %llu pulled, "
              "%llu photos stored) | %.2f s | |\n",
              static_cast<unsigned long long>(applied->acknowledged),
              static_cast<unsigned long long>(applied->rejected),
              static_cast<unsigned long long>(applied->pulled),
              static_cast<unsigned long long>(applied->photos_stored), reply_s);
  std::printf("\nkawal-admin: %s", imported->second.c_str());
  std::printf("pending after the reply: %llu\n", static_cast<unsigned long long>(*left));
  if (*left != 0 || applied->rejected != 0) return Fail("the round trip left changes pending");
  return 0;
}

}  // namespace
}  // namespace kawal::bench

int main(int argc, char** argv) {
  kawal::bench::ParseBenchFlags(argc, argv);
  return kawal::bench::Run();
}
