// Tests for sync/src/schema*.cc, validate.cc and reject.cc: each rule of the
// default schema with a valid and an invalid case; a rejection must carry
// its RejectCode and name the field, the value and the rule.
#include "kawal/sync/schema.h"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

using ::testing::HasSubstr;

const FieldSpec& Field(const std::string& collection, const std::string& field) {
  const CollectionSpec* c = Schema::Default().Find(collection);
  EXPECT_NE(c, nullptr) << collection;
  const FieldSpec* f = c->Find(field);
  EXPECT_NE(f, nullptr) << collection << "." << field;
  static const FieldSpec kMissing;
  return f != nullptr ? *f : kMissing;
}

ScalarList Ints(std::vector<int64_t> v) { return ScalarList(v.begin(), v.end()); }
ScalarList Strings(std::vector<std::string> v) { return ScalarList(v.begin(), v.end()); }

TEST(RejectTest, CarriesCodeAndPicksStatusCode) {
  absl::Status s = Reject(RejectCode::kAppendOnly, "no");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "no");
  EXPECT_EQ(RejectCodeOf(s), RejectCode::kAppendOnly);
  EXPECT_EQ(Reject(RejectCode::kClockAhead, "x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reject(RejectCode::kWrongShard, "x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reject(RejectCode::kScopeDenied, "x").code(), absl::StatusCode::kPermissionDenied);
  for (int i = 1; i <= 11; ++i) {
    EXPECT_EQ(RejectCodeOf(Reject(static_cast<RejectCode>(i), "x")), static_cast<RejectCode>(i));
  }
  EXPECT_EQ(RejectCodeOf(absl::OkStatus()), RejectCode::kUnspecified);
  EXPECT_EQ(RejectCodeOf(absl::InvalidArgumentError("plain")), RejectCode::kUnspecified);
  EXPECT_STREQ(RejectCodeName(RejectCode::kInvalidField), "INVALID_FIELD");
  EXPECT_STREQ(RejectCodeName(RejectCode::kWrongShard), "WRONG_SHARD");
}

TEST(SchemaTest, DefaultHasTheDomainCollections) {
  const Schema& schema = Schema::Default();
  EXPECT_EQ(&schema, &Schema::Default());
  ASSERT_EQ(schema.collections().size(), 6u);
  EXPECT_EQ(schema.Find("nope"), nullptr);

  const CollectionSpec* village = schema.Find(kVillage);
  ASSERT_NE(village, nullptr);
  EXPECT_FALSE(village->device_creatable);
  EXPECT_FALSE(village->device_deletable);
  EXPECT_FALSE(village->Find("name")->device_writable);
  EXPECT_TRUE(village->Find("head_name")->device_writable);

  const CollectionSpec* report = schema.Find(kProgressReport);
  ASSERT_NE(report, nullptr);
  EXPECT_TRUE(report->append_only);
  EXPECT_FALSE(report->device_deletable);
  EXPECT_TRUE(report->device_creatable);

  const CollectionSpec* photo = schema.Find(kPhoto);
  ASSERT_NE(photo, nullptr);
  EXPECT_TRUE(photo->append_only);
  EXPECT_FALSE(photo->device_deletable);

  const CollectionSpec* conflict = schema.Find(kConflict);
  ASSERT_NE(conflict, nullptr);
  // Devices write only how a conflict was settled; what was detected is the server's.
  const std::set<std::string> settling = {"resolution", "resolved_by", "resolved_at_ms",
                                          "resolution_note"};
  for (const FieldSpec& f : conflict->fields) {
    EXPECT_EQ(f.device_writable, settling.count(f.name) == 1) << f.name;
  }
  EXPECT_FALSE(conflict->device_creatable);
  EXPECT_FALSE(conflict->device_deletable);
  EXPECT_EQ(conflict->Find("nope"), nullptr);

  const CollectionSpec* follow_up = schema.Find(kFollowUp);
  ASSERT_NE(follow_up, nullptr);
  // Officers (through the server) agree the action; facilitators move it.
  const std::set<std::string> field_work = {"status", "closing_note", "photos"};
  for (const FieldSpec& f : follow_up->fields) {
    EXPECT_EQ(f.device_writable, field_work.count(f.name) == 1) << f.name;
  }
  EXPECT_FALSE(follow_up->device_creatable);
  EXPECT_FALSE(follow_up->device_deletable);
  EXPECT_STREQ(FieldTypeName(FieldType::kAmounts), "amounts");
}

// Field names are wire names: this pins them so a rename fails here first.
TEST(SchemaTest, WireNamesArePinned) {
  auto names = [](const char* collection) {
    std::vector<std::string> out;
    for (const FieldSpec& f : Schema::Default().Find(collection)->fields) out.push_back(f.name);
    return out;
  };
  EXPECT_THAT(names(kActivity), ::testing::ElementsAre(
                                    "year", "activity_code", "name", "sector", "sdg_goals",
                                    "focus_tags", "implementation_mode", "budget", "budget_revised",
                                    "spent", "physical_progress_pct", "status", "volume", "unit",
                                    "output", "beneficiaries", "lat", "lon", "notes",
                                    "has_photo_0", "has_photo_50", "has_photo_100"));
  EXPECT_THAT(names(kProgressReport),
              ::testing::ElementsAre("activity_id", "visit_date", "physical_progress_pct", "spent",
                                     "tranche", "problems", "workers", "person_days", "wages",
                                     "notes", "lat", "lon", "accuracy_m", "reporter", "photos"));
  EXPECT_THAT(names(kPhoto), ::testing::ElementsAre(
                                 "report_id", "follow_up_id", "activity_id", "sha256", "stage", "size_bytes",
                                 "content_type", "taken_at_ms", "lat", "lon", "accuracy_m",
                                 "caption"));
  EXPECT_THAT(names(kFollowUp),
              ::testing::ElementsAre("activity_id", "source_report_id", "problem", "action",
                                     "responsible", "due_date", "created_by", "status",
                                     "closing_note", "photos"));
  EXPECT_EQ(names(kVillage).size(), 15u);
  EXPECT_THAT(names(kConflict),
              ::testing::ElementsAre("record_collection", "record_id", "field", "winner_value",
                                     "loser_value", "winner_stamp", "loser_stamp", "winner_node",
                                     "loser_node", "detected_at_ms", "resolution", "resolved_by",
                                     "resolved_at_ms", "resolution_note", "fields",
                                     "winner_values", "loser_values"));
}

struct ValueCase {
  std::string collection, field;
  Value valid, invalid;
  std::string shown;  // how the invalid value appears in the message
  std::string rule;   // the rule the message states
};

TEST(ValidateValueTest, EachRuleAcceptsValidAndRejectsInvalid) {
  const std::string long201(201, 'a');
  ScalarList photos64, photos65;
  for (int i = 0; i < 65; ++i) {
    if (i < 64) photos64.push_back(absl::StrCat("p", i));
    photos65.push_back(absl::StrCat("p", i));
  }
  const std::vector<ValueCase> cases = {
      // type
      {"activity", "year", int64_t{2024}, 2024.0, "2024.0", "must be integer, got number"},
      {"activity", "lat", -1.5, int64_t{-1}, "-1", "must be number, got integer"},
      {"activity", "name", std::string("Jalan"), int64_t{5}, "5", "must be string, got integer"},
      {"activity", "sdg_goals", Ints({1}), int64_t{1}, "1", "must be integer list, got integer"},
      {"activity", "budget", AmountMap{{"DDS", 1}}, std::string("DDS"), "\"DDS\"",
       "must be amounts, got string"},
      // integer ranges
      {"activity", "year", int64_t{2015}, int64_t{2014}, "2014", "must be 2015..2100"},
      {"activity", "year", int64_t{2100}, int64_t{2101}, "2101", "must be 2015..2100"},
      {"activity", "sector", int64_t{5}, int64_t{6}, "6", "must be 1..5"},
      {"village", "population", int64_t{10000000}, int64_t{10000001}, "10000001",
       "must be 0..10000000"},
      {"village", "households", int64_t{0}, int64_t{-1}, "-1", "must be 0..5000000"},
      {"progress_report", "tranche", int64_t{4}, int64_t{0}, "0", "must be 1..4"},
      {"progress_report", "wages", int64_t{1000000000000000}, int64_t{1000000000000001},
       "1000000000000001", "must be 0..1000000000000000"},
      {"conflict", "detected_at_ms", int64_t{0}, int64_t{-1}, "-1", "must be at least 0"},
      // double ranges and finiteness
      {"activity", "physical_progress_pct", 100.0, 100.5, "100.5", "must be 0..100"},
      {"activity", "lat", -90.0, -90.5, "-90.5", "must be -90..90"},
      {"activity", "lon", 180.0, 180.5, "180.5", "must be -180..180"},
      {"progress_report", "accuracy_m", 5.0, -0.5, "-0.5", "must be 0..100000"},
      {"activity", "volume", 750.0, std::nan(""), "NaN", "must be a finite number"},
      {"progress_report", "person_days", 1.5, HUGE_VAL, "Infinity", "must be a finite number"},
      // string lengths, UTF-8, enums
      {"activity", "name", std::string("a"), std::string(""), "\"\"",
       "length must be 1..200 bytes"},
      {"activity", "name", std::string(200, 'a'), long201, "aaaa",
       "length must be 1..200 bytes, got 201"},
      {"village", "head_phone", std::string("0812"), std::string(31, '1'), "1111",
       "length must be 0..30 bytes"},
      {"activity", "notes", std::string("Désa ✓ 🌾"), std::string("ab\xc3\x28"), "ab\\xc3(",
       "must be valid UTF-8 (bad byte at offset 2)"},
      {"activity", "notes", std::string("ok"), std::string("\xed\xa0\x80"), "\\xed",
       "must be valid UTF-8"},  // a UTF-16 surrogate
      {"activity", "notes", std::string("ok"), std::string("\xc0\xaf"), "\\xc0",
       "must be valid UTF-8"},  // overlong
      {"activity", "status", std::string("done"), std::string("finished"), "\"finished\"",
       "must be one of planned|in_progress|done|cancelled|stalled"},
      {"activity", "implementation_mode", std::string("swakelola"), std::string("tender"),
       "\"tender\"", "must be one of swakelola|kerja_sama_antar_desa|pihak_ketiga"},
      {"village", "kind", std::string("desa_adat"), std::string("kota"), "\"kota\"",
       "must be one of desa|kelurahan|desa_adat"},
      {"village", "idm_status", std::string("sangat_tertinggal"), std::string("Maju"), "\"Maju\"",
       "must be one of mandiri|maju|berkembang|tertinggal|sangat_tertinggal"},
      // formats
      {"activity", "activity_code", std::string("02.01.03"), std::string("06.01.03"),
       "\"06.01.03\"", "must be an activity code BB.SS.KK with BB 01..05 or 90..99"},
      {"activity", "activity_code", std::string("90.01.01"), std::string("2.01.03"), "\"2.01.03\"",
       "must be an activity code BB.SS.KK"},
      {"activity", "activity_code", std::string("99.99.99"), std::string("00.01.01"),
       "\"00.01.01\"", "must be an activity code"},
      {"progress_report", "visit_date", std::string("2024-02-29"), std::string("2025-02-29"),
       "\"2025-02-29\"", "must be a calendar date YYYY-MM-DD"},
      {"progress_report", "visit_date", std::string("2000-02-29"), std::string("1900-02-29"),
       "\"1900-02-29\"", "must be a calendar date"},
      {"progress_report", "visit_date", std::string("2025-12-31"), std::string("2025-13-01"),
       "\"2025-13-01\"", "must be a calendar date"},
      {"progress_report", "visit_date", std::string("2025-04-30"), std::string("2025-04-31"),
       "\"2025-04-31\"", "must be a calendar date"},
      {"progress_report", "visit_date", std::string("2025-01-01"), std::string("2025/01/01"),
       "\"2025/01/01\"", "must be a calendar date"},
      {"progress_report", "activity_id", std::string("act-1.b_2"), std::string("act 1"),
       "\"act 1\"", "must be a record id: 1..64 characters of [A-Za-z0-9_.-]"},
      {"village", "kecamatan_code", std::string("62.10.01"), std::string("62.1"), "\"62.1\"",
       "region code \"62.1\" is invalid: part 2 must be 2 digits"},
      // lists
      {"activity", "sdg_goals", Ints({1, 2, 18}), Ints({1, 19}), "item 1 value 19",
       "must be 1..18"},
      {"activity", "sdg_goals", Ints({3, 4}), Ints({3, 3}), "value [3,3]",
       "items must be unique; 3 repeats"},
      {"activity", "sdg_goals", Ints({}), ScalarList{int64_t{1}, std::string("2")}, "[1,\"2\"]",
       "item 1 must be integer, got string"},
      {"activity", "sdg_goals",
       Ints({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}),
       Ints({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 1}), "[1,2,",
       "must have at most 18 items, got 19"},
      {"activity", "focus_tags", Strings({"blt", "stunting"}), Strings({"bansos"}),
       "item 0 value \"bansos\"", "must be one of food_security|blt|stunting|padat_karya"},
      {"activity", "focus_tags", Strings({"blt"}), Strings({"blt", "blt"}), "[\"blt\",\"blt\"]",
       "items must be unique"},
      {"progress_report", "photos", Strings({std::string(64, 'p')}),
       Strings({std::string(65, 'p')}), "item 0 value \"pppp",
       "length must be 0..64 bytes, got 65"},
      {"photo", "sha256", std::string(64, 'a'), std::string(64, 'A'), "\"AAAA",
       "must be a SHA-256 digest: 64 lowercase hex digits"},
      {"photo", "sha256", std::string(64, '0'), std::string(63, '0'), "\"0000",
       "must be a SHA-256 digest: 64 lowercase hex digits"},
      {"photo", "stage", std::string("50"), std::string("75"), "\"75\"",
       "must be one of 0|50|100|other"},
      {"photo", "size_bytes", int64_t{1}, int64_t{0}, "0", "must be 1..67108864"},
      {"activity", "has_photo_50", true, int64_t{1}, "1", "must be boolean, got integer"},
      {"progress_report", "photos", photos64, photos65, "[\"p0\",\"p1\",",
       "must have at most 64 items, got 65"},
      // amounts per funding source
      {"activity", "budget", AmountMap{{"DDS", 100}, {"ADD", 0}}, AmountMap{{"XYZ", 1}},
       "key \"XYZ\"", "must be one of DDS|ADD|PBH|PBP|PBK|PAD|DLL"},
      {"activity", "spent", AmountMap{{"PAD", 1000000000000000}}, AmountMap{{"DDS", -1}},
       "DDS amount -1", "must be 0..1000000000000000"},
      {"progress_report", "spent", AmountMap{}, AmountMap{{"DLL", 1000000000000001}},
       "DLL amount 1000000000000001", "must be 0..1000000000000000"},
  };
  for (const ValueCase& c : cases) {
    SCOPED_TRACE(c.collection + "." + c.field + " / " + c.rule);
    const FieldSpec& spec = Field(c.collection, c.field);
    EXPECT_TRUE(ValidateValue(spec, c.valid).ok()) << ValidateValue(spec, c.valid);
    absl::Status s = ValidateValue(spec, c.invalid);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(RejectCodeOf(s), RejectCode::kInvalidField);
    std::string message(s.message());
    EXPECT_THAT(message, HasSubstr("field '" + c.field + "'"));
    EXPECT_THAT(message, HasSubstr(c.shown));
    EXPECT_THAT(message, HasSubstr(c.rule));
  }
}

TEST(ValidateValueTest, NullIsValidEvenForRequiredFields) {
  EXPECT_TRUE(ValidateValue(Field("activity", "name"), Null{}).ok());
  EXPECT_TRUE(ValidateValue(Field("progress_report", "visit_date"), Null{}).ok());
}

TEST(ValidateValueTest, MessagesStayShortAndValidUtf8) {
  absl::Status s = ValidateValue(Field("activity", "notes"), std::string(5000, 'n'));
  EXPECT_LT(s.message().size(), 300u);
  EXPECT_THAT(std::string(s.message()), HasSubstr("(5002 bytes)"));  // the quoted JSON
  EXPECT_EQ(s.message(), "field 'notes' value \"" + std::string(79, 'n') +
                             "... (5002 bytes) is invalid: length must be 0..2000 bytes, got 5000");
}

TEST(ValidateRecordIdTest, AcceptsSafeIdsOnly) {
  for (const std::string& id :
       std::vector<std::string>{"a", "act-1", "01JD5Z.x_y", std::string(64, 'z')}) {
    EXPECT_TRUE(ValidateRecordId(id).ok()) << id;
  }
  for (const std::string& id :
       std::vector<std::string>{"", std::string(65, 'z'), "a/b", "a b", "ä"}) {
    absl::Status s = ValidateRecordId(id);
    EXPECT_EQ(RejectCodeOf(s), RejectCode::kInvalidId) << id;
    EXPECT_THAT(std::string(s.message()), HasSubstr("record id \"" + id + "\"")) << id;
    EXPECT_THAT(std::string(s.message()), HasSubstr("must be 1..64 characters of [A-Za-z0-9_.-]"));
  }
}

Stamp S(int64_t wall) { return Stamp{wall, 0, 0xA}; }

// A valid device write creating activity a1.
RecordDelta ActivityDelta() {
  RecordDelta d;
  d.collection = kActivity;
  d.id = "a1";
  d.scope = "62.10.01.2001";
  d.changes = {{"year", int64_t{2025}, S(10), {}},
               {"name", std::string("Jalan usaha tani"), S(10), {}},
               {"status", std::string("planned"), S(10), S(5)}};
  return d;
}

struct DeltaCase {
  std::string name;
  void (*mutate)(RecordDelta&);
  Writer writer;
  RejectCode code;     // kUnspecified: valid
  std::string phrase;  // expected in the message
};

// ValidateDelta's checks, in the order it makes them.
TEST(ValidateDeltaTest, EachCheckWithItsRejectCode) {
  const std::vector<DeltaCase> cases = {
      {"valid", [](RecordDelta&) {}, Writer::kDevice, RejectCode::kUnspecified, ""},
      {"unknown collection", [](RecordDelta& d) { d.collection = "kegiatan"; }, Writer::kDevice,
       RejectCode::kUnknownCollection, "unknown collection \"kegiatan\""},
      {"bad id", [](RecordDelta& d) { d.id = "a/1"; }, Writer::kDevice, RejectCode::kInvalidId,
       "activity: record id \"a/1\" is invalid"},
      {"scope not desa", [](RecordDelta& d) { d.scope = "62.10"; }, Writer::kServer,
       RejectCode::kInvalidScope, "activity a1: scope \"62.10\" is a kabupaten code"},
      {"scope malformed", [](RecordDelta& d) { d.scope = "62.10.01.201"; }, Writer::kDevice,
       RejectCode::kInvalidScope, "part 4 must be 4 digits"},
      {"device deletes village",
       [](RecordDelta& d) {
         d.collection = kVillage;
         d.changes.clear();
         d.tombstone = S(20);
       },
       Writer::kDevice, RejectCode::kUnknownCollection, "devices cannot delete village records"},
      {"server deletes village",
       [](RecordDelta& d) {
         d.collection = kVillage;
         d.changes.clear();
         d.tombstone = S(20);
       },
       Writer::kServer, RejectCode::kUnspecified, ""},
      {"delete report",
       [](RecordDelta& d) {
         d.collection = kProgressReport;
         d.changes.clear();
         d.tombstone = S(20);
       },
       Writer::kServer, RejectCode::kAppendOnly, "append-only and cannot be deleted"},
      {"device deletes activity",
       [](RecordDelta& d) {
         d.changes.clear();
         d.tombstone = S(20);
       },
       Writer::kDevice, RejectCode::kUnspecified, ""},
      {"empty delta", [](RecordDelta& d) { d.changes.clear(); }, Writer::kDevice,
       RejectCode::kMalformed, "delta has no changes and no delete"},
      {"tombstone base not older",
       [](RecordDelta& d) {
         d.tombstone = S(20);
         d.tombstone_base = S(20);
       },
       Writer::kDevice, RejectCode::kMalformed, "tombstone base"},
      {"base without tombstone", [](RecordDelta& d) { d.tombstone_base = S(20); }, Writer::kDevice,
       RejectCode::kMalformed, "must be older than the tombstone"},
      {"unknown field", [](RecordDelta& d) { d.changes[0].name = "tahun"; }, Writer::kDevice,
       RejectCode::kUnknownField, "unknown field 'tahun' in collection activity"},
      {"device writes server field",
       [](RecordDelta& d) {
         d.collection = kVillage;
         d.changes = {{"name", std::string("Tumbang Talaken"), S(10), {}}};
       },
       Writer::kDevice, RejectCode::kInvalidField, "field 'name' is not writable by devices"},
      {"server writes server field",
       [](RecordDelta& d) {
         d.collection = kVillage;
         d.changes = {{"name", std::string("Tumbang Talaken"), S(10), {}}};
       },
       Writer::kServer, RejectCode::kUnspecified, ""},
      {"device writes conflict",
       [](RecordDelta& d) {
         d.collection = kConflict;
         d.changes = {{"field", std::string("name"), S(10), {}}};
       },
       Writer::kDevice, RejectCode::kInvalidField, "field 'field' is not writable by devices"},
      {"duplicate field", [](RecordDelta& d) { d.changes.push_back(d.changes[0]); },
       Writer::kDevice, RejectCode::kMalformed, "field 'year' appears more than once"},
      {"zero stamp", [](RecordDelta& d) { d.changes[1].stamp = {}; }, Writer::kDevice,
       RejectCode::kMalformed, "field 'name' has no stamp"},
      {"base not older", [](RecordDelta& d) { d.changes[2].base = S(10); }, Writer::kDevice,
       RejectCode::kMalformed, "field 'status' base 10.0.000000000000000a must be older"},
      {"invalid value", [](RecordDelta& d) { d.changes[0].value = int64_t{1999}; }, Writer::kDevice,
       RejectCode::kInvalidField,
       "activity a1: field 'year' value 1999 is invalid: must be 2015..2100"},
  };
  for (const DeltaCase& c : cases) {
    SCOPED_TRACE(c.name);
    RecordDelta d = ActivityDelta();
    c.mutate(d);
    absl::Status s = ValidateDelta(Schema::Default(), d, c.writer);
    EXPECT_EQ(RejectCodeOf(s), c.code) << s;
    EXPECT_EQ(s.ok(), c.code == RejectCode::kUnspecified) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.phrase));
  }
}

RecordState Stored(const RecordDelta& d) {
  RecordState s;
  s.collection = d.collection;
  s.id = d.id;
  s.scope = d.scope;
  for (const FieldChange& c : d.changes) s.fields[c.name] = FieldState{c.value, c.stamp, c.base, 1};
  return s;
}

RecordDelta ReportDelta() {
  RecordDelta d;
  d.collection = kProgressReport;
  d.id = "r1";
  d.scope = "62.10.01.2001";
  d.changes = {{"activity_id", std::string("a1"), S(10), {}},
               {"visit_date", std::string("2025-05-02"), S(10), {}},
               {"physical_progress_pct", 50.0, S(10), {}}};
  return d;
}

TEST(ValidateAgainstStoredTest, ScopeCreationAndAppendOnly) {
  const Schema& schema = Schema::Default();
  const RecordDelta report = ReportDelta();
  const RecordState stored_report = Stored(report);
  struct Case {
    std::string name;
    RecordState stored;
    RecordDelta delta;
    Writer writer;
    RejectCode code;
    std::string phrase;
  };
  RecordDelta village = ActivityDelta();
  village.collection = kVillage;
  village.changes = {{"head_name", std::string("Pak Kades"), S(10), {}}};
  RecordDelta moved = ActivityDelta();
  moved.scope = "62.10.02.2003";
  RecordDelta changed = report;
  changed.changes[2].value = 60.0;
  changed.changes[2].stamp = S(11);
  RecordDelta restamped = report;
  restamped.changes[0].stamp = S(12);
  RecordDelta added = report;
  added.changes.push_back({"problems", std::string("hujan"), S(13), {}});
  RecordDelta deleted = report;
  deleted.tombstone = S(30);

  const std::vector<Case> cases = {
      {"new activity", RecordState{}, ActivityDelta(), Writer::kDevice, RejectCode::kUnspecified,
       ""},
      {"edit activity", Stored(ActivityDelta()), ActivityDelta(), Writer::kDevice,
       RejectCode::kUnspecified, ""},
      {"device creates village", RecordState{}, village, Writer::kDevice,
       RejectCode::kUnknownCollection, "devices cannot create village records"},
      {"server creates village", RecordState{}, village, Writer::kServer, RejectCode::kUnspecified,
       ""},
      {"device edits village", Stored(village), village, Writer::kDevice, RejectCode::kUnspecified,
       ""},
      {"scope moved", Stored(ActivityDelta()), moved, Writer::kServer, RejectCode::kMismatch,
       "scope \"62.10.02.2003\" differs from the stored scope \"62.10.01.2001\""},
      {"new report", RecordState{}, report, Writer::kDevice, RejectCode::kUnspecified, ""},
      {"report replayed", stored_report, report, Writer::kDevice, RejectCode::kUnspecified, ""},
      {"report value changed", stored_report, changed, Writer::kDevice, RejectCode::kAppendOnly,
       "progress_report r1 is append-only: field 'physical_progress_pct' cannot change after "
       "creation; add a new report instead"},
      {"report restamped", stored_report, restamped, Writer::kDevice, RejectCode::kAppendOnly,
       "field 'activity_id' cannot change after creation"},
      {"report field added", stored_report, added, Writer::kServer, RejectCode::kAppendOnly,
       "field 'problems' cannot change after creation"},
      {"report deleted", stored_report, deleted, Writer::kServer, RejectCode::kAppendOnly,
       "append-only and cannot be deleted"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::Status s = ValidateAgainstStored(schema, c.stored, c.delta, c.writer);
    EXPECT_EQ(RejectCodeOf(s), c.code) << s;
    EXPECT_EQ(s.ok(), c.code == RejectCode::kUnspecified) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.phrase));
  }
}

TEST(ValidateMergedTest, VisibleRecordsHoldEveryRequiredField) {
  const Schema& schema = Schema::Default();
  RecordState complete = Stored(ActivityDelta());
  complete.fields["sector"] = FieldState{int64_t{2}, S(10), {}, 1};
  EXPECT_TRUE(ValidateMerged(schema, complete).ok());

  RecordState missing = complete;
  missing.fields.erase("name");
  absl::Status s = ValidateMerged(schema, missing);
  EXPECT_EQ(RejectCodeOf(s), RejectCode::kInvalidField);
  EXPECT_EQ(s.message(), "activity a1: required field 'name' is missing");

  RecordState cleared = complete;
  cleared.fields["status"].value = Null{};
  EXPECT_THAT(std::string(ValidateMerged(schema, cleared).message()),
              HasSubstr("required field 'status' is missing"));

  RecordState deleted = missing;  // invisible: required fields do not matter
  deleted.tombstone = S(50);
  EXPECT_TRUE(ValidateMerged(schema, deleted).ok());

  // A photo is evidence of a progress report or of a follow-up: one of the two.
  RecordState photo;
  photo.collection = kPhoto;
  photo.id = "p1";
  photo.scope = "62.10.01.2001";
  photo.fields["sha256"] = FieldState{std::string(64, 'a'), S(10), {}, 1};
  photo.fields["stage"] = FieldState{std::string("other"), S(10), {}, 1};
  photo.fields["size_bytes"] = FieldState{int64_t{10}, S(10), {}, 1};
  photo.fields["content_type"] = FieldState{std::string("image/png"), S(10), {}, 1};
  EXPECT_EQ(ValidateMerged(schema, photo).message(),
            "photo p1: one of 'report_id', 'follow_up_id' is required");
  photo.fields["follow_up_id"] = FieldState{std::string("f1"), S(10), {}, 1};
  EXPECT_TRUE(ValidateMerged(schema, photo).ok());

  RecordState unknown = complete;
  unknown.collection = "kegiatan";
  EXPECT_EQ(RejectCodeOf(ValidateMerged(schema, unknown)), RejectCode::kUnknownCollection);
}

}  // namespace
}  // namespace kawal::sync
