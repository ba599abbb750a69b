#include "store/sequencer.h"

namespace kawal::server {

Sequencer::Sequencer(Database* database, uint64_t chunk)
    : database_(database),
      chunk_(chunk),
      next_(database->reserved_at_open()),
      reserved_(database->reserved_at_open()) {}

absl::StatusOr<uint64_t> Sequencer::Allocate(uint64_t n) {
  absl::MutexLock lock(&mu_);
  if (next_ + n > reserved_) {
    uint64_t reserve = next_ + n + chunk_;
    if (absl::Status s = database_->ReserveSequences(reserve); !s.ok()) return s;
    reserved_ = reserve;
  }
  uint64_t first = next_;
  next_ += n;
  in_flight_.emplace(first, n);
  return first;
}

void Sequencer::Finish(uint64_t first) {
  absl::MutexLock lock(&mu_);
  in_flight_.erase(first);
}

uint64_t Sequencer::Watermark() const {
  absl::MutexLock lock(&mu_);
  if (in_flight_.empty()) return next_ - 1;
  return in_flight_.begin()->first - 1;
}

}  // namespace kawal::server
