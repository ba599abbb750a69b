// Field values typed on kawal-field's command line, turned into typed
// sync::Values by the schema's field types. Only the form is checked here
// (a number is a number, an amount is SOURCE:AMOUNT); ranges, lengths,
// allowed values and formats are left to the core so that the device and
// the server apply one rule set.
//
// Thread-safety: pure functions over constant tables.
#ifndef KAWAL_MOBILE_APP_FIELD_INPUT_H_
#define KAWAL_MOBILE_APP_FIELD_INPUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"

namespace kawal::field {

// A command-line flag that sets a schema field.
struct FlagField {
  const char* flag;
  const char* field;
};

// activity add/edit (the village is the record's scope: --village, add only).
extern const std::vector<FlagField> kActivityFlags;
// report add (--activity is resolved to the activity's id and scope).
extern const std::vector<FlagField> kReportFlags;
// village edit: the profile fields a facilitator may write.
extern const std::vector<FlagField> kVillageFlags;

std::vector<std::string> FlagNames(const std::vector<FlagField>& table);

// A value that does not parse: a message and its arguments (invalid data).
struct InputError {
  Msg msg;
  std::vector<std::string> args;
};

// Parses the flags of `table` present in `args` into `out`, in table
// order. An empty value ("--notes=") clears the field (sync::Null) when
// editing and is skipped when creating.
std::optional<InputError> FieldsFromFlags(const sync::CollectionSpec& spec,
                                          const std::vector<FlagField>& table, const Args& args,
                                          bool creating, mobile::FieldValues* out);

// One value of `spec`'s type from `text` typed as --`flag`:
//   integers   "150000000", "150.000.000", "150_000_000"
//   numbers    "45.5", "45,5", "-1.25"
//   lists      "9,1" (integers) or "food_security,padat_karya"
//   amounts    "DDS:150000000,ADD:25.000.000" (sources case-insensitive)
//   enums      the schema value or its label in either language,
//              case-insensitive ("Sangat Tertinggal", "berjalan")
std::optional<InputError> ParseFieldValue(const sync::FieldSpec& spec, const std::string& flag,
                                          const std::string& text, sync::Value* out);

// A whole number with optional '.' or '_' thousands separators (groups of
// three after the first).
bool ParseWholeNumber(const std::string& text, int64_t* out);

// `message` (the core's, naming a schema field in quotes) with the flag that
// sets that field appended: "... must be 0..100 (--progress)".
std::string WithFlagName(const std::string& message, const std::vector<FlagField>& table);

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_FIELD_INPUT_H_
