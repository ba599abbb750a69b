// Fuzz target: server/engine/pull_cursor.h DecodeCursor on untrusted bytes.
//
// Input layout: byte 0 picks the mode and this server's incarnation; bytes
// 1..3 describe up to three lineage steps over a tiny incarnation alphabet;
// the rest is the cursor. In "sealed" mode the rest is wrapped with the
// version byte and a valid FNV-1a checksum, so the fuzzer reaches the
// PullCursor parser and the lineage walk instead of stopping at the
// checksum. Must never crash nor hang.
//
// Lineage steps may name any incarnation as parent, the step's own
// included: restores only make acyclic lineages, but the lineage is read
// from the database, and DecodeCursor must end on a corrupt (cyclic) one.
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <cstdlib>
#include <string>

#include "fuzz_checks.h"
#include "engine/pull_cursor.h"

namespace kawal::fuzz {
namespace {

const char* const kIncarnations[] = {"inc-a", "inc-b", "inc-c", "inc-d"};

}  // namespace

int CheckCursorInput(const uint8_t* data, size_t size) {
  if (size < 4) {
    storage::v1::Lineage none;
    (void)server::DecodeCursor(std::string(reinterpret_cast<const char*>(data), size), "inc-a",
                               none);
    return 0;
  }
  const bool sealed = (data[0] & 1) != 0;
  const std::string incarnation = kIncarnations[(data[0] >> 1) % 4];
  storage::v1::Lineage lineage;
  for (int i = 1; i <= 3; ++i) {
    if ((data[i] & 0x80) == 0) continue;  // no step
    const int child = (data[i] >> 2) & 3;
    const int parent = data[i] & 3;
    auto* step = lineage.add_steps();
    step->set_incarnation(kIncarnations[child]);
    step->set_parent_incarnation(kIncarnations[parent]);
    step->set_parent_seq((data[i] >> 4) & 7);
  }
  std::string bytes(reinterpret_cast<const char*>(data) + 4, size - 4);
  if (sealed) bytes = server::SealCursorBody(bytes);
  absl::StatusOr<storage::v1::PullCursor> cursor = server::DecodeCursor(bytes, incarnation, lineage);
  if (cursor.ok() && sealed) {
    // A decoded cursor re-encodes and decodes to itself.
    absl::StatusOr<storage::v1::PullCursor> again =
        server::DecodeCursor(server::EncodeCursor(*cursor), incarnation, lineage);
    if (!again.ok()) std::abort();
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
  return kawal::fuzz::CheckCursorInput(data, size);
}
#endif
