// Schema::Default(): the kawal.v1 domain schema (docs/architecture.md §2, docs/domain.md).
// Field names are wire names: renaming one breaks every stored record and
// every device in the field, so add fields, never rename them.
#include <string>
#include <utility>
#include <vector>

#include "kawal/sync/domain_labels.h"
#include "kawal/sync/schema.h"

namespace kawal::sync {
namespace {

// Builders for the field rules; each returns a device-writable, optional field.
FieldSpec String(std::string name, size_t max_length, size_t min_length = 0) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kString;
  f.min_length = min_length;
  f.max_length = max_length;
  return f;
}

FieldSpec Enum(std::string name, std::vector<std::string> allowed) {
  FieldSpec f = String(std::move(name), 32);
  f.allowed = std::move(allowed);
  return f;
}

FieldSpec Formatted(std::string name, std::string format, size_t max_length) {
  FieldSpec f = String(std::move(name), max_length);
  f.format = std::move(format);
  return f;
}

FieldSpec Int(std::string name, int64_t min, int64_t max) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kInt;
  f.int_min = min;
  f.int_max = max;
  return f;
}

FieldSpec Double(std::string name, double min, double max) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kDouble;
  f.double_min = min;
  f.double_max = max;
  return f;
}

FieldSpec Bool(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kBool;
  return f;
}

// Integer rupiah per Siskeudes funding source code (domain_labels.h).
FieldSpec Amounts(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kAmounts;
  f.allowed = FundingSourceCodes();
  f.min_length = 1;
  f.max_length = 8;
  f.int_min = 0;
  f.int_max = 1'000'000'000'000'000;
  f.max_items = f.allowed.size();
  return f;
}

FieldSpec Required(FieldSpec f) {
  f.required = true;
  return f;
}

FieldSpec ServerOnly(FieldSpec f) {
  f.device_writable = false;
  return f;
}

std::vector<std::string> IdmStatuses() {
  return {"mandiri", "maju", "berkembang", "tertinggal", "sangat_tertinggal"};
}

CollectionSpec Village() {
  CollectionSpec c;
  c.name = kVillage;
  c.device_creatable = false;  // seeded by the server from Kemendagri codes
  c.device_deletable = false;
  c.fields = {
      ServerOnly(Required(String("name", 100, 1))),
      ServerOnly(Enum("kind", {"desa", "kelurahan", "desa_adat"})),
      ServerOnly(Formatted("kecamatan_code", "region_code", 13)),
      ServerOnly(String("kecamatan_name", 100)),
      ServerOnly(Formatted("kabupaten_code", "region_code", 13)),
      ServerOnly(String("kabupaten_name", 100)),
      ServerOnly(Formatted("provinsi_code", "region_code", 13)),
      ServerOnly(String("provinsi_name", 100)),
      ServerOnly(String("bps_code", 20)),
      Enum("idm_status", IdmStatuses()),
      Int("population", 0, 10'000'000),
      Int("households", 0, 5'000'000),
      String("head_name", 100),
      String("head_phone", 30),
      String("notes", 2000),
  };
  return c;
}

CollectionSpec Activity() {
  FieldSpec sdg_goals = Int("sdg_goals", 1, 18);  // SDGs Desa goals
  sdg_goals.type = FieldType::kIntList;
  sdg_goals.max_items = 18;
  FieldSpec focus_tags = Enum("focus_tags", {"food_security", "blt", "stunting", "padat_karya"});
  focus_tags.type = FieldType::kStringList;
  focus_tags.max_items = focus_tags.allowed.size();

  CollectionSpec c;
  c.name = kActivity;
  c.fields = {
      Required(Int("year", 2015, 2100)),
      Formatted("activity_code", "activity_code", 8),
      Required(String("name", 200, 1)),
      Required(Int("sector", 1, 5)),  // bidang, Permendagri 20/2018
      sdg_goals,
      focus_tags,
      Enum("implementation_mode", {"swakelola", "kerja_sama_antar_desa", "pihak_ketiga"}),
      Amounts("budget"),
      Amounts("budget_revised"),
      Amounts("spent"),
      Double("physical_progress_pct", 0, 100),
      Required(Enum("status", {"planned", "in_progress", "done", "cancelled", "stalled"})),
      Double("volume", 0, 1e9),
      String("unit", 32),
      String("output", 500),
      Int("beneficiaries", 0, 10'000'000),
      Double("lat", -90, 90),
      Double("lon", -180, 180),
      String("notes", 2000),
      // Evidence: set by the device that attaches a photo of that stage to a
      // report of this activity (docs/photos.md); only ever set to true.
      Bool("has_photo_0"),
      Bool("has_photo_50"),
      Bool("has_photo_100"),
  };
  return c;
}

CollectionSpec ProgressReport() {
  // Ids of the `photo` records attached to this report.
  FieldSpec photos = Formatted("photos", "record_id", 64);
  photos.type = FieldType::kStringList;
  photos.max_items = 64;

  CollectionSpec c;
  c.name = kProgressReport;
  c.append_only = true;  // a correction is a new report (docs/architecture.md §2)
  c.device_deletable = false;
  c.fields = {
      Required(Formatted("activity_id", "record_id", 64)),
      Required(Formatted("visit_date", "date", 10)),
      Required(Double("physical_progress_pct", 0, 100)),
      Amounts("spent"),
      Int("tranche", 1, 4),
      String("problems", 2000),
      Int("workers", 0, 100'000),
      Double("person_days", 0, 1e7),
      Int("wages", 0, 1'000'000'000'000'000),
      String("notes", 2000),
      Double("lat", -90, 90),
      Double("lon", -180, 180),
      Double("accuracy_m", 0, 100'000),
      String("reporter", 100),
      photos,
  };
  return c;
}

// A photo's metadata; its bytes travel apart, content-addressed by SHA-256
// (PhotoService, docs/photos.md). Scope: the desa of its report or
// follow-up, the record it is evidence of.
CollectionSpec Photo() {
  CollectionSpec c;
  c.name = kPhoto;
  c.append_only = true;  // the evidence of a tranche is never edited
  c.device_deletable = false;
  c.one_of_required = {{"report_id", "follow_up_id"}};
  c.fields = {
      Formatted("report_id", "record_id", 64),
      Formatted("follow_up_id", "record_id", 64),
      Formatted("activity_id", "record_id", 64),
      Required(Formatted("sha256", "sha256", 64)),
      Required(Enum("stage", {"0", "50", "100", "other"})),
      Required(Int("size_bytes", 1, kMaxPhotoBytes)),
      Required(Enum("content_type", {"image/jpeg", "image/png", "image/webp", "image/heic"})),
      Int("taken_at_ms", 0, INT64_MAX),
      Double("lat", -90, 90),
      Double("lon", -180, 180),
      Double("accuracy_m", 0, 100'000),
      String("caption", 500),
  };
  return c;
}

// A list of up to `max_items` strings of at most `max_length` bytes each.
FieldSpec Strings(std::string name, size_t max_length, size_t max_items) {
  FieldSpec f = String(std::move(name), max_length);
  f.type = FieldType::kStringList;
  f.max_items = max_items;
  return f;
}

// One losing write of one record (sync/conflict_record.h): one lost field
// in `field`/`winner_value`/`loser_value`, several in the parallel lists.
CollectionSpec Conflict() {
  // More than any collection has fields, so a lost write always fits.
  constexpr size_t kMaxFields = 64;
  CollectionSpec c;
  c.name = kConflict;
  c.device_creatable = false;  // written by the server's merge only
  c.device_deletable = false;
  c.fields = {
      Required(String("record_collection", 64, 1)),
      Required(String("record_id", 64, 1)),
      Required(String("field", 64, 1)),
      String("winner_value", 10000),  // JSON of the values
      String("loser_value", 10000),
      String("winner_stamp", 100),
      String("loser_stamp", 100),
      String("winner_node", 32),
      String("loser_node", 32),
      Int("detected_at_ms", 0, INT64_MAX),
  };
  for (FieldSpec& f : c.fields) f.device_writable = false;
  // Settling it: a write of the scope's users to the conflict record, so it
  // syncs and merges like any edit (docs/sync-model.md, Resolving).
  c.fields.push_back(Enum("resolution", {kKeptWinner, kRestoredLoser, kDismissed}));
  c.fields.push_back(String("resolved_by", 64, 1));
  c.fields.push_back(Int("resolved_at_ms", 0, INT64_MAX));
  c.fields.push_back(String("resolution_note", 1000));
  // Added for one record per losing write (several lost fields): each value
  // as JSON, at most as long as `winner_value`/`loser_value`.
  c.fields.push_back(ServerOnly(Strings("fields", 64, kMaxFields)));
  c.fields.push_back(ServerOnly(Strings("winner_values", 10000, kMaxFields)));
  c.fields.push_back(ServerOnly(Strings("loser_values", 10000, kMaxFields)));
  return c;
}

// A follow-up action (tindak lanjut) agreed at the district for a desa or
// one of its activities. Officers write it through ReportService (the
// server writes in their name); facilitators receive it and move its
// status, note how it closed and attach photos, offline (docs/follow-ups.md).
CollectionSpec FollowUp() {
  FieldSpec photos = Formatted("photos", "record_id", 64);
  photos.type = FieldType::kStringList;
  photos.max_items = 64;

  CollectionSpec c;
  c.name = kFollowUp;
  c.device_creatable = false;
  c.device_deletable = false;
  c.fields = {
      ServerOnly(Formatted("activity_id", "record_id", 64)),
      ServerOnly(Formatted("source_report_id", "record_id", 64)),
      ServerOnly(String("problem", 2000)),
      ServerOnly(Required(String("action", 2000, 1))),
      ServerOnly(String("responsible", 64)),
      ServerOnly(Required(Formatted("due_date", "date", 10))),
      ServerOnly(String("created_by", 64)),
      Required(Enum("status", {"open", "in_progress", "done", "cancelled"})),
      String("closing_note", 2000),
      photos,
  };
  return c;
}

}  // namespace

const Schema& Schema::Default() {
  // Built once, thread-safely (static init), and never destroyed.
  static const Schema* const schema =
      new Schema({Village(), Activity(), ProgressReport(), Photo(), Conflict(), FollowUp()});
  return *schema;
}

}  // namespace kawal::sync
