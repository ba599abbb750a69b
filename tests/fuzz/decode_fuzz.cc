// Fuzz target: wire decoding of untrusted bytes. The input is parsed as
// kawal.v1.PushRequest, PullRequest, RecordDelta and Record; whatever
// parses goes through sync::FromProto, and every decoded delta through
// sync::ValidateDelta(Schema::Default(), d, Writer::kDevice). Must never
// crash (ASan/UBSan report anything worse than a returned error).
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include "fuzz_checks.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/schema.h"
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

}  // namespace

int CheckDecodeInput(const uint8_t* data, size_t size) {
  const int n = static_cast<int>(size);
  v1::PushRequest push;
  if (push.ParseFromArray(data, n)) {
    for (const auto& d : push.deltas()) CheckDelta(d);
  }
  v1::PullRequest pull;
  (void)pull.ParseFromArray(data, n);
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
