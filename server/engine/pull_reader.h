// Serves pull pages from the change index (docs/architecture.md §4–5).
//
// A page walks each requested region prefix's desa scopes in key order and,
// within a scope, the change index from the cursor's sequence up to the
// sequencer's watermark -- never past it, so a writer that took a lower
// sequence but commits later is not skipped. Each changed record appears
// once with its latest state: whole if the device has not seen it, else
// only the fields changed since the cursor. A record whose latest version
// came from this device's in-sync push is not echoed back.
//
// Thread-safety: ReadPage may be called concurrently.
#ifndef KAWAL_SERVER_PULL_READER_H_
#define KAWAL_SERVER_PULL_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/database.h"
#include "kawal/storage/v1/storage.pb.h"
#include "kawal/v1/sync.pb.h"
#include "store/sequencer.h"

namespace kawal::server {

struct PullLimits {
  uint32_t max_records = 1000;
  uint32_t max_bytes = 1 << 20;
  bool whole_records = false;  // send every record whole
};

class PullReader {
 public:
  PullReader(Database* database, Sequencer* sequencer);

  // Fills `response` (records, cursor, has_more) for `prefixes` (normalized
  // region codes the caller may read, sorted, none inside another).
  absl::Status ReadPage(const std::vector<std::string>& prefixes,
                        storage::v1::PullCursor cursor, uint64_t device_node,
                        const PullLimits& limits, v1::PullResponse* response) const;

 private:
  Database* const database_;
  Sequencer* const sequencer_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_PULL_READER_H_
