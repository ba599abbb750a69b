// The chaos test's convergence checks (docs/chaos.md) over what the run
// logged, what the server holds and what each device holds. They report
// through gtest (ADD_FAILURE, a few examples per device or kind), so one run
// shows the problems rather than the first.
//
// Thread-safety: pure functions of their arguments; call from the test's
// thread.
#ifndef KAWAL_TESTS_CHAOS_CHAOS_CHECKS_H_
#define KAWAL_TESTS_CHAOS_CHAOS_CHECKS_H_

#include <map>
#include <string>
#include <vector>

#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"

namespace kawal::testing {

inline constexpr char kTombstoneField[] = "<tombstone>";  // log entries for deletes

// One local write as the writing device recorded it.
struct LoggedWrite {
  int device = 0;
  std::string collection;
  std::string id;
  std::string field;  // kTombstoneField for a delete
  std::string value_json;
  sync::Stamp stamp;
  sync::Stamp base;  // what the writer had seen of the field (as stored locally)
};

// collection/id -> canonical text of the record.
using Contents = std::map<std::string, std::string>;

// The canonical text of a record: visibility, scope, tombstone, and every
// field's value and stamp.
std::string Describe(const sync::RecordState& r);

// (1) Convergence: `devices[d]` (device d's contents) equals the server's
// records, described the same way.
void ExpectDevicesHoldWhatTheServerHolds(const std::map<std::string, sync::RecordState>& server,
                                         const std::vector<Contents>& devices);

// (2) No silent loss. For every logged write W of field f of record r:
//  (a) the server's r.f holds W's stamp or a higher one (for a delete: the
//      server's tombstone is W's stamp or higher);
//  (b) if r.f holds a higher stamp (W lost), W must be reported by a
//      conflict record {record_id r, field f, loser_stamp W.stamp} unless
//      W was "seen": some logged write X of the same r.f with
//      X.stamp > W.stamp either came from the same device (W was
//      superseded locally -- possibly folded into X and never sent) or had
//      X.base >= W.stamp (its writer had seen W, so W was overwritten
//      knowingly). The server records exactly the unseen overwrites: a
//      write arriving at a winner C is a conflict unless C.base or
//      C.displaced_base (bases of every write C displaced) covers it, and
//      a winner arriving at W is a conflict unless its base covers W --
//      either way a write with base >= W.stamp exists, which excuses W.
//      Deletes are only checked by (a).
void ExpectNoSilentLoss(const std::map<std::string, sync::RecordState>& server,
                        const std::vector<LoggedWrite>& log);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_CHAOS_CHAOS_CHECKS_H_
