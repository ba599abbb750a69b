// Planning an APBDes import (plan.h).
#include "plan.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "kawal/common/sha256.h"
#include "kawal/sync/schema.h"

namespace kawal::field::apbdes {
namespace {

// The fields an import owns: compared on re-import and updated when they
// differ. notes (the lokasi) is written at creation only, because
// facilitators add their own notes later.
mobile::FieldValues OwnedFields(const SheetActivity& a, int64_t year) {
  mobile::FieldValues f = {
      {"year", year},
      {"activity_code", a.code},
      {"name", a.name},
      {"sector", a.sector},
  };
  if (a.volume.has_value()) f.emplace_back("volume", *a.volume);
  if (!a.unit.empty()) f.emplace_back("unit", a.unit);
  if (!a.budget.empty()) f.emplace_back("budget", a.budget);
  return f;
}

int64_t Total(const sync::AmountMap& amounts) {
  int64_t total = 0;
  for (const auto& [source, n] : amounts) total += n;
  return total;
}

// The core's message without the "op N: " and "activity ID: " prefixes,
// which name things the user never typed.
std::string Reason(absl::string_view message, size_t op, const std::string& id) {
  absl::ConsumePrefix(&message, absl::StrCat("op ", op, ": "));
  absl::ConsumePrefix(&message, absl::StrCat(sync::kActivity, " ", id, ": "));
  return std::string(message);
}

}  // namespace

std::string ActivityIdFor(const std::string& village, int64_t year, const std::string& code) {
  return common::Sha256Hex(absl::StrCat("apbdes|", village, "|", year, "|", code)).substr(0, 32);
}

mobile::FieldValues CreateFields(const SheetActivity& activity, int64_t year) {
  mobile::FieldValues f = OwnedFields(activity, year);
  f.emplace_back("status", std::string("planned"));
  if (!activity.location.empty()) {
    f.emplace_back("notes", absl::StrCat("Lokasi: ", activity.location));
  }
  return f;
}

absl::StatusOr<Plan> MakePlan(const mobile::Device& device, const std::string& village,
                              int64_t year, const std::vector<SheetActivity>& activities) {
  Plan plan;
  for (const SheetActivity& a : activities) {
    PlannedRow row{a.line, a.code, ActivityIdFor(village, year, a.code), a.name, Total(a.budget),
                   RowAction::kCreate};
    absl::StatusOr<sync::RecordState> here = device.Get(sync::kActivity, row.id);
    mobile::WriteOp op;
    op.collection = sync::kActivity;
    op.id = row.id;
    if (absl::IsNotFound(here.status())) {
      op.kind = mobile::WriteOp::Kind::kCreate;
      op.scope = village;
      op.fields = CreateFields(a, year);
    } else if (!here.ok()) {
      return here.status();
    } else if (!here->Visible()) {
      row.action = RowAction::kDeletedHere;
    } else {
      op.kind = mobile::WriteOp::Kind::kUpdate;
      for (auto& [field, value] : OwnedFields(a, year)) {
        const sync::Value* current = here->Get(field);
        if (current == nullptr || !(*current == value)) op.fields.emplace_back(field, value);
      }
      row.action = op.fields.empty() ? RowAction::kUnchanged : RowAction::kUpdate;
    }
    if (row.action == RowAction::kCreate || row.action == RowAction::kUpdate) {
      plan.ops.push_back(std::move(op));
      plan.row_of_op.push_back(plan.rows.size());
    }
    plan.rows.push_back(std::move(row));
  }
  return plan;
}

absl::Status CheckPlan(mobile::Device& device, Plan* plan, std::vector<RowProblem>* problems) {
  // Each op writes its own record, so the ops before a refused one stay
  // valid: checking resumes after it, one pass over the file however many
  // rows are bad.
  size_t start = 0;
  while (start < plan->ops.size()) {
    const std::vector<mobile::WriteOp> rest(plan->ops.begin() + static_cast<std::ptrdiff_t>(start),
                                            plan->ops.end());
    const absl::Status status = device.CheckBatch(rest);
    if (status.ok()) return status;
    size_t index = 0;
    auto payload = status.GetPayload(mobile::kWriteOpIndexPayload);
    if (!payload || !absl::SimpleAtoi(std::string(*payload), &index) || index >= rest.size()) {
      return status;
    }
    const size_t op = start + index;
    const size_t row_index = plan->row_of_op[op];
    const PlannedRow& row = plan->rows[row_index];
    problems->push_back(RowProblem{row.line, RowProblemKind::kRefused,
                                   {Reason(status.message(), index, row.id)}});
    plan->ops.erase(plan->ops.begin() + static_cast<std::ptrdiff_t>(op));
    plan->row_of_op.erase(plan->row_of_op.begin() + static_cast<std::ptrdiff_t>(op));
    plan->rows.erase(plan->rows.begin() + static_cast<std::ptrdiff_t>(row_index));
    for (size_t& r : plan->row_of_op) {
      if (r > row_index) --r;
    }
    start = op;
  }
  return absl::OkStatus();
}

}  // namespace kawal::field::apbdes
