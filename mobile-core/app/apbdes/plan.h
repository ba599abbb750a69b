// From a read APBDes sheet to the writes that make a village's activities:
// one `activity` record per row, with an id derived from the village, year
// and kode kegiatan, so that importing the same file again creates nothing
// (docs/apbdes-import.md). A row whose activity is already here with the
// same content is "unchanged"; with other content its imported fields are
// updated (never its progress, spending, status or notes); a row whose
// activity was deleted on this device stays deleted.
//
// Thread-safety: functions over one Device, which serializes its writes.
#ifndef KAWAL_MOBILE_APP_APBDES_PLAN_H_
#define KAWAL_MOBILE_APP_APBDES_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/mobile/device.h"
#include "sheet.h"

namespace kawal::field::apbdes {

enum class RowAction { kCreate, kUpdate, kUnchanged, kDeletedHere };

struct PlannedRow {
  size_t line = 0;
  std::string code;
  std::string id;
  std::string name;
  int64_t budget_total = 0;
  RowAction action = RowAction::kCreate;
};

struct Plan {
  std::vector<PlannedRow> rows;     // the good rows, in file order
  std::vector<mobile::WriteOp> ops; // creates and updates
  std::vector<size_t> row_of_op;    // index into rows
};

// The record id of an imported activity: the first 32 hex digits of
// SHA-256("apbdes|" + village + "|" + year + "|" + code).
std::string ActivityIdFor(const std::string& village, int64_t year, const std::string& code);

// The fields an import writes for `activity` when creating it (status
// "planned"; the lokasi in notes as "Lokasi: ...").
mobile::FieldValues CreateFields(const SheetActivity& activity, int64_t year);

// Compares each activity with what the device holds and plans the writes.
absl::StatusOr<Plan> MakePlan(const mobile::Device& device, const std::string& village,
                              int64_t year, const std::vector<SheetActivity>& activities);

// Checks the planned writes with the core's validation (Device::CheckBatch,
// the rules every write obeys). A refused row is dropped from `plan` and
// reported in `problems` (kRefused, the core's message), and the rest is
// checked again. Other failures (the store) are returned.
absl::Status CheckPlan(mobile::Device& device, Plan* plan, std::vector<RowProblem>* problems);

}  // namespace kawal::field::apbdes

#endif  // KAWAL_MOBILE_APP_APBDES_PLAN_H_
