// Checks tests/support/tsan_absl_sync.cc in a KAWAL_SANITIZE=thread build:
// `tsan_absl_sync_check guarded`: a thread and main change a counter under
// an absl::Mutex, main also waits on an absl::Condition; TSan must stay
// quiet. `tsan_absl_sync_check racy`: main changes it without the lock;
// TSan must still report that race (the annotations hide no real race).
// Races are found from the happens-before order, not from timing, so both
// outcomes are deterministic.
#include <cstring>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace {

absl::Mutex mu;
int counter = 0;

}  // namespace

int main(int argc, char** argv) {
  const bool racy = argc > 1 && std::strcmp(argv[1], "racy") == 0;
  std::thread other([] {
    absl::MutexLock lock(&mu);
    ++counter;
  });
  if (racy) {
    ++counter;
  } else {
    absl::MutexLock lock(&mu);
    ++counter;
    auto both = [] { return counter == 2; };
    mu.Await(absl::Condition(&both));
  }
  other.join();
  return 0;
}
