// Random write histories of one record, for the property tests of the
// merge (tests/sync) and of conflict detection (tests/server).
//
// Writers edit, delete and sometimes exchange state (so some writes see
// others and some are concurrent); the history is the deltas in the order
// they were made.
#ifndef KAWAL_TESTS_SUPPORT_MERGE_HISTORY_H_
#define KAWAL_TESTS_SUPPORT_MERGE_HISTORY_H_

#include <random>
#include <string>
#include <vector>

#include "kawal/sync/record.h"
#include "kawal/sync/value.h"

namespace kawal::testing {

inline constexpr const char* kMergeFields[] = {"name", "status", "physical_progress_pct",
                                               "budget", "sdg_goals"};

// A random value of the right type for one of kMergeFields.
sync::Value RandomValue(std::mt19937_64& rng, const std::string& field);

struct History {
  std::vector<sync::RecordDelta> deltas;  // in the order they were made
};

History MakeHistory(std::mt19937_64& rng, int writers, int steps);

// The merged state without server bookkeeping (sequence numbers differ
// between replicas that applied deltas in different orders).
std::string Canonical(sync::RecordState s);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_MERGE_HISTORY_H_
