#include "web/desa_view.h"

#include <algorithm>
#include <map>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/record.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/value.h"

namespace kawal::web {
namespace {

int64_t SumAmounts(const sync::RecordState& r, const std::string& field) {
  const sync::Value* v = r.Get(field);
  if (v == nullptr) return 0;
  if (const auto* amounts = std::get_if<sync::AmountMap>(v)) {
    int64_t sum = 0;
    for (const auto& [source, amount] : *amounts) sum += amount;
    return sum;
  }
  if (const auto* i = std::get_if<int64_t>(v)) return *i;
  return 0;
}

double GetDouble(const sync::RecordState& r, const std::string& field, bool* present = nullptr) {
  const sync::Value* v = r.Get(field);
  if (present != nullptr) *present = v != nullptr;
  if (v == nullptr) return 0;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* i = std::get_if<int64_t>(v)) return static_cast<double>(*i);
  return 0;
}

std::string ScalarText(const sync::Scalar& s) {
  if (const auto* t = std::get_if<std::string>(&s)) return *t;
  if (const auto* i = std::get_if<int64_t>(&s)) return absl::StrCat(*i);
  if (const auto* d = std::get_if<double>(&s)) return absl::StrCat(*d);
  return std::get<bool>(s) ? "true" : "false";
}

// A field value as people read it: strings as written, lists joined,
// amounts as "DDS 1000000, ADD 50000".
std::string DisplayText(const sync::Value& v) {
  if (const auto* t = std::get_if<std::string>(&v)) return *t;
  if (const auto* i = std::get_if<int64_t>(&v)) return absl::StrCat(*i);
  if (const auto* d = std::get_if<double>(&v)) return absl::StrCat(*d);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "ya / yes" : "tidak / no";
  if (const auto* list = std::get_if<sync::ScalarList>(&v)) {
    std::vector<std::string> parts;
    for (const sync::Scalar& s : *list) parts.push_back(ScalarText(s));
    return absl::StrJoin(parts, ", ");
  }
  if (const auto* amounts = std::get_if<sync::AmountMap>(&v)) {
    std::vector<std::string> parts;
    for (const auto& [source, amount] : *amounts) parts.push_back(absl::StrCat(source, " ", amount));
    return absl::StrJoin(parts, ", ");
  }
  return "";
}

int StageOrder(const std::string& stage) {
  if (stage == "0") return 0;
  if (stage == "50") return 1;
  if (stage == "100") return 2;
  return 3;
}

}  // namespace

DesaView BuildDesaView(const std::vector<v1::Record>& records) {
  DesaView view;
  std::map<std::string, ActivityView> activities;
  std::vector<std::pair<std::string, ReportView>> reports;  // (activity id, report)
  std::vector<std::pair<std::string, PhotoView>> photos;
  for (const v1::Record& proto : records) {
    absl::StatusOr<sync::RecordState> parsed = sync::FromProto(proto);
    if (!parsed.ok() || !parsed->Visible()) continue;
    const sync::RecordState& r = *parsed;
    if (r.collection == sync::kVillage) {
      view.name = r.GetString("name");
    } else if (r.collection == sync::kActivity) {
      ActivityView a;
      a.id = r.id;
      a.scope = r.scope;
      a.name = r.GetString("name");
      a.year = r.GetInt("year");
      a.sector = r.GetInt("sector");
      a.status = r.GetString("status");
      a.budget = r.Get("budget_revised") != nullptr ? SumAmounts(r, "budget_revised")
                                                    : SumAmounts(r, "budget");
      a.spent = SumAmounts(r, "spent");
      a.progress_pct = GetDouble(r, "physical_progress_pct");
      for (const auto& [name, state] : r.fields) {
        if (state.value.index() == 0) continue;  // cleared
        a.fields.emplace_back(name, DisplayText(state.value));
      }
      activities[a.id] = std::move(a);
    } else if (r.collection == sync::kProgressReport) {
      ReportView rep;
      rep.id = r.id;
      rep.visit_date = r.GetString("visit_date");
      rep.progress_pct = GetDouble(r, "physical_progress_pct");
      rep.spent = SumAmounts(r, "spent");
      rep.problems = r.GetString("problems");
      rep.reporter = r.GetString("reporter");
      rep.notes = r.GetString("notes");
      reports.emplace_back(r.GetString("activity_id"), std::move(rep));
    } else if (r.collection == sync::kPhoto) {
      PhotoView p;
      p.id = r.id;
      p.report_id = r.GetString("report_id");
      p.sha256 = r.GetString("sha256");
      p.stage = r.GetString("stage");
      p.content_type = r.GetString("content_type");
      p.taken_at_ms = r.GetInt("taken_at_ms");
      bool has_lat = false, has_lon = false;
      p.lat = GetDouble(r, "lat", &has_lat);
      p.lon = GetDouble(r, "lon", &has_lon);
      p.has_position = has_lat && has_lon;
      p.caption = r.GetString("caption");
      photos.emplace_back(r.GetString("activity_id"), std::move(p));
    }
  }
  for (auto& [activity_id, rep] : reports) {
    auto it = activities.find(activity_id);
    if (it != activities.end()) it->second.reports.push_back(std::move(rep));
  }
  for (auto& [activity_id, photo] : photos) {
    auto it = activities.find(activity_id);
    if (it != activities.end()) it->second.photos.push_back(std::move(photo));
  }
  for (auto& [id, a] : activities) {
    std::sort(a.reports.begin(), a.reports.end(), [](const ReportView& x, const ReportView& y) {
      return std::tie(y.visit_date, y.id) < std::tie(x.visit_date, x.id);
    });
    std::sort(a.photos.begin(), a.photos.end(), [](const PhotoView& x, const PhotoView& y) {
      return std::make_tuple(StageOrder(x.stage), x.taken_at_ms, x.id) <
             std::make_tuple(StageOrder(y.stage), y.taken_at_ms, y.id);
    });
    view.activities.push_back(std::move(a));
  }
  std::sort(view.activities.begin(), view.activities.end(),
            [](const ActivityView& x, const ActivityView& y) {
              return std::tie(x.name, x.id) < std::tie(y.name, y.id);
            });
  return view;
}

std::vector<const ActivityView*> FilterActivities(const DesaView& desa, const std::string& status,
                                                  int64_t sector, int64_t year,
                                                  const std::string& sort) {
  std::vector<const ActivityView*> out;
  for (const ActivityView& a : desa.activities) {
    if (!status.empty() && a.status != status) continue;
    if (sector != 0 && a.sector != sector) continue;
    if (year != 0 && a.year != year) continue;
    out.push_back(&a);
  }
  const bool descending = !sort.empty() && sort[0] == '-';
  const std::string key = descending ? sort.substr(1) : sort;
  auto less = [&](const ActivityView* x, const ActivityView* y) {
    if (key == "budget" && x->budget != y->budget) return x->budget < y->budget;
    if (key == "progress" && x->progress_pct != y->progress_pct) {
      return x->progress_pct < y->progress_pct;
    }
    if (key == "status" && x->status != y->status) return x->status < y->status;
    if (key == "year" && x->year != y->year) return x->year < y->year;
    return std::tie(x->name, x->id) < std::tie(y->name, y->id);
  };
  std::stable_sort(out.begin(), out.end(), [&](const ActivityView* x, const ActivityView* y) {
    return descending ? less(y, x) : less(x, y);
  });
  return out;
}

const ActivityView* FindActivity(const DesaView& desa, const std::string& id) {
  for (const ActivityView& a : desa.activities) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

namespace {

// The schema's photo content types (sync/src/schema_default.cc) and the
// extensions PhotoUrl gives them.
constexpr std::pair<const char*, const char*> kPhotoTypes[] = {
    {"jpg", "image/jpeg"}, {"png", "image/png"}, {"webp", "image/webp"}, {"heic", "image/heic"}};

std::string PhotoPath(const char* route, const std::string& desa, const PhotoView& photo) {
  const char* extension = "bin";
  for (const auto& [ext, type] : kPhotoTypes) {
    if (photo.content_type == type) extension = ext;
  }
  return absl::StrCat(route, desa, "/", photo.id, "/", photo.sha256, ".", extension);
}

}  // namespace

std::string PhotoUrl(const std::string& desa, const PhotoView& photo) {
  return PhotoPath("/photo/", desa, photo);
}

std::string ThumbnailUrl(const std::string& desa, const PhotoView& photo) {
  return PhotoPath("/thumb/", desa, photo);
}

std::string PhotoContentType(const std::string& extension) {
  for (const auto& [ext, type] : kPhotoTypes) {
    if (extension == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace kawal::web
