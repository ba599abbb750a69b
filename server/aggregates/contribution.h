// What one record adds to the aggregate rows: an activity's counts, money
// and weighted progress in its desa, kecamatan, kabupaten and provinsi for
// its year (and per sector, SDGs goal, funding source and focus tag); a
// progress report's count and padat karya labour; a conflict as open or
// settled. A pure function of the
// record's merged state, so "new minus old contribution" keeps aggregates
// exact through edits, deletes, conflicts, resurrections and replays.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SERVER_AGGREGATES_CONTRIBUTION_H_
#define KAWAL_SERVER_AGGREGATES_CONTRIBUTION_H_

#include <map>
#include <string>

#include "store/counters_merge.h"
#include "kawal/sync/record.h"

namespace kawal::server {

// Aggregate row key (storage_keys.h AggregateKey) -> counters.
using RowContributions = std::map<std::string, CounterMap>;

// Adds `state`'s contribution (times `sign`, +1 or -1) to `rows`.
void AddContribution(const sync::RecordState& state, int sign, RowContributions* rows);

// Removes zero counters, and rows left empty (a row of zeros is no row).
void DropZeros(RowContributions* rows);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_AGGREGATES_CONTRIBUTION_H_
