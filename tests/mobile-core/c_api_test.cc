// The C API (kawal/kawal.h) against a real kawal-server: a full sync with a
// C progress callback and a second device pulling the record; cancelling
// from inside the callback; a rejected write listed and discarded. Then
// the input errors C callers will hit: malformed JSON, unknown fields,
// unknown option keys, and messages cut at a UTF-8 boundary. Photos: a
// report with a photo, bad photos_json, the photo list, upload progress and
// a fetch on the second device.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "json.h"
#include "kawal/kawal.h"
#include "server_process.h"
#include "test_client.h"

// C progress callbacks, as an app would pass them.
struct ProgressLog {
  int calls = 0;
  std::vector<std::string> phases;
  uint64_t max_pushed = 0;
  uint64_t max_photo_sent = 0, max_photo_to_send = 0;
  kawal_device_t* cancel = nullptr;  // cancelled from the first callback if set
};

extern "C" {
static void CountProgress(const kawal_progress_t* progress, void* user_data) {
  ProgressLog* log = static_cast<ProgressLog*>(user_data);
  ++log->calls;
  log->phases.push_back(progress->phase == nullptr ? "(null)" : progress->phase);
  if (progress->records_pushed > log->max_pushed) log->max_pushed = progress->records_pushed;
  log->max_photo_sent = std::max(log->max_photo_sent, progress->photo_bytes_sent);
  log->max_photo_to_send = std::max(log->max_photo_to_send, progress->photo_bytes_to_send);
  if (log->cancel != nullptr) kawal_sync_cancel(log->cancel);
}
}  // extern "C"

namespace kawal::testing {
namespace {

using mobile::JsonValue;

constexpr char kDesa[] = "62.10.01.2001";
constexpr char kOtherDesa[] = "62.10.02.2001";
constexpr char kFields[] =
    R"({"name":"Jalan usaha tani","year":2026,"sector":2,"status":"planned",)"
    R"("budget":{"DDS":150000000},"sdg_goals":[9,1]})";

struct DeviceCloser {
  void operator()(kawal_device_t* device) const { kawal_device_close(device); }
};
using DevicePtr = std::unique_ptr<kawal_device_t, DeviceCloser>;

// Takes ownership of a returned string ("" for NULL).
std::string Take(char* s) {
  std::string out = s == nullptr ? "" : s;
  kawal_string_free(s);
  return out;
}

JsonValue Parse(const std::string& text) {
  absl::StatusOr<JsonValue> json = mobile::ParseJson(text);
  EXPECT_TRUE(json.ok()) << json.status() << " in " << text;
  return json.ok() ? *json : JsonValue();
}

int64_t IntOf(const JsonValue& object, const char* key) {
  const JsonValue* v = object.Find(key);
  EXPECT_TRUE(v != nullptr && v->type == JsonValue::Type::kNumber) << key;
  return v == nullptr ? -1 : static_cast<int64_t>(v->number);
}

std::string StringOf(const JsonValue& object, const char* key) {
  const JsonValue* v = object.Find(key);
  EXPECT_TRUE(v != nullptr && v->type == JsonValue::Type::kString) << key;
  return v == nullptr ? "" : v->text;
}

bool IsValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

DevicePtr OpenDevice(const std::string& home, const char* name) {
  kawal_error_t error;
  DevicePtr device(kawal_device_open(home.c_str(), name, &error));
  EXPECT_NE(device, nullptr) << error.message;
  EXPECT_EQ(error.code, 0);
  return device;
}

class CApiSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server",
                                              std::vector<std::string>{"--seed_region=62.10"});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    TestClient admin(server_->address(), *server_->AdminToken());
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &token_a_).ok());
    ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {kDesa}, &token_b_).ok());
  }

  DevicePtr Open(const char* name, const std::string& token) {
    DevicePtr device = OpenDevice(dir_.path() + "/" + name, name);
    kawal_error_t error;
    EXPECT_EQ(kawal_device_configure(device.get(), server_->address().c_str(), token.c_str(),
                                     &error),
              0)
        << error.message;
    return device;
  }

  std::string Create(kawal_device_t* device, const char* scope) {
    kawal_error_t error;
    std::string id = Take(kawal_record_create(device, "activity", scope, kFields, &error));
    EXPECT_EQ(error.code, 0) << error.message;
    return id;
  }

  // A successful sync's report.
  JsonValue Sync(kawal_device_t* device, const char* options = nullptr,
                 ProgressLog* log = nullptr) {
    kawal_error_t error;
    kawal_progress_t progress{};
    progress.struct_size = sizeof progress;
    std::string report = Take(kawal_sync(device, options, log ? CountProgress : nullptr,
                                         log ? &progress : nullptr, log, &error));
    EXPECT_EQ(error.code, 0) << error.message;
    return Parse(report.empty() ? "{}" : report);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_a_, token_b_;
};

TEST_F(CApiSyncTest, FullSyncWithProgressThenSecondDevicePulls) {
  DevicePtr a = Open("a", token_a_);
  std::string id = Create(a.get(), kDesa);
  ASSERT_EQ(id.size(), 32u);

  ProgressLog log;
  JsonValue report = Sync(a.get(), R"({"max_attempts":4,"push_batch":50,"pull_page":100,)"
                                   R"("rpc_timeout_ms":30000,"gzip":true})", &log);
  EXPECT_EQ(IntOf(report, "pushed"), 1);
  EXPECT_EQ(IntOf(report, "rejected"), 0);
  EXPECT_GT(IntOf(report, "bytes_sent"), 0);
  EXPECT_GT(IntOf(report, "bytes_received"), 0);
  ASSERT_NE(report.Find("restore_detected"), nullptr);
  EXPECT_FALSE(report.Find("restore_detected")->boolean);
  EXPECT_GE(log.calls, 2);
  ASSERT_FALSE(log.phases.empty());
  EXPECT_EQ(log.phases.front(), "handshake");
  EXPECT_EQ(log.phases.back(), "done");
  EXPECT_EQ(log.max_pushed, 1u);

  kawal_error_t error;
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 0);
  EXPECT_NE(Take(kawal_record_get(a.get(), "activity", id.c_str(), &error))
                .find(R"("pending":false)"),
            std::string::npos);

  JsonValue status = Parse(Take(kawal_status(a.get(), &error)));
  EXPECT_EQ(StringOf(status, "server"), server_->address());
  EXPECT_EQ(StringOf(status, "user"), "ani");
  EXPECT_FALSE(StringOf(status, "role").empty());
  EXPECT_FALSE(StringOf(status, "incarnation").empty());
  EXPECT_EQ(StringOf(status, "device").size(), 16u);
  EXPECT_EQ(StringOf(status, "last_error"), "");
  EXPECT_GT(IntOf(status, "last_sync_ms"), 0);
  EXPECT_GT(IntOf(status, "last_attempt_ms"), 0);
  EXPECT_EQ(IntOf(status, "pending_records"), 0);
  ASSERT_NE(status.Find("scopes"), nullptr);
  ASSERT_EQ(status.Find("scopes")->array.size(), 1u);
  EXPECT_EQ(status.Find("scopes")->array[0].text, kDesa);
  ASSERT_NE(status.Find("clock_offset_ms"), nullptr);

  DevicePtr b = Open("b", token_b_);
  JsonValue pulled = Sync(b.get());
  EXPECT_EQ(IntOf(pulled, "pulled"), 1);
  JsonValue list = Parse(Take(kawal_record_list(b.get(), R"({"region":"62.10.01"})", &error)));
  EXPECT_EQ(error.code, 0) << error.message;
  ASSERT_EQ(list.array.size(), 1u);
  const JsonValue& record = list.array[0];
  EXPECT_EQ(StringOf(record, "id"), id);
  EXPECT_EQ(StringOf(record, "scope"), kDesa);
  ASSERT_NE(record.Find("pending"), nullptr);
  EXPECT_FALSE(record.Find("pending")->boolean);
  const JsonValue* fields = record.Find("fields");
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(StringOf(*fields, "name"), "Jalan usaha tani");
  EXPECT_EQ(mobile::ToJson(*fields->Find("budget")), R"({"DDS":150000000})");
  EXPECT_EQ(mobile::ToJson(*fields->Find("sdg_goals")), "[9,1]");
  EXPECT_EQ(Take(kawal_conflicts(b.get(), &error)), "[]");
}

TEST_F(CApiSyncTest, AConflictIsSettledThroughTheCApi) {
  DevicePtr a = Open("a", token_a_);
  DevicePtr b = Open("b", token_b_);
  const std::string id = Create(a.get(), kDesa);
  Sync(a.get());
  Sync(b.get());
  kawal_error_t error;
  ASSERT_EQ(kawal_record_update(a.get(), "activity", id.c_str(), R"({"status":"in_progress"})",
                                &error), 0) << error.message;
  ASSERT_EQ(kawal_record_update(b.get(), "activity", id.c_str(), R"({"status":"stalled"})", &error),
            0) << error.message;
  Sync(a.get());
  Sync(b.get());
  Sync(a.get());
  JsonValue open = Parse(Take(kawal_conflicts(a.get(), &error)));
  ASSERT_EQ(open.array.size(), 1u);
  const std::string conflict = StringOf(open.array[0], "id");

  EXPECT_EQ(kawal_conflict_resolve(a.get(), conflict.c_str(), "maybe", nullptr, &error), -1);
  EXPECT_NE(std::string(error.message).find("winner"), std::string::npos) << error.message;
  EXPECT_EQ(kawal_conflict_resolve(a.get(), conflict.c_str(), "dismiss", nullptr, &error), -1);
  EXPECT_NE(std::string(error.message).find("note"), std::string::npos) << error.message;
  EXPECT_EQ(kawal_conflict_resolve(a.get(), nullptr, "winner", nullptr, &error), -1);
  ASSERT_EQ(kawal_conflict_resolve(a.get(), conflict.c_str(), "dismiss", "sudah dibahas", &error),
            0) << error.message;
  EXPECT_EQ(Take(kawal_conflicts(a.get(), &error)), "[]");

  Sync(a.get());
  Sync(b.get());
  EXPECT_EQ(Take(kawal_conflicts(b.get(), &error)), "[]");
  JsonValue all = Parse(Take(kawal_conflicts_all(b.get(), &error)));
  ASSERT_EQ(all.array.size(), 1u);
  const JsonValue* fields = all.array[0].Find("fields");
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(StringOf(*fields, "resolution"), "dismissed");
  EXPECT_EQ(StringOf(*fields, "resolved_by"), "ani");
  EXPECT_EQ(StringOf(*fields, "resolution_note"), "sudah dibahas");
}

TEST_F(CApiSyncTest, ReportWithPhotoUploadsAndTheOtherDeviceFetchesIt) {
  DevicePtr a = Open("a", token_a_);
  const std::string activity = Create(a.get(), kDesa);
  std::string bytes = "\xFF\xD8\xFF\xE0";
  bytes.resize(30000, 'p');
  const std::string file = dir_.path() + "/site.jpg";
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string fields = absl::StrCat(R"({"activity_id":")", activity,
                                          R"(","visit_date":"2026-11-20","physical_progress_pct":50})");
  const std::string photos = absl::StrCat(R"([{"file":")", file,
                                          R"(","stage":"50","lat":-1.5,"lon":113.5,"caption":"x"}])");
  kawal_error_t error;
  const std::string report_id = Take(
      kawal_report_create(a.get(), kDesa, fields.c_str(), photos.c_str(), &error));
  ASSERT_EQ(error.code, 0) << error.message;
  ASSERT_EQ(report_id.size(), 32u);
  // Bad photos_json: INVALID_ARGUMENT naming the problem; nothing saved.
  const int64_t pending = kawal_pending_count(a.get(), &error);
  for (const char* bad : {"{}", "[1]", R"([{"file":"x.jpg"}])", R"([{"file":"x","stage":5}])",
                          R"([{"file":"x","stage":"50","colour":"red"}])", "[{"}) {
    EXPECT_EQ(kawal_report_create(a.get(), kDesa, fields.c_str(), bad, &error), nullptr) << bad;
    EXPECT_EQ(error.code, 3) << bad << ": " << error.message;
  }
  const std::string text = dir_.path() + "/notes.txt";
  std::ofstream(text) << "not a picture";
  EXPECT_EQ(kawal_report_create(a.get(), kDesa, fields.c_str(),
                                absl::StrCat(R"([{"file":")", text, R"(","stage":"0"}])").c_str(),
                                &error),
            nullptr);
  EXPECT_EQ(error.code, 3) << error.message;
  EXPECT_NE(std::string(error.message).find("not a JPEG"), std::string::npos) << error.message;
  EXPECT_EQ(kawal_pending_count(a.get(), &error), pending);

  JsonValue list = Parse(Take(kawal_photo_list(a.get(), activity.c_str(), &error)));
  ASSERT_EQ(list.array.size(), 1u);
  EXPECT_EQ(StringOf(list.array[0], "report_id"), report_id);
  EXPECT_EQ(StringOf(list.array[0], "activity_id"), activity);
  EXPECT_EQ(StringOf(list.array[0], "stage"), "50");
  EXPECT_EQ(StringOf(list.array[0], "content_type"), "image/jpeg");
  EXPECT_EQ(IntOf(list.array[0], "size"), 30000);
  EXPECT_TRUE(list.array[0].Find("local")->boolean);
  EXPECT_FALSE(list.array[0].Find("uploaded")->boolean);
  const std::string sha = StringOf(list.array[0], "sha256");
  EXPECT_EQ(Take(kawal_photo_list(a.get(), "no-such-activity", &error)), "[]");

  ProgressLog log;
  JsonValue report = Sync(a.get(), nullptr, &log);
  EXPECT_EQ(IntOf(report, "photos_uploaded"), 1);
  EXPECT_GE(IntOf(report, "photo_bytes_sent"), 30000);
  EXPECT_EQ(IntOf(report, "photos_failed"), 0);
  EXPECT_EQ(log.max_photo_to_send, 30000u);
  EXPECT_GE(log.max_photo_sent, 30000u);
  list = Parse(Take(kawal_photo_list(a.get(), nullptr, &error)));
  ASSERT_EQ(list.array.size(), 1u);
  EXPECT_TRUE(list.array[0].Find("uploaded")->boolean);

  DevicePtr b = Open("b", token_b_);
  Sync(b.get());
  list = Parse(Take(kawal_photo_list(b.get(), nullptr, &error)));
  ASSERT_EQ(list.array.size(), 1u);
  EXPECT_FALSE(list.array[0].Find("local")->boolean);
  const std::string out = dir_.path() + "/fetched.jpg";
  ASSERT_EQ(kawal_photo_fetch(b.get(), sha.c_str(), out.c_str(), R"({"rpc_timeout_ms":30000})",
                              &error),
            0)
      << error.message;
  std::ifstream in(out, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()),
            bytes);
  EXPECT_EQ(kawal_photo_fetch(b.get(), std::string(64, '0').c_str(), out.c_str(), nullptr,
                              &error),
            -1);
  EXPECT_EQ(error.code, 5) << error.message;
  EXPECT_EQ(kawal_photo_fetch(b.get(), nullptr, out.c_str(), nullptr, &error), -1);
  EXPECT_EQ(error.code, 3);
}

TEST_F(CApiSyncTest, CancelFromProgressCallbackReturnsCancelled) {
  DevicePtr a = Open("a", token_a_);
  Create(a.get(), kDesa);
  ProgressLog log;
  log.cancel = a.get();
  kawal_error_t error;
  kawal_progress_t progress{};
  progress.struct_size = sizeof progress;
  char* report = kawal_sync(a.get(), nullptr, CountProgress, &progress, &log, &error);
  EXPECT_EQ(report, nullptr);
  kawal_string_free(report);
  EXPECT_EQ(error.code, 1) << error.message;
  EXPECT_NE(std::string(error.message), "");
  EXPECT_GE(log.calls, 1);
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 1);

  // The cancel ended with that sync: the next one runs.
  JsonValue again = Sync(a.get());
  EXPECT_EQ(IntOf(again, "pushed"), 1);
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 0);
}

TEST_F(CApiSyncTest, RejectedWriteIsListedAndDiscarded) {
  DevicePtr a = Open("a", token_a_);
  std::string id = Create(a.get(), kOtherDesa);  // a valid desa, but not ani's
  JsonValue report = Sync(a.get());
  EXPECT_EQ(IntOf(report, "rejected"), 1);

  kawal_error_t error;
  JsonValue rejections = Parse(Take(kawal_rejections(a.get(), &error)));
  EXPECT_EQ(error.code, 0);
  ASSERT_EQ(rejections.array.size(), 1u);
  const JsonValue& r = rejections.array[0];
  EXPECT_EQ(StringOf(r, "collection"), "activity");
  EXPECT_EQ(StringOf(r, "id"), id);
  EXPECT_EQ(StringOf(r, "scope"), kOtherDesa);
  EXPECT_EQ(StringOf(r, "reason"), "SCOPE_DENIED");
  EXPECT_NE(StringOf(r, "message").find(kOtherDesa), std::string::npos);
  EXPECT_GT(IntOf(r, "rejected_at_ms"), 0);
  JsonValue status = Parse(Take(kawal_status(a.get(), &error)));
  EXPECT_EQ(IntOf(status, "rejected_records"), 1);

  ASSERT_EQ(kawal_rejection_discard(a.get(), "activity", id.c_str(), &error), 0) << error.message;
  EXPECT_EQ(error.code, 0);
  EXPECT_EQ(Take(kawal_rejections(a.get(), &error)), "[]");
  EXPECT_EQ(kawal_record_get(a.get(), "activity", id.c_str(), &error), nullptr);
  EXPECT_EQ(error.code, 5);
  EXPECT_EQ(kawal_rejection_discard(a.get(), "activity", id.c_str(), &error), -1);
  EXPECT_EQ(error.code, 5);
}

class CApiInputTest : public ::testing::Test {
 protected:
  void SetUp() override { device_ = OpenDevice(dir_.path() + "/d", "d"); }

  // Expects INVALID_ARGUMENT with `part` in the message.
  void ExpectInvalid(const kawal_error_t& error, const std::string& part) {
    EXPECT_EQ(error.code, 3) << error.message;
    EXPECT_NE(std::string(error.message).find(part), std::string::npos)
        << "\"" << part << "\" not in: " << error.message;
  }

  TempDir dir_;
  DevicePtr device_;
};

// Sync bundles through the C API (docs/bundles.md): a device synced once
// exports its pending change; a bad option or key file is INVALID_ARGUMENT.
TEST_F(CApiSyncTest, BundleExportWritesTheFileAndKeepsThePendingChange) {
  DevicePtr a = Open("a", token_a_);
  kawal_error_t error;
  const std::string out = dir_.path() + "/a.bundle";
  EXPECT_EQ(kawal_bundle_export(a.get(), out.c_str(), nullptr, &error), nullptr);
  EXPECT_EQ(error.code, 9) << "before the server's key is known: " << error.message;
  Sync(a.get());
  Create(a.get(), kDesa);
  EXPECT_EQ(kawal_bundle_export(a.get(), out.c_str(), R"({"photos":"no"})", &error), nullptr);
  EXPECT_EQ(error.code, 3) << error.message;
  JsonValue exported =
      Parse(Take(kawal_bundle_export(a.get(), out.c_str(), R"({"photos":false})", &error)));
  ASSERT_EQ(error.code, 0) << error.message;
  EXPECT_EQ(IntOf(exported, "deltas"), 1);
  EXPECT_EQ(StringOf(exported, "bundle_id").size(), 64u);
  EXPECT_TRUE(std::ifstream(out).good());
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 1);
  EXPECT_EQ(kawal_bundle_trust_server_key(a.get(), "not a key file", &error), -1);
  EXPECT_EQ(error.code, 3) << error.message;
}

// A bundle split by size travels through another device's relay and its
// reply comes home, all through the C API.
TEST_F(CApiSyncTest, BundleSplitRelayedAndReplyImported) {
  DevicePtr a = Open("a", token_a_);
  DevicePtr b = Open("b", token_b_);
  Sync(a.get());
  Sync(b.get());
  kawal_error_t error;
  const std::string fields =
      R"({"name":"Embung","year":2026,"sector":2,"status":"planned","notes":")" +
      std::string(1900, 'x') + R"("})";
  Take(kawal_record_create(a.get(), "activity", kDesa, fields.c_str(), &error));
  ASSERT_EQ(error.code, 0) << error.message;
  const std::string out = dir_.path() + "/a.bundle";
  EXPECT_EQ(kawal_bundle_export(a.get(), out.c_str(), R"({"max_bytes":10})", &error), nullptr);
  EXPECT_EQ(error.code, 3) << error.message;
  EXPECT_NE(std::string(error.message).find("use a maximum of at least"), std::string::npos)
      << error.message;
  EXPECT_EQ(kawal_bundle_export(a.get(), out.c_str(), R"({"max_bytes":-1})", &error), nullptr);
  EXPECT_EQ(error.code, 3) << error.message;
  JsonValue exported =
      Parse(Take(kawal_bundle_export(a.get(), out.c_str(), R"({"max_bytes":1200})", &error)));
  ASSERT_EQ(error.code, 0) << error.message;
  const JsonValue* files = exported.Find("files");
  ASSERT_TRUE(files != nullptr && files->type == JsonValue::Type::kArray);
  ASSERT_GE(files->array.size(), 2u);
  const std::string part1 = files->array[0].text;
  EXPECT_EQ(part1, dir_.path() + "/a.part1of" + std::to_string(files->array.size()) + ".bundle");

  // b carries it: any part names the bundle, the others are read beside it.
  const std::string reply = dir_.path() + "/a.bundle.reply";
  EXPECT_EQ(kawal_bundle_relay(b.get(), part1.c_str(), nullptr, nullptr, &error), nullptr);
  EXPECT_EQ(error.code, 3) << error.message;
  JsonValue relayed = Parse(Take(kawal_bundle_relay(b.get(), files->array[1].text.c_str(),
                                                    reply.c_str(), nullptr, &error)));
  ASSERT_EQ(error.code, 0) << error.message;
  EXPECT_EQ(StringOf(relayed, "user"), "ani");
  EXPECT_EQ(IntOf(relayed, "applied"), 1);
  EXPECT_EQ(StringOf(relayed, "reply"), reply);
  EXPECT_EQ(StringOf(relayed, "device_node").size(), 16u);

  // a's own bundle is not a reply; a missing file is NOT_FOUND.
  EXPECT_EQ(kawal_bundle_import_reply(a.get(), part1.c_str(), &error), nullptr);
  EXPECT_EQ(error.code, 3) << error.message;
  EXPECT_EQ(kawal_bundle_import_reply(a.get(), (out + ".nothing").c_str(), &error), nullptr);
  EXPECT_EQ(error.code, 5) << error.message;
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 1);
  JsonValue imported = Parse(Take(kawal_bundle_import_reply(a.get(), reply.c_str(), &error)));
  ASSERT_EQ(error.code, 0) << error.message;
  EXPECT_EQ(IntOf(imported, "acknowledged"), 1);
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 0);

  // A part gone: the relay names it and nothing is sent.
  std::remove(files->array[1].text.c_str());
  EXPECT_EQ(kawal_bundle_relay(b.get(), part1.c_str(), reply.c_str(), nullptr, &error), nullptr);
  EXPECT_EQ(error.code, 5) << error.message;
  EXPECT_NE(std::string(error.message).find("part 2 of"), std::string::npos) << error.message;
}

TEST_F(CApiInputTest, MalformedJsonIsInvalidArgumentWithItsOffset) {
  kawal_error_t error;
  EXPECT_EQ(kawal_record_create(device_.get(), "activity", kDesa, R"({"name":)", &error), nullptr);
  ExpectInvalid(error, "JSON error at byte");
  std::string id = Take(kawal_record_create(device_.get(), "activity", kDesa, kFields, &error));
  ASSERT_EQ(error.code, 0) << error.message;
  EXPECT_EQ(kawal_record_update(device_.get(), "activity", id.c_str(), R"({"year":2026,})",
                                &error),
            -1);
  ExpectInvalid(error, "JSON error at byte");
  EXPECT_EQ(kawal_record_list(device_.get(), "{\"year\":", &error), nullptr);
  ExpectInvalid(error, "JSON error at byte");
  EXPECT_EQ(kawal_sync(device_.get(), "{", nullptr, nullptr, nullptr, &error), nullptr);
  ExpectInvalid(error, "JSON error at byte");
  EXPECT_EQ(kawal_record_create(device_.get(), "activity", kDesa, "[1]", &error), nullptr);
  ExpectInvalid(error, "JSON object");
  EXPECT_EQ(kawal_pending_count(device_.get(), &error), 1);
}

TEST_F(CApiInputTest, UnknownFieldsKeysAndCollectionsAreInvalidArgument) {
  kawal_error_t error;
  EXPECT_EQ(kawal_record_create(device_.get(), "activity", kDesa, R"({"foo":1})", &error),
            nullptr);
  ExpectInvalid(error, "unknown field 'foo'");
  EXPECT_EQ(kawal_record_create(device_.get(), "kegiatan", kDesa, "{}", &error), nullptr);
  ExpectInvalid(error, "unknown collection 'kegiatan'");
  EXPECT_EQ(kawal_record_list(device_.get(), R"({"tahun":2026})", &error), nullptr);
  ExpectInvalid(error, "unknown query key 'tahun'");
  EXPECT_EQ(kawal_record_list(device_.get(), R"({"year":"2026"})", &error), nullptr);
  ExpectInvalid(error, "year");
  EXPECT_EQ(kawal_sync(device_.get(), R"({"retries":3})", nullptr, nullptr, nullptr, &error),
            nullptr);
  ExpectInvalid(error, "unknown sync option 'retries'");
  EXPECT_EQ(kawal_sync(device_.get(), R"({"max_attempts":0})", nullptr, nullptr, nullptr, &error),
            nullptr);
  ExpectInvalid(error, "max_attempts");
  EXPECT_EQ(kawal_sync(device_.get(), R"({"gzip":1})", nullptr, nullptr, nullptr, &error), nullptr);
  ExpectInvalid(error, "gzip");
  // A progress callback needs the caller's struct, sized (kawal.h).
  EXPECT_EQ(kawal_sync(device_.get(), nullptr, CountProgress, nullptr, nullptr, &error), nullptr);
  ExpectInvalid(error, "struct_size");
  kawal_progress_t tiny{};
  tiny.struct_size = KAWAL_PROGRESS_MIN_SIZE - 1;
  EXPECT_EQ(kawal_sync(device_.get(), nullptr, CountProgress, &tiny, nullptr, &error), nullptr);
  ExpectInvalid(error, "struct_size");
  EXPECT_EQ(kawal_device_configure(device_.get(), nullptr, nullptr, &error), -1);
  ExpectInvalid(error, "server");
  EXPECT_EQ(kawal_device_configure_region(device_.get(), "127.0.0.1:1", nullptr, "62.1x",
                                          &error),
            -1);
  ExpectInvalid(error, "region");
  EXPECT_EQ(kawal_device_open(nullptr, nullptr, &error), nullptr);
  ExpectInvalid(error, "home");
  // Valid options reach Sync, which needs a server.
  EXPECT_EQ(kawal_sync(device_.get(), R"({"max_attempts":1})", nullptr, nullptr, nullptr, &error),
            nullptr);
  EXPECT_EQ(error.code, 9) << error.message;
}

TEST_F(CApiInputTest, ConfigureTakesTheRegionOfAShardProxy) {
  kawal_error_t error;
  EXPECT_EQ(kawal_device_configure_region(device_.get(), "127.0.0.1:1", "kd1_x", "62.10", &error),
            0)
      << error.message;
  EXPECT_EQ(kawal_device_configure_region(device_.get(), "127.0.0.1:1", nullptr, nullptr, &error),
            0)
      << error.message;
}

TEST_F(CApiInputTest, LongMessagesAreCutAtACharacterBoundary) {
  std::string collection;
  for (int i = 0; i < 400; ++i) collection += "\xC3\xA9";  // é, 2 bytes
  for (const std::string& prefix : {std::string(), std::string("x")}) {
    kawal_error_t error;
    EXPECT_EQ(kawal_record_create(device_.get(), (prefix + collection).c_str(), kDesa, "{}",
                                  &error),
              nullptr);
    EXPECT_EQ(error.code, 3);
    std::string message = error.message;
    EXPECT_GE(message.size(), static_cast<size_t>(KAWAL_ERROR_MESSAGE_SIZE - 2));
    EXPECT_LE(message.size(), static_cast<size_t>(KAWAL_ERROR_MESSAGE_SIZE - 1));
    EXPECT_TRUE(IsValidUtf8(message)) << message;
    EXPECT_EQ(message.rfind("unknown collection '", 0), 0u) << message;
  }
}

TEST_F(CApiInputTest, WriteBatchStoresEveryOpOrNone) {
  kawal_error_t error;
  const std::string ops = absl::StrCat(
      R"([{"op":"create","collection":"activity","scope":")", kDesa, R"(","id":"jalan-1",)",
      R"("fields":)", kFields, "},",
      R"({"op":"update","collection":"activity","id":"jalan-1",)",
      R"("fields":{"status":"in_progress"}},)",
      R"({"op":"create","collection":"activity","scope":")", kDesa, R"(","fields":)", kFields, "},",
      R"({"op":"delete","collection":"activity","id":"jalan-1"}])");
  JsonValue ids = Parse(Take(kawal_write_batch(device_.get(), ops.c_str(), &error)));
  ASSERT_EQ(error.code, 0) << error.message;
  ASSERT_EQ(ids.type, JsonValue::Type::kArray);
  ASSERT_EQ(ids.array.size(), 4u);
  EXPECT_EQ(ids.array[0].text, "jalan-1");
  EXPECT_EQ(ids.array[1].text, "jalan-1");
  EXPECT_EQ(ids.array[2].text.size(), 32u) << "a create without an id gets a new one";
  EXPECT_EQ(kawal_pending_count(device_.get(), &error), 2);

  // One bad op (year out of range): nothing stored, the op named.
  const std::string bad = absl::StrCat(
      R"([{"op":"create","collection":"activity","scope":")", kDesa, R"(","fields":)", kFields,
      "},", R"({"op":"create","collection":"activity","scope":")", kDesa,
      R"(","fields":{"name":"x","year":1999,"sector":2,"status":"planned"}}])");
  EXPECT_EQ(kawal_write_batch(device_.get(), bad.c_str(), &error), nullptr);
  ExpectInvalid(error, "op 1: ");
  EXPECT_EQ(kawal_pending_count(device_.get(), &error), 2);

  EXPECT_EQ(kawal_write_batch(device_.get(), R"([{"op":"upsert","collection":"activity"}])",
                              &error),
            nullptr);
  ExpectInvalid(error, "op 0: \"op\" must be create, update or delete");
  EXPECT_EQ(kawal_write_batch(device_.get(), R"({"op":"create"})", &error), nullptr);
  ExpectInvalid(error, "JSON array");
  EXPECT_EQ(kawal_write_batch(device_.get(), "[", &error), nullptr);
  ExpectInvalid(error, "JSON error at byte");
  EXPECT_EQ(kawal_write_batch(device_.get(), nullptr, &error), nullptr);
  ExpectInvalid(error, "ops_json");
  EXPECT_EQ(kawal_write_batch(device_.get(),
                              R"([{"op":"delete","collection":"activity","id":"nope"}])", &error),
            nullptr);
  EXPECT_EQ(error.code, 5) << error.message;
  EXPECT_EQ(Take(kawal_write_batch(device_.get(), "[]", &error)), "[]");
  EXPECT_EQ(error.code, 0) << error.message;
}

TEST_F(CApiSyncTest, ABatchIsPushedAndPulledByTheOtherDevice) {
  DevicePtr a = Open("a", token_a_);
  std::string ops = "[";
  for (int i = 0; i < 300; ++i) {
    absl::StrAppend(&ops, i == 0 ? "" : ",", R"({"op":"create","collection":"activity","scope":")",
                    kDesa, R"(","fields":)", kFields, "}");
  }
  ops += "]";
  kawal_error_t error;
  JsonValue ids = Parse(Take(kawal_write_batch(a.get(), ops.c_str(), &error)));
  ASSERT_EQ(error.code, 0) << error.message;
  EXPECT_EQ(ids.array.size(), 300u);
  EXPECT_EQ(IntOf(Sync(a.get()), "pushed"), 300);
  EXPECT_EQ(kawal_pending_count(a.get(), &error), 0);
  DevicePtr b = Open("b", token_b_);
  EXPECT_EQ(IntOf(Sync(b.get()), "pulled"), 300);
}

}  // namespace
}  // namespace kawal::testing
