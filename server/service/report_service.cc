#include "service/report_service.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "aggregates/aggregates.h"
#include "aggregates/contribution.h"
#include "service/call_auth.h"
#include "kawal/common/grpc_status.h"
#include "kawal/storage/v1/storage.pb.h"
#include "kawal/sync/region.h"
#include "kawal/sync/stamp.h"
#include "aggregates/report_labels.h"
#include "store/storage_keys.h"
#include "kawal/sync/quote.h"

namespace kawal::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

absl::StatusOr<int> ParseLevel(const std::string& level) {
  if (level == "provinsi") return 1;
  if (level == "kabupaten") return 2;
  if (level == "kecamatan") return 3;
  if (level == "desa") return 4;
  return absl::InvalidArgumentError(absl::StrCat(
      "level \"", sync::QuoteClientValue(level),
      "\" is unknown: use provinsi, kabupaten, kecamatan or desa"));
}

const char* LevelName(int level) {
  static const char* names[] = {"", "provinsi", "kabupaten", "kecamatan", "desa"};
  return level >= 1 && level <= 4 ? names[level] : "";
}

int64_t Get(const CounterMap& counters, const std::string& name) {
  auto it = counters.find(name);
  return it == counters.end() ? 0 : it->second;
}

// Every device that has synced `desa` (its 'f' 'd' entries), most recent first.
void AddDeviceFreshness(rocksdb::DB* db, const std::string& desa, int64_t now_ms,
                        v1::VillageFreshness* village) {
  const std::string prefix = DeviceFreshnessPrefix(desa);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    storage::v1::FreshnessEntry entry;
    if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) continue;
    v1::DeviceFreshness* d = village->add_devices();
    d->set_device(sync::NodeToHex(entry.device_node()));
    d->set_device_name(entry.device_name());
    d->set_user(entry.user());
    d->set_last_sync_ms(entry.last_sync_ms());
    d->set_last_push_ms(entry.last_push_ms());
    d->set_last_pull_ms(entry.last_pull_ms());
    d->set_silent_days(static_cast<int32_t>((now_ms - entry.last_sync_ms()) / kDayMs));
  }
  std::stable_sort(village->mutable_devices()->begin(), village->mutable_devices()->end(),
                   [](const v1::DeviceFreshness& x, const v1::DeviceFreshness& y) {
                     return x.last_sync_ms() > y.last_sync_ms();
                   });
}

}  // namespace

void FiguresFromCounters(const CounterMap& c, v1::AreaFigures* f) {
  f->set_activities(Get(c, "activities"));
  f->set_budget(Get(c, "budget"));
  f->set_spent(Get(c, "spent"));
  f->set_progress_rupiah(Get(c, "progress_rupiah"));
  f->set_reports(Get(c, "reports"));
  f->set_workers(Get(c, "workers"));
  f->set_person_days_x100(Get(c, "person_days_x100"));
  f->set_wages(Get(c, "wages"));
  f->set_activities_with_photo_0(Get(c, "photo.0"));
  f->set_activities_with_photo_50(Get(c, "photo.50"));
  f->set_activities_with_photo_100(Get(c, "photo.100"));
  f->set_conflicts_open(Get(c, "conflicts.open"));
  f->set_conflicts_settled(Get(c, "conflicts.settled"));
  f->set_followups_open(Get(c, "followups.open") + Get(c, "followups.in_progress"));
  f->set_followups_overdue(Get(c, "followups.overdue"));
  f->set_followups_done(Get(c, "followups.done"));
  f->set_followups_cancelled(Get(c, "followups.cancelled"));
  for (const auto& [name, value] : c) {
    if (absl::StartsWith(name, "status.")) {
      (*f->mutable_activities_by_status())[name.substr(7)] = value;
    } else if (absl::StartsWith(name, "budget.")) {
      (*f->mutable_budget_by_source())[name.substr(7)] = value;
    } else if (absl::StartsWith(name, "spent.")) {
      (*f->mutable_spent_by_source())[name.substr(6)] = value;
    } else if (absl::StartsWith(name, "focus.") && absl::EndsWith(name, ".activities")) {
      (*f->mutable_activities_by_focus())[name.substr(6, name.size() - 6 - 11)] = value;
    } else if (absl::StartsWith(name, "focus.") && absl::EndsWith(name, ".budget")) {
      (*f->mutable_budget_by_focus())[name.substr(6, name.size() - 6 - 7)] = value;
    }
  }
  if (f->budget() > 0) {
    f->set_progress_pct(100.0 * static_cast<double>(f->progress_rupiah()) / f->budget());
    f->set_absorption_pct(100.0 * static_cast<double>(f->spent()) / f->budget());
  }
}

ReportServiceImpl::ReportServiceImpl(Database* database, UserStore* users,
                                     const RegionDirectory* regions, sync::Clock* clock)
    : database_(database), users_(users), regions_(regions), clock_(clock) {}

absl::Status ReportServiceImpl::AuthorizeRegion(const grpc::ServerContext& context,
                                                const std::string& region, Caller* caller) const {
  absl::StatusOr<Caller> who = Authorize(context, *shard_, *users_);
  if (!who.ok()) return who.status();
  *caller = *who;
  if (caller->role == v1::FACILITATOR) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", caller->name, " (facilitator) may not read reports; they are for district "
        "officers and admins"));
  }
  if (region.empty()) {
    if (caller->role != v1::ADMIN) {
      return absl::PermissionDeniedError(
          absl::StrCat("user ", caller->name, " may not read the national report; give --region"));
    }
    return absl::OkStatus();
  }
  if (absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(region); !code.ok()) {
    return code.status();
  }
  if (absl::Status s = shard_->CheckRead(region); !s.ok()) return s;
  if (!CanReadScope(*caller, region)) {
    return absl::PermissionDeniedError(absl::StrCat("user ", caller->name,
                                                    " may not read reports of region ", region));
  }
  return absl::OkStatus();
}

grpc::Status ReportServiceImpl::Progress(grpc::ServerContext* context,
                                         const v1::ProgressRequest* request,
                                         v1::ProgressResponse* response) {
  return common::ToGrpcStatus(HandleProgress(context, request, response));
}

absl::Status ReportServiceImpl::HandleProgress(grpc::ServerContext* context,
                                               const v1::ProgressRequest* request,
                                               v1::ProgressResponse* response) {
  Caller caller;
  if (absl::Status s = AuthorizeRegion(*context, request->region(), &caller); !s.ok()) {
    return s;
  }
  const std::string& region = request->region();
  int region_level = 0;
  if (!region.empty()) region_level = static_cast<int>(sync::RegionCode::Parse(region)->level());
  std::string level_name = request->level();
  if (level_name.empty()) level_name = LevelName(std::min(region_level + 1, 4));
  absl::StatusOr<int> level = ParseLevel(level_name);
  if (!level.ok()) return level.status();
  if (*level < region_level || (region.empty() && *level < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "level ", level_name, " is above region ", sync::QuoteClientValue(region),
        "; choose a level inside it"));
  }
  if (request->year() < 2000 || request->year() > 2100) {
    return absl::InvalidArgumentError(
        absl::StrCat("year ", request->year(), " is out of range 2000..2100"));
  }
  const std::string& dim = request->by();
  if (!dim.empty() && BreakdownKeys(dim).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "breakdown \"", sync::QuoteClientValue(dim),
        "\" is unknown: use sector, sdg, source or focus"));
  }

  const std::string prefix =
      region.empty() ? "" : (*level == region_level ? region : region + ".");
  absl::StatusOr<std::vector<AggregateRow>> stored =
      ReadRows(*database_, request->year(), *level, dim, prefix);
  if (!stored.ok()) return stored.status();
  std::map<std::pair<std::string, std::string>, const CounterMap*> by_area;
  for (const AggregateRow& row : *stored) by_area[{row.region, row.key}] = &row.counters;

  // Overdue follow-ups: pending ones due before today, per area (the rows
  // without a breakdown only).
  std::map<std::string, int64_t> overdue;
  if (dim.empty()) {
    const std::string today = Today();
    absl::StatusOr<std::vector<AggregateRow>> due =
        ReadRows(*database_, request->year(), *level, kFollowUpDueDim, prefix);
    if (!due.ok()) return due.status();
    for (const AggregateRow& row : *due) {
      if (row.key < today) overdue[row.region] += Get(row.counters, "followups.pending");
    }
  }

  std::vector<std::string> areas = regions_->Children(region, *level);
  for (const auto& [area_key, counters] : by_area) {
    if (std::find(areas.begin(), areas.end(), area_key.first) == areas.end()) {
      areas.push_back(area_key.first);  // data for an area the list lacks
    }
  }
  std::sort(areas.begin(), areas.end());
  const std::vector<std::string> keys = dim.empty() ? std::vector<std::string>{""} : BreakdownKeys(dim);
  std::map<std::string, CounterMap> totals;
  static const CounterMap kEmpty;
  for (const std::string& area : areas) {
    for (const std::string& key : keys) {
      auto found = by_area.find({area, key});
      CounterMap counters = found == by_area.end() ? kEmpty : *found->second;
      if (auto o = overdue.find(area); o != overdue.end()) counters["followups.overdue"] = o->second;
      v1::AreaRow* row = response->add_rows();
      row->set_code(area);
      row->set_name(regions_->Name(area));
      row->set_key(key);
      if (!dim.empty()) row->set_key_label(BreakdownLabel(dim, key));
      FiguresFromCounters(counters, row->mutable_figures());
      for (const auto& [name, value] : counters) totals[key][name] += value;
    }
  }
  for (const std::string& key : keys) {
    v1::AreaRow* total = response->add_totals();
    total->set_code(region);
    total->set_name(region.empty() ? "Indonesia" : regions_->Name(region));
    total->set_key(key);
    if (!dim.empty()) total->set_key_label(BreakdownLabel(dim, key));
    FiguresFromCounters(totals[key], total->mutable_figures());
  }
  response->set_region(region);
  response->set_region_name(region.empty() ? "Indonesia" : regions_->Name(region));
  response->set_year(request->year());
  response->set_level(level_name);
  response->set_by(dim);
  response->set_generated_at_ms(clock_->CorrectedTimeMs());
  return absl::OkStatus();
}

grpc::Status ReportServiceImpl::Freshness(grpc::ServerContext* context,
                                          const v1::FreshnessRequest* request,
                                          v1::FreshnessResponse* response) {
  return common::ToGrpcStatus(HandleFreshness(context, request, response));
}

absl::Status ReportServiceImpl::HandleFreshness(grpc::ServerContext* context,
                                                const v1::FreshnessRequest* request,
                                                v1::FreshnessResponse* response) {
  Caller caller;
  if (absl::Status s = AuthorizeRegion(*context, request->region(), &caller); !s.ok()) {
    return s;
  }
  if (request->silent_days() < 0) {
    return absl::InvalidArgumentError("silent_days must be 0 or more");
  }
  const int64_t now = clock_->CorrectedTimeMs();
  const std::string& region = request->region();
  auto silent = [&](int64_t last) -> int32_t {
    return last <= 0 ? -1 : static_cast<int32_t>((now - last) / kDayMs);
  };
  // Silent for more than N days: the last sync is older than N × 24 hours.
  auto wanted = [&](int64_t last) {
    return request->silent_days() == 0 || last <= 0 ||
           now - last > request->silent_days() * kDayMs;
  };
  for (const std::string& desa : regions_->Children(region, 4)) {
    std::string value;
    storage::v1::FreshnessEntry entry;
    rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), VillageFreshnessKey(desa), &value);
    if (s.ok()) entry.ParseFromString(value);
    const int32_t days = silent(entry.last_sync_ms());
    if (!wanted(entry.last_sync_ms())) continue;
    v1::VillageFreshness* v = response->add_villages();
    v->set_code(desa);
    v->set_name(regions_->Name(desa));
    v->set_kecamatan(regions_->Name(desa.substr(0, 8)));
    v->set_last_sync_ms(entry.last_sync_ms());
    v->set_last_user(entry.user());
    v->set_silent_days(days);
    if (request->include_devices()) AddDeviceFreshness(database_->db(), desa, now, v);
  }
  absl::StatusOr<std::vector<storage::v1::UserEntry>> users = users_->List();
  if (!users.ok()) return users.status();
  for (const auto& user : *users) {
    if (user.role() != v1::FACILITATOR || user.revoked()) continue;
    bool inside = region.empty();
    // A kecamatan facilitator also belongs to a report of one of its desa.
    for (const auto& scope : user.scopes()) {
      inside |= sync::RegionContains(region, scope) || sync::RegionContains(scope, region);
    }
    if (!inside) continue;
    std::string value;
    storage::v1::FreshnessEntry entry;
    if (database_->db()->Get(rocksdb::ReadOptions(), UserFreshnessKey(user.name()), &value).ok()) {
      entry.ParseFromString(value);
    }
    const int32_t days = silent(entry.last_sync_ms());
    if (!wanted(entry.last_sync_ms())) continue;
    v1::FacilitatorFreshness* f = response->add_facilitators();
    f->set_user(user.name());
    for (const auto& scope : user.scopes()) f->add_scopes(scope);
    f->set_last_sync_ms(entry.last_sync_ms());
    f->set_last_device(entry.device_node() ? sync::NodeToHex(entry.device_node()) : "");
    f->set_silent_days(days);
  }
  response->set_region(region);
  response->set_now_ms(now);
  return absl::OkStatus();
}

}  // namespace kawal::server
