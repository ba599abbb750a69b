// What a progress report's `spent` means and the rules that follow from it
// (docs/reports.md "Spending"): `spent` is the cumulative realisasi per
// funding source up to the visit date. Reports of one activity are ordered
// by visit date, ties by the write stamp (the later write is the newer
// report); the newest report that names a source sets that source of the
// activity's `spent`. A report naming a lower cumulative amount for a
// source than the newest earlier report that names it is a correction and
// needs a note. The device checks this at creation against the reports it
// holds, the server when applying a push against the reports it holds.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SYNC_REPORT_SPENDING_H_
#define KAWAL_SYNC_REPORT_SPENDING_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "kawal/sync/record.h"
#include "kawal/sync/stamp.h"
#include "kawal/sync/value.h"

namespace kawal::sync {

// The parts of one progress report the spending rules read.
struct ReportSpending {
  std::string id;
  std::string visit_date;  // YYYY-MM-DD
  // The report's write stamp; zero for a report not written yet (it orders
  // after every stored report of the same date).
  Stamp written;
  AmountMap spent;       // empty when the report names no spending
  bool has_note = false; // `notes` holds more than white space
};

// From a stored progress_report record.
ReportSpending ReportSpendingOf(const RecordState& report);
// From the fields of a delta (a pushed or a new report).
ReportSpending ReportSpendingOf(const RecordDelta& report);

// True when `a` is older than `b` in the order an activity follows its
// reports: visit date, then write stamp (unwritten last).
bool ReportedBefore(const ReportSpending& a, const ReportSpending& b);

// INVALID_FIELD (RejectCode kInvalidField) when `report` names a lower
// amount for a source than the newest of `others` ordered before it that
// names the source, and `report` has no note; the message names the source,
// both amounts and the earlier report's date. `others` may hold any reports
// of the same activity (later ones and `report` itself are ignored).
absl::Status CheckCumulativeSpending(const ReportSpending& report,
                                     const std::vector<ReportSpending>& others);

// The activity's `spent` once `report` is filed: `current` with each source
// `report` names set to its amount, unless a report of `others` ordered
// after `report` names that source (it keeps the newer amount). Equal to
// `current` when nothing changes.
AmountMap SpentAfterReport(const AmountMap& current, const ReportSpending& report,
                           const std::vector<ReportSpending>& others);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_REPORT_SPENDING_H_
