#include "service/report_spending_check.h"

#include <memory>
#include <string>

#include "kawal/common/rocks_status.h"
#include "kawal/sync/report_spending.h"
#include "kawal/sync/schema.h"
#include "rocksdb/db.h"
#include "store/storage_keys.h"

namespace kawal::server {
namespace {

std::string ActivityOf(const sync::RecordDelta& report) {
  for (const sync::FieldChange& change : report.changes) {
    if (change.name != "activity_id") continue;
    if (const auto* id = std::get_if<std::string>(&change.value)) return *id;
  }
  return "";
}

}  // namespace

absl::Status CheckReportSpending(const Database& database, PushApplier& applier,
                                 const sync::RecordDelta& report,
                                 const std::vector<sync::RecordDelta>& same_push) {
  if (report.collection != sync::kProgressReport) return absl::OkStatus();
  const std::string activity = ActivityOf(report);
  const sync::ReportSpending incoming = sync::ReportSpendingOf(report);
  if (activity.empty() || incoming.spent.empty() || incoming.has_note) return absl::OkStatus();
  absl::StatusOr<sync::RecordState> stored = applier.Get(report.collection, report.id);
  if (!stored.ok()) return stored.status();
  if (!stored->IsEmpty()) return absl::OkStatus();  // a replay: the applier decides

  std::vector<sync::ReportSpending> others;
  // Reports live in their activity's desa: scan that desa's change index.
  const std::string prefix = IndexScopePrefix(report.scope);
  std::unique_ptr<rocksdb::Iterator> it(database.db()->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string value = it->value().ToString();
    const size_t zero = value.find('\0');
    if (zero == std::string::npos || value.substr(0, zero) != sync::kProgressReport) continue;
    absl::StatusOr<sync::RecordState> other =
        applier.Get(sync::kProgressReport, value.substr(zero + 1));
    if (!other.ok()) return other.status();
    if (other->Visible() && other->GetString("activity_id") == activity) {
      others.push_back(sync::ReportSpendingOf(*other));
    }
  }
  if (!it->status().ok()) return common::FromRocks(it->status(), "reading the reports of a desa");
  for (const sync::RecordDelta& d : same_push) {
    if (d.collection == sync::kProgressReport && d.id != report.id && ActivityOf(d) == activity) {
      others.push_back(sync::ReportSpendingOf(d));
    }
  }
  return sync::CheckCumulativeSpending(incoming, others);
}

}  // namespace kawal::server
