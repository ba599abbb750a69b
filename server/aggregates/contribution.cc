#include "aggregates/contribution.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "store/storage_keys.h"

namespace kawal::server {
namespace {


double DoubleField(const sync::RecordState& s, const char* name) {
  const sync::Value* v = s.Get(name);
  return v != nullptr && std::holds_alternative<double>(*v) ? std::get<double>(*v) : 0.0;
}


// Evidence coverage: "photo.<stage>" = 1 for an activity with a photo of
// that stage (docs/photos.md).
void AddEvidence(const sync::RecordState& s, CounterMap* counters) {
  static const std::pair<std::string, std::string> kStages[] = {
      {"has_photo_0", "photo.0"}, {"has_photo_50", "photo.50"}, {"has_photo_100", "photo.100"}};
  for (const auto& [field, counter] : kStages) {
    if (s.GetBool(field)) (*counters)[counter] = 1;
  }
}


sync::AmountMap AmountsField(const sync::RecordState& s, const char* name) {
  const sync::Value* v = s.Get(name);
  return v != nullptr && std::holds_alternative<sync::AmountMap>(*v)
             ? std::get<sync::AmountMap>(*v)
             : sync::AmountMap{};
}

int64_t Sum(const sync::AmountMap& amounts) {
  int64_t total = 0;
  for (const auto& [source, amount] : amounts) total += amount;
  return total;
}

// Rupiah of budget times progress: rounded once per activity, so adding and
// subtracting the same state is exact.
int64_t ProgressRupiah(int64_t budget, double pct) {
  return static_cast<int64_t>(std::llround(static_cast<long double>(budget) * pct / 100.0L));
}

// Adds `counters` × sign to the row (year, dim, key) at every level of `desa`.
void AddAtEveryLevel(RowContributions* rows, int year, const sync::RegionCode& desa,
                     const std::string& dim, const std::string& key, const CounterMap& counters,
                     int sign) {
  for (const sync::RegionCode& region : desa.Lineage()) {
    CounterMap& row =
        (*rows)[AggregateKey(year, static_cast<int>(region.level()), dim, region.str(), key)];
    for (const auto& [name, value] : counters) row[name] += sign * value;
  }
}

void AddActivity(const sync::RecordState& s, int sign, RowContributions* rows) {
  const int64_t year = s.GetInt("year");
  absl::StatusOr<sync::RegionCode> desa = sync::RegionCode::Parse(s.scope);
  if (year <= 0 || year > 65535 || !desa.ok() || desa->level() != sync::RegionLevel::kDesa) return;
  const std::string status = s.GetString("status");
  sync::AmountMap budget = AmountsField(s, "budget_revised");
  if (budget.empty()) budget = AmountsField(s, "budget");
  const sync::AmountMap spent = AmountsField(s, "spent");
  const double pct = DoubleField(s, "physical_progress_pct");
  const int64_t budget_total = Sum(budget);
  const int64_t spent_total = Sum(spent);
  const int64_t progress_rupiah = ProgressRupiah(budget_total, pct);
  const std::vector<std::string> focus = s.GetStrings("focus_tags");

  CounterMap total = {{"activities", 1},
                      {"budget", budget_total},
                      {"spent", spent_total},
                      {"progress_rupiah", progress_rupiah}};
  if (!status.empty()) total["status." + status] = 1;
  AddEvidence(s, &total);
  for (const auto& [source, amount] : budget) total["budget." + source] += amount;
  for (const auto& [source, amount] : spent) total["spent." + source] += amount;
  for (const std::string& tag : focus) {
    total["focus." + tag + ".activities"] += 1;
    total["focus." + tag + ".budget"] += budget_total;
  }
  AddAtEveryLevel(rows, static_cast<int>(year), *desa, "", "", total, sign);

  CounterMap part = {{"activities", 1},
                     {"budget", budget_total},
                     {"spent", spent_total},
                     {"progress_rupiah", progress_rupiah}};
  if (!status.empty()) part["status." + status] = 1;
  AddEvidence(s, &part);
  const int64_t sector = s.GetInt("sector");
  if (sector > 0) AddAtEveryLevel(rows, static_cast<int>(year), *desa, "sector", absl::StrCat(sector), part, sign);
  // An activity counts fully under each of its goals (goals overlap).
  for (const std::string& goal : s.GetStrings("sdg_goals")) {
    AddAtEveryLevel(rows, static_cast<int>(year), *desa, "sdg", goal, part, sign);
  }
  for (const std::string& tag : focus) {
    AddAtEveryLevel(rows, static_cast<int>(year), *desa, "focus", tag, part, sign);
  }
  // Per funding source: that source's share of budget, spending and progress.
  std::map<std::string, bool> sources;
  for (const auto& [source, amount] : budget) sources[source] = true;
  for (const auto& [source, amount] : spent) sources[source] = true;
  for (const auto& [source, unused] : sources) {
    const int64_t b = budget.count(source) ? budget.at(source) : 0;
    const int64_t sp = spent.count(source) ? spent.at(source) : 0;
    CounterMap by_source = {{"activities", 1},
                            {"budget", b},
                            {"spent", sp},
                            {"progress_rupiah", ProgressRupiah(b, pct)}};
    if (!status.empty()) by_source["status." + status] = 1;
    AddEvidence(s, &by_source);
    AddAtEveryLevel(rows, static_cast<int>(year), *desa, "source", source, by_source, sign);
  }
}

void AddReport(const sync::RecordState& s, int sign, RowContributions* rows) {
  const std::string date = s.GetString("visit_date");
  int year = 0;
  absl::StatusOr<sync::RegionCode> desa = sync::RegionCode::Parse(s.scope);
  if (date.size() < 4 || !absl::SimpleAtoi(date.substr(0, 4), &year) || !desa.ok() ||
      desa->level() != sync::RegionLevel::kDesa) {
    return;
  }
  CounterMap counters = {
      {"reports", 1},
      {"workers", s.GetInt("workers")},
      {"person_days_x100", std::llround(DoubleField(s, "person_days") * 100.0)},
      {"wages", s.GetInt("wages")}};
  AddAtEveryLevel(rows, year, *desa, "", "", counters, sign);
}

// A conflict counts as open or settled in its desa, under the year it was
// detected (conflicts carry no activity year).
void AddConflict(const sync::RecordState& s, int sign, RowContributions* rows) {
  absl::StatusOr<sync::RegionCode> desa = sync::RegionCode::Parse(s.scope);
  const int64_t detected_ms = s.GetInt("detected_at_ms");
  if (!desa.ok() || desa->level() != sync::RegionLevel::kDesa || detected_ms <= 0) return;
  const int year = static_cast<int>(
      absl::ToCivilYear(absl::FromUnixMillis(detected_ms), absl::UTCTimeZone()).year());
  const bool open = s.GetString("resolution").empty();
  AddAtEveryLevel(rows, year, *desa, "", "", {{open ? "conflicts.open" : "conflicts.settled", 1}},
                  sign);
}

// A follow-up counts by status in its desa, under the year it is due; one
// still to do (open or in progress) also counts in the followup_due row of
// its due date, so a report sums the overdue ones for any "today".
void AddFollowUp(const sync::RecordState& s, int sign, RowContributions* rows) {
  absl::StatusOr<sync::RegionCode> desa = sync::RegionCode::Parse(s.scope);
  const std::string due = s.GetString("due_date");
  int year = 0;
  if (!desa.ok() || desa->level() != sync::RegionLevel::kDesa || due.size() != 10 ||
      !absl::SimpleAtoi(due.substr(0, 4), &year)) {
    return;
  }
  const std::string status = s.GetString("status");
  const bool pending = sync::FollowUpPending(status);
  AddAtEveryLevel(rows, year, *desa, "", "", {{"followups." + status, 1}}, sign);
  if (pending) {
    AddAtEveryLevel(rows, year, *desa, kFollowUpDueDim, due, {{"followups.pending", 1}}, sign);
  }
}

}  // namespace

void AddContribution(const sync::RecordState& state, int sign, RowContributions* rows) {
  if (!state.Visible()) return;  // deleted records count nowhere
  if (state.collection == sync::kActivity) {
    AddActivity(state, sign, rows);
  } else if (state.collection == sync::kProgressReport) {
    AddReport(state, sign, rows);
  } else if (state.collection == sync::kConflict) {
    AddConflict(state, sign, rows);
  } else if (state.collection == sync::kFollowUp) {
    AddFollowUp(state, sign, rows);
  }
}

void DropZeros(RowContributions* rows) {
  for (auto it = rows->begin(); it != rows->end();) {
    for (auto c = it->second.begin(); c != it->second.end();) {
      c = c->second == 0 ? it->second.erase(c) : std::next(c);
    }
    it = it->second.empty() ? rows->erase(it) : std::next(it);
  }
}

}  // namespace kawal::server
