// Server sequence numbers: strictly increasing, never reused after a crash,
// and a watermark below which every handed-out sequence has finished
// (committed or abandoned), so a pull never skips a slow writer's change.
//
// Sequences are reserved durably in chunks: after a crash the server
// continues from the stored reservation, leaving a gap, never a repeat.
//
// Thread-safety: all Sequencer methods are safe to call concurrently; a
// SequenceGuard belongs to one thread.
#ifndef KAWAL_SERVER_STORE_SEQUENCER_H_
#define KAWAL_SERVER_STORE_SEQUENCER_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/server_tuning.h"
#include "store/database.h"

namespace kawal::server {

class Sequencer {
 public:
  // Continues after `database`'s stored reservation.
  explicit Sequencer(Database* database, uint64_t chunk = tuning::kSequenceReserveChunk);

  // Hands out `n` >= 1 consecutive sequences; returns the first. Every
  // allocation must be ended with Finish(first); SequenceGuard does that.
  absl::StatusOr<uint64_t> Allocate(uint64_t n);

  // Marks the allocation starting at `first` as committed or abandoned.
  void Finish(uint64_t first);

  // Highest sequence s such that every sequence <= s has finished.
  uint64_t Watermark() const;

 private:
  Database* const database_;
  const uint64_t chunk_;
  mutable absl::Mutex mu_;
  uint64_t next_ ABSL_GUARDED_BY(mu_);
  uint64_t reserved_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, uint64_t> in_flight_ ABSL_GUARDED_BY(mu_);  // first -> count
};

// The allocations of one writer, each finished when the guard goes out of
// scope, committed or abandoned alike: no early return can hold the
// watermark back. Destroy it after the write commits.
class SequenceGuard {
 public:
  explicit SequenceGuard(Sequencer* sequencer) : sequencer_(sequencer) {}
  ~SequenceGuard() {
    for (uint64_t first : firsts_) sequencer_->Finish(first);
  }
  SequenceGuard(const SequenceGuard&) = delete;
  SequenceGuard& operator=(const SequenceGuard&) = delete;

  // Sequencer::Allocate, finished by this guard.
  absl::StatusOr<uint64_t> Allocate(uint64_t n) {
    absl::StatusOr<uint64_t> first = sequencer_->Allocate(n);
    if (first.ok()) firsts_.push_back(*first);
    return first;
  }

 private:
  Sequencer* const sequencer_;
  std::vector<uint64_t> firsts_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_SEQUENCER_H_
