// The server's half of the cumulative-spending rule (sync/report_spending.h,
// docs/reports.md "Spending"): a new progress report naming a lower
// cumulative amount for a source than an earlier report of the same
// activity the server holds is rejected unless it carries a note.
//
// The reports compared are those stored in the report's desa plus the
// earlier reports of the same push. Two pushes racing with reports of one
// activity are not serialized against each other: the device checks the
// same rule at creation, so this is the second line, not the only one.
//
// Thread-safety: reads RocksDB and the applier, both thread-safe.
#ifndef KAWAL_SERVER_SERVICE_REPORT_SPENDING_CHECK_H_
#define KAWAL_SERVER_SERVICE_REPORT_SPENDING_CHECK_H_

#include <vector>

#include "absl/status/status.h"
#include "engine/push_applier.h"
#include "kawal/sync/record.h"
#include "store/database.h"

namespace kawal::server {

// OK unless `report` (a progress_report delta not yet stored) lowers a
// source's cumulative spending without a note; then INVALID_FIELD with the
// sentence of sync::CheckCumulativeSpending. `same_push` holds the deltas
// of the push accepted so far (others than progress reports are ignored).
absl::Status CheckReportSpending(const Database& database, PushApplier& applier,
                                 const sync::RecordDelta& report,
                                 const std::vector<sync::RecordDelta>& same_push);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_REPORT_SPENDING_CHECK_H_
