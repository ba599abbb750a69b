// Scenario "month": one facilitator's month in the field. Before the month
// the device holds --activities activities of its desa (synced); during
// the month it makes --edits edits to them (progress, spending, status,
// notes; several per activity, which coalesce into one pending change per
// record) and files --reports progress reports, all offline.
#include <random>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scenario.h"
#include "workload.h"

ABSL_FLAG(int64_t, activities, 100, "month: activities the device holds before the month");
ABSL_FLAG(int64_t, edits, 2000, "month: edits made during the month");
ABSL_FLAG(int64_t, reports, 300, "month: progress reports filed during the month");

namespace kawal::bench {
namespace {

class FacilitatorMonth : public Scenario {
 public:
  FacilitatorMonth()
      : activities_(absl::GetFlag(FLAGS_activities)),
        edits_(absl::GetFlag(FLAGS_edits)),
        reports_(absl::GetFlag(FLAGS_reports)) {}

  std::string Describe() const override {
    return absl::StrCat("a facilitator's month: ", edits_, " edits to ", activities_,
                        " activities held before, ", reports_, " progress reports");
  }

  absl::Status Prepare(mobile::Device& device, const std::string& desa) override {
    for (int64_t i = 0; i < activities_; ++i) {
      mobile::FieldValues fields;
      for (auto& [name, value] : ActivityFields(rng_)) fields.emplace_back(name, std::move(value));
      absl::StatusOr<std::string> id = device.Create("activity", desa, fields);
      if (!id.ok()) return id.status();
      ids_.push_back(*id);
    }
    return absl::OkStatus();
  }

  absl::Status Work(mobile::Device& device, const std::string& desa) override {
    for (int64_t e = 0; e < edits_; ++e) {
      const std::string& id = ids_[rng_() % ids_.size()];
      mobile::FieldValues fields = {{"physical_progress_pct", double(e * 100 / edits_)}};
      if (e % 3 == 0) fields.emplace_back("spent", sync::AmountMap{{"DDS", int64_t(1'000'000 * e)}});
      if (e % 5 == 0) fields.emplace_back("status", std::string("in_progress"));
      if (e % 10 == 0) {
        fields.emplace_back("notes", absl::StrCat("Material semen tiba minggu ke-", e % 4 + 1,
                                                  ", pekerja ", 8 + e % 12, " orang"));
      }
      if (absl::Status s = device.Update("activity", id, fields); !s.ok()) return s;
    }
    for (int64_t r = 0; r < reports_; ++r) {
      const std::string& activity = ids_[r % ids_.size()];
      absl::StatusOr<std::string> id = device.Create(
          "progress_report", desa,
          {{"activity_id", activity},
           {"visit_date", absl::StrFormat("2026-11-%02d", 1 + r % 28)},
           {"physical_progress_pct", double(r % 101)},
           {"spent", sync::AmountMap{{"DDS", int64_t(2'500'000 * (r % 20))}}},
           {"workers", int64_t(6 + r % 10)},
           {"person_days", double(12 + r % 30)},
           {"problems", std::string(r % 4 == 0 ? "Hujan deras, pengecoran ditunda dua hari" : "")},
           {"notes", absl::StrCat("Kunjungan ke-", r + 1, ": pekerjaan sesuai rencana")},
           {"lat", -1.2 - 0.001 * (r % 50)},
           {"lon", 113.5 + 0.001 * (r % 50)},
           {"reporter", std::string("Ani Pendamping Desa")}});
      if (!id.ok()) return id.status();
    }
    return absl::OkStatus();
  }

 private:
  int64_t activities_, edits_, reports_;
  std::mt19937_64 rng_{7};
  std::vector<std::string> ids_;
};

KAWAL_BENCH_SCENARIO("month", []() -> std::unique_ptr<Scenario> {
  return std::make_unique<FacilitatorMonth>();
});

}  // namespace
}  // namespace kawal::bench
