// Deltas for the merge tests (tests/sync) and the conflict tests
// (tests/server): one-field writes and deletes of one activity, and random
// write histories of one record for the property tests.
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
#include "kawal/sync/schema.h"
#include "kawal/sync/value.h"

namespace kawal::testing {

// A write of one field of activity "act-1" in desa 62.10.01.2001, made
// having seen `base`.
sync::RecordDelta FieldWrite(const std::string& field, sync::Value value, sync::Stamp stamp,
                             sync::Stamp base = {});
// A delete of that activity by a writer that had seen up to `seen`.
sync::RecordDelta RecordDelete(sync::Stamp stamp, sync::Stamp seen);

inline constexpr const char* kMergeFields[] = {"name", "status", "physical_progress_pct",
                                               "budget", "sdg_goals"};

// A random value of the right type for one of kMergeFields.
sync::Value RandomValue(std::mt19937_64& rng, const std::string& field);

struct History {
  std::vector<sync::RecordDelta> deltas;  // in the order they were made
};

// A history of writes to kMergeFields of one activity.
History MakeHistory(std::mt19937_64& rng, int writers, int steps);
// A history of writes to any fields of one record of `spec`'s collection,
// with random values of each field's type.
History MakeHistoryOf(std::mt19937_64& rng, int writers, int steps,
                      const sync::CollectionSpec& spec);

// The merged state without server bookkeeping (sequence numbers differ
// between replicas that applied deltas in different orders).
std::string Canonical(sync::RecordState s);

}  // namespace kawal::testing

#endif  // KAWAL_TESTS_SUPPORT_MERGE_HISTORY_H_
