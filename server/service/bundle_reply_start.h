// Where a reply bundle starts, decided from the device bundle's sync state
// before anything of the bundle is applied (docs/bundles.md "Restores"):
// the device's state either belongs to this database, or to one it was
// restored from, or to one it does not descend from; as a network sync
// does for a restored server, the device must then re-send what the backup
// lacks, and the reply tells it so.
//
// Thread-safety: pure functions of their arguments.
#ifndef KAWAL_SERVER_SERVICE_BUNDLE_REPLY_START_H_
#define KAWAL_SERVER_SERVICE_BUNDLE_REPLY_START_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "kawal/v1/bundle.pb.h"
#include "kawal/storage/v1/storage.pb.h"

namespace kawal::server {

struct ReplyStart {
  // The reply's pull starts here ("" = from the beginning).
  std::string cursor;
  // The device's state belongs to another incarnation: it runs the restore
  // recovery when it imports the reply.
  bool server_restored = false;
  // The highest sequence of the device's incarnation this database still
  // holds (UINT64_MAX when it is this database; 0 when unrelated).
  uint64_t held_seq = UINT64_MAX;
};

// INVALID_ARGUMENT naming the problem for a cursor this database cannot
// read (malformed, or of a database this one was not restored from while
// the bundle claims it was): the bundle is then refused whole.
// `incarnation` and `lineage` are this database's (Database).
absl::StatusOr<ReplyStart> DecideReplyStart(const std::string& incarnation,
                                            const storage::v1::Lineage& lineage,
                                            const v1::BundleSyncState& state);

// A delta's known_seq from history the restored database lost names no
// version it holds; 0 ("unknown") keeps the push from calling the device
// in sync by a coincidence of numbers (network recovery resets them too).
void ForgetLostKnownSeq(const ReplyStart& start, v1::RecordDelta* delta);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_BUNDLE_REPLY_START_H_
