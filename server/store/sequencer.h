// Server sequence numbers: strictly increasing, never reused after a crash,
// and a watermark below which every handed-out sequence has finished
// (committed or abandoned), so a pull never skips a slow writer's change.
//
// Sequences are reserved durably in chunks: after a crash the server
// continues from the stored reservation, leaving a gap, never a repeat.
//
// Thread-safety: all methods are safe to call concurrently.
#ifndef KAWAL_SERVER_SEQUENCER_H_
#define KAWAL_SERVER_SEQUENCER_H_

#include <cstdint>
#include <map>
#include <mutex>

#include "absl/status/statusor.h"
#include "store/database.h"

namespace kawal::server {

class Sequencer {
 public:
  // Continues after `database`'s stored reservation.
  explicit Sequencer(Database* database, uint64_t chunk = 1 << 20);

  // Hands out `n` >= 1 consecutive sequences; returns the first. Every
  // allocation must be ended with Finish(first).
  absl::StatusOr<uint64_t> Allocate(uint64_t n);

  // Marks the allocation starting at `first` as committed or abandoned.
  void Finish(uint64_t first);

  // Highest sequence s such that every sequence <= s has finished.
  uint64_t Watermark() const;

 private:
  Database* const database_;
  const uint64_t chunk_;
  mutable std::mutex mu_;
  uint64_t next_;                         // guarded by mu_
  uint64_t reserved_;                     // guarded by mu_
  std::map<uint64_t, uint64_t> in_flight_;  // first -> count; guarded by mu_
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SEQUENCER_H_
