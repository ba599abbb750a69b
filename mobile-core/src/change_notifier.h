// Delivers committed record changes to observers (Device::Observe) on one
// thread of its own, the device's notification thread: commits enqueue
// their changes (never blocking on a callback), the thread tells each
// observer whose filter the record matched before or after the commit,
// with that commit's ids in one call. Calls are one at a time, in commit
// order. Unobserve waits for a call in progress to that observer (unless
// made from inside a callback) and no call follows it.
//
// Thread-safety: all methods may be called from any thread.
#ifndef KAWAL_MOBILE_CHANGE_NOTIFIER_H_
#define KAWAL_MOBILE_CHANGE_NOTIFIER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "kawal/mobile/query.h"
#include "local_store.h"

namespace kawal::mobile {

class ChangeNotifier {
 public:
  ChangeNotifier();
  // Delivers what is queued, then stops the thread.
  ~ChangeNotifier();

  // Registers an observer; its id (> 0).
  uint64_t Add(RecordQuery filter, ChangeCallback callback) ABSL_LOCKS_EXCLUDED(mu_);
  // NOT_FOUND for an unknown id.
  absl::Status Remove(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);
  // One commit's changes (LocalStore's commit listener).
  void Enqueue(std::vector<RecordChange> changes) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Observer {
    RecordQuery filter;
    ChangeCallback callback;
  };
  void Run();
  void Deliver(const std::vector<RecordChange>& changes) ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  std::map<uint64_t, std::shared_ptr<const Observer>> observers_ ABSL_GUARDED_BY(mu_);
  std::deque<std::vector<RecordChange>> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t running_ ABSL_GUARDED_BY(mu_) = 0;  // observer being called; 0: none
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_CHANGE_NOTIFIER_H_
