// Fuzz target: wire decoding and validation of untrusted bytes. The input is
// parsed as every request message the server decodes itself --
// kawal.v1.HandshakeRequest, PushRequest, PullRequest, RecordDelta, Record,
// the report requests, AddUserRequest and the photo requests --; whatever
// parses goes through
// what the server does with it: sync::FromProto, every decoded delta
// through sync::ValidateDelta(Schema::Default(), d, Writer::kDevice), and
// every region code a request names (pull scopes, report regions, user
// scopes) through sync::RegionCode::Parse, whose result must be consistent
// (its text, ancestors and containment). Must never crash (ASan/UBSan
// report anything worse than a returned error); abort() on an inconsistent
// region code. Photo references go through the checks the server makes
// before it touches storage (record id, and the schema's sha256 rule).
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_checks.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "kawal/v1/admin.pb.h"
#include "kawal/v1/photo.pb.h"
#include "kawal/v1/report.pb.h"
#include "kawal/v1/sync.pb.h"

namespace kawal::fuzz {
namespace {

void CheckDelta(const v1::RecordDelta& proto) {
  absl::StatusOr<sync::RecordDelta> d = sync::FromProto(proto);
  if (!d.ok()) return;
  (void)sync::ValidateDelta(sync::Schema::Default(), *d, sync::Writer::kDevice);
  (void)d->MaxStamp();
  v1::RecordDelta again;
  sync::ToProto(*d, &again);
}

[[noreturn]] void Fail(const char* what, const std::string& code) {
  std::fprintf(stderr, "decode_fuzz: region code \"%s\": %s\n", code.c_str(), what);
  std::abort();
}

// Server code authorizes and routes by these properties of a parsed code:
// a scope that parses must be itself, lie inside each of its ancestors and
// be a desa scope exactly when it has four parts.
void CheckRegion(const std::string& text) {
  absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(text);
  if (!code.ok()) {
    if (sync::RegionContains(text, text)) Fail("contains itself but does not parse", text);
    return;
  }
  if (code->str() != text) Fail("parsed to another text", text);
  const std::vector<sync::RegionCode> lineage = code->Lineage();
  if (lineage.size() != static_cast<size_t>(code->level()) || !(lineage.back() == *code)) {
    Fail("lineage does not end at the code", text);
  }
  for (const sync::RegionCode& ancestor : lineage) {
    if (!ancestor.Contains(*code) || !sync::RegionContains(ancestor.str(), text)) {
      Fail("not inside an ancestor", text);
    }
    if (ancestor.level() < code->level() && code->Contains(ancestor)) {
      Fail("contains its ancestor", text);
    }
  }
  if (!code->Parent().Contains(*code)) Fail("not inside its parent", text);
  const bool desa = code->level() == sync::RegionLevel::kDesa;
  if (sync::ValidateDesaScope(text).ok() != desa) Fail("desa scope check disagrees", text);
  if (desa) (void)code->village_kind();
}

void CheckSha256(const std::string& sha256) {
  static const sync::FieldSpec& sha_rule =
      *sync::Schema::Default().Find(sync::kPhoto)->Find("sha256");
  (void)sync::ValidateValue(sha_rule, sha256);
}

void CheckPhotoRef(const v1::PhotoRef& ref) {
  (void)sync::ValidateRecordId(ref.record_id());
  CheckSha256(ref.sha256());
}

}  // namespace

int CheckDecodeInput(const uint8_t* data, size_t size) {
  const int n = static_cast<int>(size);
  v1::PushRequest push;
  if (push.ParseFromArray(data, n)) {
    for (const auto& d : push.deltas()) CheckDelta(d);
  }
  v1::HandshakeRequest hello;
  (void)hello.ParseFromArray(data, n);  // the server reads nothing from it but the auth header
  v1::PullRequest pull;
  if (pull.ParseFromArray(data, n)) {
    for (const std::string& scope : pull.scopes()) CheckRegion(scope);
    v1::PullRequest again;
    if (!again.ParseFromString(pull.SerializeAsString())) std::abort();
  }
  v1::ProgressRequest progress;
  if (progress.ParseFromArray(data, n)) CheckRegion(progress.region());
  v1::FreshnessRequest freshness;
  if (freshness.ParseFromArray(data, n)) CheckRegion(freshness.region());
  v1::AddUserRequest add_user;
  if (add_user.ParseFromArray(data, n)) {
    for (const std::string& scope : add_user.scopes()) CheckRegion(scope);
  }
  v1::PhotoStatusRequest photo_status;
  if (photo_status.ParseFromArray(data, n)) {
    for (const v1::PhotoRef& ref : photo_status.photos()) CheckPhotoRef(ref);
  }
  v1::UploadPhotoRequest upload;
  if (upload.ParseFromArray(data, n) && upload.has_start()) CheckPhotoRef(upload.start().photo());
  v1::DownloadPhotoRequest download;
  if (download.ParseFromArray(data, n)) CheckPhotoRef(download.photo());
  v1::PurgePhotosRequest purge;
  if (purge.ParseFromArray(data, n)) {
    for (const std::string& sha256 : purge.sha256()) CheckSha256(sha256);
  }
  v1::RecordDelta delta;
  if (delta.ParseFromArray(data, n)) CheckDelta(delta);
  v1::Record record;
  if (record.ParseFromArray(data, n)) {
    absl::StatusOr<sync::RecordState> s = sync::FromProto(record);
    if (s.ok()) {
      (void)s->Visible();
      (void)s->MaxStamp();
      (void)sync::ValidateMerged(sync::Schema::Default(), *s);
      v1::Record again;
      sync::ToProto(*s, &again);
    }
  }
  return 0;
}

}  // namespace kawal::fuzz

#ifdef KAWAL_FUZZ_ENTRY
#include <google/protobuf/stubs/logging.h>

// Invalid UTF-8 in string fields is an expected parse failure: keep the
// fuzzer quiet about it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kawal::fuzz::CheckDecodeInput(data, size);
}
#endif
