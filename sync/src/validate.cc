// Validation of values, ids and deltas against the schema (schema.h).
// Every rejection names what was wrong, the offending value and the rule,
// because the message reaches a facilitator's screen (docs/architecture.md §6).
#include <cmath>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kawal/sync/region.h"
#include "kawal/sync/reject.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/utf8.h"

namespace kawal::sync {
namespace {

// Longest value text quoted in a message, in bytes.
constexpr size_t kMaxQuoted = 80;

// `text` made safe to quote in a message: invalid UTF-8 bytes as \xNN, cut
// at a character boundary after kMaxQuoted bytes.
std::string Quotable(absl::string_view text) {
  size_t consumed = 0;
  std::string out = EscapeInvalidUtf8(text, kMaxQuoted, &consumed);
  if (consumed < text.size()) absl::StrAppend(&out, "... (", text.size(), " bytes)");
  return out;
}

std::string Describe(const Value& value) {
  if (const double* d = std::get_if<double>(&value); d != nullptr && !std::isfinite(*d)) {
    return std::isnan(*d) ? "NaN" : (*d > 0 ? "Infinity" : "-Infinity");
  }
  return Quotable(ValueToJson(value));
}

Value ToValue(const Scalar& s) {
  return std::visit([](const auto& x) -> Value { return x; }, s);
}

// "field 'sdg_goals' item 1 value 19 is invalid: must be 1..18"; `part` names
// the list item or amounts key at fault ("value" for the whole value).
absl::Status InvalidValue(const FieldSpec& spec, const Value& value, absl::string_view rule,
                          absl::string_view part = "value") {
  return Reject(RejectCode::kInvalidField, absl::StrCat("field '", spec.name, "' ", part, " ",
                                                        Describe(value), " is invalid: ", rule));
}

template <typename T>
std::string RangeRule(T min, T max, T lowest, T highest) {
  if (min == lowest) return absl::StrCat("must be at most ", max);
  if (max == highest) return absl::StrCat("must be at least ", min);
  return absl::StrCat("must be ", min, "..", max);
}

std::string IntRule(const FieldSpec& spec) {
  return RangeRule<int64_t>(spec.int_min, spec.int_max, INT64_MIN, INT64_MAX);
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool DigitsAt(absl::string_view s, size_t pos, size_t n, int* out) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// YYYY-MM-DD naming a day that exists (2024-02-29 yes, 2025-02-29 no).
bool IsCalendarDate(absl::string_view s) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!DigitsAt(s, 0, 4, &y) || !DigitsAt(s, 5, 2, &m) || !DigitsAt(s, 8, 2, &d)) return false;
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
}

// BB.SS.KK: bidang 01..05 or 90..99 (lain-lain), then two digits each.
bool IsActivityCode(absl::string_view s) {
  int bb, ss, kk;
  if (s.size() != 8 || s[2] != '.' || s[5] != '.') return false;
  if (!DigitsAt(s, 0, 2, &bb) || !DigitsAt(s, 3, 2, &ss) || !DigitsAt(s, 6, 2, &kk)) return false;
  return (bb >= 1 && bb <= 5) || bb >= 90;
}

// The rule a format breaks, or empty when `s` satisfies `format`.
std::string FormatViolation(absl::string_view format, absl::string_view s) {
  if (format == "date") {
    return IsCalendarDate(s) ? "" : "must be a calendar date YYYY-MM-DD";
  }
  if (format == "activity_code") {
    return IsActivityCode(s) ? "" : "must be an activity code BB.SS.KK with BB 01..05 or 90..99";
  }
  if (format == "record_id") {
    return ValidateRecordId(s).ok() ? ""
                                    : "must be a record id: 1..64 characters of [A-Za-z0-9_.-]";
  }
  if (format == "sha256") {
    bool hex = s.size() == 64;
    for (char ch : s) hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
    return hex ? "" : "must be a SHA-256 digest: 64 lowercase hex digits";
  }
  if (format == "region_code") {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(s);
    return code.ok() ? "" : std::string(code.status().message());
  }
  return absl::StrCat("has unknown format \"", format, "\" in the schema");
}

// Checks a string (a kString value, a list element or an amounts key).
absl::Status CheckString(const FieldSpec& spec, const Value& shown, absl::string_view s,
                         bool check_format, absl::string_view part = "value") {
  if (size_t bad = FirstInvalidUtf8(s); bad != absl::string_view::npos) {
    return InvalidValue(spec, shown,
                        absl::StrCat("must be valid UTF-8 (bad byte at offset ", bad, ")"), part);
  }
  if (s.size() < spec.min_length || s.size() > spec.max_length) {
    return InvalidValue(spec, shown,
                        absl::StrCat("length must be ", spec.min_length, "..", spec.max_length,
                                     " bytes, got ", s.size()),
                        part);
  }
  if (!spec.allowed.empty()) {
    bool found = false;
    for (const std::string& a : spec.allowed) found = found || a == s;
    if (!found) {
      return InvalidValue(spec, shown,
                          absl::StrCat("must be one of ", absl::StrJoin(spec.allowed, "|")), part);
    }
  }
  if (check_format && !spec.format.empty()) {
    std::string violation = FormatViolation(spec.format, s);
    if (!violation.empty()) return InvalidValue(spec, shown, violation, part);
  }
  return absl::OkStatus();
}

absl::Status CheckInt(const FieldSpec& spec, const Value& shown, int64_t v,
                      absl::string_view part = "value") {
  if (v < spec.int_min || v > spec.int_max) return InvalidValue(spec, shown, IntRule(spec), part);
  return absl::OkStatus();
}

absl::Status CheckList(const FieldSpec& spec, const Value& value) {
  const ScalarList& list = std::get<ScalarList>(value);
  if (list.size() > spec.max_items) {
    return InvalidValue(
        spec, value,
        absl::StrCat("must have at most ", spec.max_items, " items, got ", list.size()));
  }
  const bool ints = spec.type == FieldType::kIntList;
  const ValueKind want = ints ? ValueKind::kInt : ValueKind::kString;
  for (size_t i = 0; i < list.size(); ++i) {
    Value element = ToValue(list[i]);
    if (KindOf(element) != want) {
      return InvalidValue(spec, value,
                          absl::StrCat("item ", i, " must be ", KindName(want), ", got ",
                                       KindName(KindOf(element))));
    }
    const std::string part = absl::StrCat("item ", i, " value");
    absl::Status s = ints ? CheckInt(spec, element, std::get<int64_t>(element), part)
                          : CheckString(spec, element, std::get<std::string>(element), false, part);
    if (!s.ok()) return s;
    for (size_t j = 0; j < i; ++j) {
      if (list[j] == list[i]) {
        return InvalidValue(spec, value,
                            absl::StrCat("items must be unique; ", Describe(element), " repeats"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAmounts(const FieldSpec& spec, const Value& value) {
  const AmountMap& amounts = std::get<AmountMap>(value);
  if (amounts.size() > spec.max_items) {
    return InvalidValue(
        spec, value,
        absl::StrCat("must have at most ", spec.max_items, " sources, got ", amounts.size()));
  }
  for (const auto& [key, amount] : amounts) {
    if (absl::Status s = CheckString(spec, Value(key), key, false, "key"); !s.ok()) return s;
    if (amount < spec.int_min || amount > spec.int_max) {
      return InvalidValue(spec, amount, IntRule(spec), absl::StrCat(Quotable(key), " amount"));
    }
  }
  return absl::OkStatus();
}

ValueKind KindFor(FieldType type) {
  switch (type) {
    case FieldType::kInt: return ValueKind::kInt;
    case FieldType::kDouble: return ValueKind::kDouble;
    case FieldType::kString: return ValueKind::kString;
    case FieldType::kBool: return ValueKind::kBool;
    case FieldType::kIntList:
    case FieldType::kStringList: return ValueKind::kList;
    case FieldType::kAmounts: return ValueKind::kAmounts;
  }
  return ValueKind::kNull;
}

// "activity a1: " -- the record a message is about.
std::string RecordPrefix(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(Quotable(collection), " ", Quotable(id), ": ");
}

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  return Reject(RejectCodeOf(status), absl::StrCat(prefix, status.message()));
}

absl::Status UnknownCollection(absl::string_view collection) {
  return Reject(RejectCode::kUnknownCollection,
                absl::StrCat("unknown collection \"", Quotable(collection), "\""));
}

absl::Status Undeletable(absl::string_view prefix, const CollectionSpec& spec) {
  return Reject(RejectCode::kAppendOnly,
                absl::StrCat(prefix, spec.name, " records are append-only and cannot be deleted"));
}

absl::Status CheckChanges(const CollectionSpec& spec, const RecordDelta& delta, Writer writer,
                          absl::string_view prefix) {
  std::set<absl::string_view> seen;
  for (const FieldChange& change : delta.changes) {
    const FieldSpec* field = spec.Find(change.name);
    if (field == nullptr) {
      return Reject(RejectCode::kUnknownField,
                    absl::StrCat(prefix, "unknown field '", Quotable(change.name),
                                 "' in collection ", spec.name));
    }
    if (writer == Writer::kDevice && !field->device_writable) {
      return Reject(RejectCode::kInvalidField,
                    absl::StrCat(prefix, "field '", field->name, "' is not writable by devices"));
    }
    if (!seen.insert(change.name).second) {
      return Reject(RejectCode::kMalformed,
                    absl::StrCat(prefix, "field '", field->name, "' appears more than once"));
    }
    if (change.stamp.IsZero()) {
      return Reject(RejectCode::kMalformed,
                    absl::StrCat(prefix, "field '", field->name, "' has no stamp"));
    }
    if (!(change.base < change.stamp)) {
      return Reject(
          RejectCode::kMalformed,
          absl::StrCat(prefix, "field '", field->name, "' base ", StampToString(change.base),
                       " must be older than its stamp ", StampToString(change.stamp)));
    }
    if (absl::Status s = ValidateValue(*field, change.value); !s.ok()) return Prefixed(prefix, s);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateValue(const FieldSpec& spec, const Value& value) {
  const ValueKind kind = KindOf(value);
  if (kind == ValueKind::kNull) return absl::OkStatus();
  if (kind != KindFor(spec.type)) {
    return InvalidValue(
        spec, value, absl::StrCat("must be ", FieldTypeName(spec.type), ", got ", KindName(kind)));
  }
  switch (spec.type) {
    case FieldType::kInt: return CheckInt(spec, value, std::get<int64_t>(value));
    case FieldType::kDouble: {
      double d = std::get<double>(value);
      if (!std::isfinite(d)) return InvalidValue(spec, value, "must be a finite number");
      if (d < spec.double_min || d > spec.double_max) {
        return InvalidValue(spec, value,
                            RangeRule<double>(spec.double_min, spec.double_max, -1e300, 1e300));
      }
      return absl::OkStatus();
    }
    case FieldType::kString: return CheckString(spec, value, std::get<std::string>(value), true);
    case FieldType::kBool: return absl::OkStatus();
    case FieldType::kIntList:
    case FieldType::kStringList: return CheckList(spec, value);
    case FieldType::kAmounts: return CheckAmounts(spec, value);
  }
  return absl::OkStatus();
}

absl::Status ValidateRecordId(absl::string_view id) {
  bool ok = !id.empty() && id.size() <= 64;
  for (char c : id) {
    ok = ok &&
         (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  }
  if (ok) return absl::OkStatus();
  return Reject(RejectCode::kInvalidId, absl::StrCat("record id \"", Quotable(id),
                                                     "\" is invalid: must be 1..64 characters of "
                                                     "[A-Za-z0-9_.-]"));
}

absl::Status ValidateDelta(const Schema& schema, const RecordDelta& delta, Writer writer) {
  const CollectionSpec* spec = schema.Find(delta.collection);
  if (spec == nullptr) return UnknownCollection(delta.collection);
  if (absl::Status s = ValidateRecordId(delta.id); !s.ok()) {
    return Prefixed(absl::StrCat(spec->name, ": "), s);
  }
  const std::string prefix = RecordPrefix(delta.collection, delta.id);
  if (absl::Status s = ValidateDesaScope(delta.scope); !s.ok()) return Prefixed(prefix, s);
  const bool deletes = !delta.tombstone.IsZero();
  if (deletes && spec->append_only) return Undeletable(prefix, *spec);
  if (deletes && writer == Writer::kDevice && !spec->device_deletable) {
    return Reject(RejectCode::kUnknownCollection,
                  absl::StrCat(prefix, "devices cannot delete ", spec->name, " records"));
  }
  if (delta.changes.empty() && !deletes) {
    return Reject(RejectCode::kMalformed,
                  absl::StrCat(prefix, "delta has no changes and no delete"));
  }
  if (!delta.tombstone_base.IsZero() && !(delta.tombstone_base < delta.tombstone)) {
    return Reject(
        RejectCode::kMalformed,
        absl::StrCat(prefix, "tombstone base ", StampToString(delta.tombstone_base),
                     " must be older than the tombstone ", StampToString(delta.tombstone)));
  }
  return CheckChanges(*spec, delta, writer, prefix);
}

absl::Status ValidateAgainstStored(const Schema& schema, const RecordState& stored,
                                   const RecordDelta& delta, Writer writer) {
  const CollectionSpec* spec = schema.Find(delta.collection);
  if (spec == nullptr) return UnknownCollection(delta.collection);
  const std::string prefix = RecordPrefix(delta.collection, delta.id);
  if (spec->append_only && !delta.tombstone.IsZero()) return Undeletable(prefix, *spec);
  if (stored.IsEmpty()) {
    if (writer == Writer::kDevice && !spec->device_creatable) {
      return Reject(RejectCode::kUnknownCollection,
                    absl::StrCat(prefix, "devices cannot create ", spec->name, " records"));
    }
    return absl::OkStatus();
  }
  if (stored.scope != delta.scope) {
    return Reject(RejectCode::kMismatch,
                  absl::StrCat(prefix, "scope \"", Quotable(delta.scope),
                               "\" differs from the stored scope \"", stored.scope, "\""));
  }
  if (!spec->append_only) return absl::OkStatus();
  for (const FieldChange& change : delta.changes) {
    auto it = stored.fields.find(change.name);
    bool same = it != stored.fields.end() && it->second.stamp == change.stamp &&
                it->second.base == change.base && ValueEqual(it->second.value, change.value);
    if (!same) {
      return Reject(RejectCode::kAppendOnly,
                    absl::StrCat(spec->name, " ", Quotable(delta.id), " is append-only: field '",
                                 Quotable(change.name),
                                 "' cannot change after creation; "
                                 "add a new report instead"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateMerged(const Schema& schema, const RecordState& merged) {
  const CollectionSpec* spec = schema.Find(merged.collection);
  if (spec == nullptr) return UnknownCollection(merged.collection);
  if (!merged.Visible()) return absl::OkStatus();
  for (const FieldSpec& field : spec->fields) {
    if (field.required && merged.Get(field.name) == nullptr) {
      return Reject(RejectCode::kInvalidField,
                    absl::StrCat(RecordPrefix(merged.collection, merged.id), "required field '",
                                 field.name, "' is missing"));
    }
  }
  for (const std::vector<std::string>& group : spec->one_of_required) {
    bool any = false;
    for (const std::string& name : group) any = any || merged.Get(name) != nullptr;
    if (!any) {
      return Reject(RejectCode::kInvalidField,
                    absl::StrCat(RecordPrefix(merged.collection, merged.id), "one of '",
                                 absl::StrJoin(group, "', '"), "' is required"));
    }
  }
  return absl::OkStatus();
}

}  // namespace kawal::sync
