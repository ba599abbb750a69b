#include "kawal/sync/report_spending.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

bool HasText(const Value* value) {
  const std::string* text = value == nullptr ? nullptr : std::get_if<std::string>(value);
  return text != nullptr && !absl::StripAsciiWhitespace(*text).empty();
}

// "Rp 50.000.000": amounts in messages as a facilitator writes them.
std::string Rupiah(int64_t amount) {
  std::string digits = absl::StrCat(amount < 0 ? -amount : amount);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back('.');
    grouped.push_back(digits[i]);
  }
  return absl::StrCat(amount < 0 ? "-Rp " : "Rp ", grouped);
}

// The newest report of `others` ordered before `report` that names `source`.
const ReportSpending* NewestEarlierNaming(const ReportSpending& report,
                                          const std::vector<ReportSpending>& others,
                                          const std::string& source) {
  const ReportSpending* newest = nullptr;
  for (const ReportSpending& other : others) {
    if (other.id == report.id || !ReportedBefore(other, report)) continue;
    if (other.spent.count(source) == 0) continue;
    if (newest == nullptr || ReportedBefore(*newest, other)) newest = &other;
  }
  return newest;
}

}  // namespace

ReportSpending ReportSpendingOf(const RecordState& report) {
  ReportSpending out;
  out.id = report.id;
  out.visit_date = report.GetString("visit_date");
  out.written = report.MaxStamp();
  if (const Value* spent = report.Get("spent"); spent != nullptr) {
    if (const AmountMap* amounts = std::get_if<AmountMap>(spent)) out.spent = *amounts;
  }
  out.has_note = HasText(report.Get("notes"));
  return out;
}

ReportSpending ReportSpendingOf(const RecordDelta& report) {
  ReportSpending out;
  out.id = report.id;
  out.written = report.MaxStamp();
  for (const FieldChange& change : report.changes) {
    if (change.name == "visit_date") {
      if (const std::string* date = std::get_if<std::string>(&change.value)) out.visit_date = *date;
    } else if (change.name == "spent") {
      if (const AmountMap* amounts = std::get_if<AmountMap>(&change.value)) out.spent = *amounts;
    } else if (change.name == "notes") {
      out.has_note = HasText(&change.value);
    }
  }
  return out;
}

bool ReportedBefore(const ReportSpending& a, const ReportSpending& b) {
  if (a.visit_date != b.visit_date) return a.visit_date < b.visit_date;
  if (b.written.IsZero()) return !a.written.IsZero();
  if (a.written.IsZero()) return false;
  return a.written < b.written;
}

absl::Status CheckCumulativeSpending(const ReportSpending& report,
                                     const std::vector<ReportSpending>& others) {
  if (report.has_note) return absl::OkStatus();
  for (const auto& [source, amount] : report.spent) {
    const ReportSpending* earlier = NewestEarlierNaming(report, others, source);
    if (earlier == nullptr) continue;
    const int64_t before = earlier->spent.at(source);
    if (amount >= before) continue;
    return Reject(RejectCode::kInvalidField,
                  absl::StrCat("spent ", source, " ", Rupiah(amount),
                               " is lower than the cumulative ", Rupiah(before),
                               " of the report of ", earlier->visit_date,
                               "; spent is the total to date, so a lower amount is a correction: "
                               "say why in 'notes'"));
  }
  return absl::OkStatus();
}

AmountMap SpentAfterReport(const AmountMap& current, const ReportSpending& report,
                           const std::vector<ReportSpending>& others) {
  AmountMap out = current;
  for (const auto& [source, amount] : report.spent) {
    bool newer_names_it = false;
    for (const ReportSpending& other : others) {
      if (other.id != report.id && ReportedBefore(report, other) && other.spent.count(source)) {
        newer_names_it = true;
        break;
      }
    }
    if (!newer_names_it) out[source] = amount;
  }
  return out;
}

}  // namespace kawal::sync
