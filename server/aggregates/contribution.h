// What one record adds to the aggregate rows: an activity's counts, money
// and weighted progress in its desa, kecamatan, kabupaten and provinsi for
// its year (and per sector, SDGs goal, funding source and focus tag); a
// progress report's count and padat karya labour; a conflict as open or
// settled; a follow-up by status and, while pending, by due date. A pure
// function of the record's merged state, so "new minus old contribution"
// keeps aggregates exact through edits, deletes, conflicts, resurrections and replays.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SERVER_AGGREGATES_CONTRIBUTION_H_
#define KAWAL_SERVER_AGGREGATES_CONTRIBUTION_H_

#include <map>
#include <string>

#include "store/counters_merge.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"

namespace kawal::server {

// The rows of pending follow-ups per due date (key YYYY-MM-DD, counter
// "followups.pending"): not a breakdown a report is asked for.
inline constexpr char kFollowUpDueDim[] = "followup_due";

// The collections AddContribution counts; a rebuild or verify scans exactly
// these, so a collection added here is recomputed like the others.
inline constexpr const char* kCountedCollections[] = {sync::kActivity, sync::kProgressReport,
                                                      sync::kConflict, sync::kFollowUp};

// Aggregate row key (storage_keys.h AggregateKey) -> counters.
using RowContributions = std::map<std::string, CounterMap>;

// Adds `state`'s contribution (times `sign`, +1 or -1) to `rows`.
void AddContribution(const sync::RecordState& state, int sign, RowContributions* rows);

// Removes zero counters, and rows left empty (a row of zeros is no row).
void DropZeros(RowContributions* rows);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_AGGREGATES_CONTRIBUTION_H_
