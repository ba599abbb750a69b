// Device's indexed queries (answered from the store's secondary indexes,
// local_indexes.h) and change observers (change_notifier.h).
#include <utility>

#include "absl/strings/str_cat.h"
#include "device_core.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "local_indexes.h"

namespace kawal::mobile {

absl::StatusOr<QueryPage> Device::Query(const RecordQuery& query) const {
  absl::StatusOr<IndexPlan> plan = PlanQuery(query);
  if (!plan.ok()) return plan.status();
  return core_->store().RunQuery(*plan, query.limit, query.resume_token);
}

absl::StatusOr<uint64_t> Device::Count(const RecordQuery& query) const {
  absl::StatusOr<IndexPlan> plan = PlanQuery(query);
  if (!plan.ok()) return plan.status();
  return core_->store().CountQuery(*plan);
}

// A filter may name any field of its collection's schema: it is checked
// against each changed record, not looked up in an index.
absl::StatusOr<uint64_t> Device::Observe(const RecordQuery& filter, ChangeCallback callback) {
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(filter.collection);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown collection '", filter.collection.substr(0, 64), "'"));
  }
  for (const auto& [field, value] : filter.equals) {
    if (spec->Find(field) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("filter field '", field.substr(0, 64),
                                                     "' is not a field of ", filter.collection));
    }
  }
  if (!callback) return absl::InvalidArgumentError("an observer needs a callback");
  return core_->notifier().Add(filter, std::move(callback));
}

absl::Status Device::Unobserve(uint64_t observer) { return core_->notifier().Remove(observer); }

}  // namespace kawal::mobile
