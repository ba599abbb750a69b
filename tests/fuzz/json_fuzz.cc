// Fuzz target: the JSON the C API takes from apps (fields_json,
// query_json, options_json, photos_json all go through ParseJson; fields
// then through FieldsFromJson). The bytes are parsed as a JSON text and, as
// a record's fields, for every collection of the default schema.
// Properties: nothing crashes (ASan/UBSan); a parse that succeeds writes
// back (ToJson) as valid UTF-8 that parses to the same DOM and writes the
// same text again; a parse that fails is INVALID_ARGUMENT with a valid
// UTF-8 message "JSON error at byte N: ..." with N inside the input (or at
// the size limit); typed fields written back (WriteValueJson) parse again.
//
// With KAWAL_FUZZ_ENTRY defined this file also defines LLVMFuzzerTestOneInput.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "fuzz_checks.h"
#include "json.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/utf8.h"
#include "record_json.h"

namespace kawal::fuzz {
namespace {

[[noreturn]] void Fail(const char* what, absl::string_view detail) {
  std::fprintf(stderr, "json_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void CheckError(const absl::Status& status, size_t size) {
  if (status.code() != absl::StatusCode::kInvalidArgument) Fail("not INVALID_ARGUMENT", status.ToString());
  const absl::string_view message = status.message();
  if (!sync::IsValidUtf8(message)) Fail("message is not UTF-8", message);
  constexpr absl::string_view kPrefix = "JSON error at byte ";
  if (!absl::StartsWith(message, kPrefix)) Fail("message without offset", message);
  absl::string_view rest = message.substr(kPrefix.size());
  size_t at = 0;
  if (!absl::SimpleAtoi(rest.substr(0, rest.find(':')), &at) ||
      at > std::max(size, mobile::kMaxJsonBytes)) {
    Fail("offset outside the input", message);
  }
}

}  // namespace

int CheckJsonInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<mobile::JsonValue> value = mobile::ParseJson(text);
  if (!value.ok()) {
    CheckError(value.status(), size);
  } else {
    const std::string out = mobile::ToJson(*value);
    if (!sync::IsValidUtf8(out)) Fail("ToJson wrote invalid UTF-8", out);
    absl::StatusOr<mobile::JsonValue> again = mobile::ParseJson(out);
    if (!again.ok()) Fail("ToJson output does not parse", again.status().ToString());
    if (!(*again == *value)) Fail("round trip changed the DOM", out);
    if (mobile::ToJson(*again) != out) Fail("second write differs", out);
  }
  for (const sync::CollectionSpec& spec : sync::Schema::Default().collections()) {
    auto fields = mobile::FieldsFromJson(spec, text);
    if (!fields.ok()) {
      if (fields.status().code() != absl::StatusCode::kInvalidArgument) {
        Fail("fields: not INVALID_ARGUMENT", fields.status().ToString());
      }
      if (!sync::IsValidUtf8(fields.status().message())) {
        Fail("fields: message is not UTF-8", fields.status().message());
      }
      continue;
    }
    mobile::JsonWriter w;
    w.BeginObject();
    for (const auto& [name, v] : *fields) mobile::WriteValueJson(w.Key(name), v);
    w.EndObject();
    if (!mobile::ParseJson(w.str()).ok()) Fail("typed fields do not parse back", w.str());
  }
  return 0;
}

}  // namespace kawal::fuzz

#ifdef KAWAL_FUZZ_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kawal::fuzz::CheckJsonInput(data, size);
}
#endif
