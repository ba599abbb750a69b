#include "field_input.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kawal::field {

const std::vector<FlagField> kActivityFlags = {
    {"year", "year"},
    {"name", "name"},
    {"sector", "sector"},
    {"code", "activity_code"},
    {"sdg", "sdg_goals"},
    {"focus", "focus_tags"},
    {"mode", "implementation_mode"},
    {"budget", "budget"},
    {"budget_revised", "budget_revised"},
    {"spent", "spent"},
    {"progress", "physical_progress_pct"},
    {"status", "status"},
    {"volume", "volume"},
    {"unit", "unit"},
    {"output", "output"},
    {"beneficiaries", "beneficiaries"},
    {"lat", "lat"},
    {"lon", "lon"},
    {"notes", "notes"},
};

const std::vector<FlagField> kReportFlags = {
    {"progress", "physical_progress_pct"},
    {"date", "visit_date"},
    {"spent", "spent"},
    {"tranche", "tranche"},
    {"problems", "problems"},
    {"workers", "workers"},
    {"person_days", "person_days"},
    {"wages", "wages"},
    {"notes", "notes"},
    {"lat", "lat"},
    {"lon", "lon"},
    {"accuracy", "accuracy_m"},
};

const std::vector<FlagField> kVillageFlags = {
    {"population", "population"},
    {"households", "households"},
    {"head", "head_name"},
    {"phone", "head_phone"},
    {"idm", "idm_status"},
    {"notes", "notes"},
};

namespace {

// Lower case, spaces and dashes as underscores: how enum values are written.
std::string EnumForm(absl::string_view text) {
  std::string out = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (char& c : out) {
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

// The schema value `text` stands for (the value itself or its label in
// either language); `text` unchanged when none, for the core to reject.
std::string EnumValue(const sync::FieldSpec& spec, absl::string_view text) {
  const std::string typed = EnumForm(text);
  for (const std::string& allowed : spec.allowed) {
    if (typed == allowed || typed == EnumForm(ValueLabel(Lang::kId, spec.name, allowed)) ||
        typed == EnumForm(ValueLabel(Lang::kEn, spec.name, allowed))) {
      return allowed;
    }
  }
  return std::string(absl::StripAsciiWhitespace(text));
}

bool ParseNumber(std::string text, double* out) {
  text = std::string(absl::StripAsciiWhitespace(text));
  if (text.empty()) return false;
  for (char c : text) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == '-' ||
          c == '+' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  // A decimal comma (45,5) when there is no decimal point.
  if (!absl::StrContains(text, '.') && std::count(text.begin(), text.end(), ',') == 1) {
    text[text.find(',')] = '.';
  }
  return absl::SimpleAtod(text, out) && std::isfinite(*out);
}

}  // namespace

std::vector<std::string> FlagNames(const std::vector<FlagField>& table) {
  std::vector<std::string> out;
  for (const FlagField& f : table) out.push_back(f.flag);
  return out;
}

bool ParseWholeNumber(const std::string& raw, int64_t* out) {
  absl::string_view text = absl::StripAsciiWhitespace(raw);
  bool negative = absl::ConsumePrefix(&text, "-");
  if (text.empty()) return false;
  std::string digits;
  // Separators, when used, split the number into groups of three digits
  // after the first group: "1.500.000" is 1500000; "1.5" is refused rather
  // than read as 15.
  std::vector<absl::string_view> groups = absl::StrSplit(text, absl::ByAnyChar("._"));
  for (size_t g = 0; g < groups.size(); ++g) {
    const absl::string_view group = groups[g];
    if (group.empty() || (g > 0 && group.size() != 3) || (g == 0 && groups.size() > 1 &&
                                                          group.size() > 3)) {
      return false;
    }
    for (char c : group) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    digits.append(group.data(), group.size());
  }
  if (negative) digits = "-" + digits;
  return absl::SimpleAtoi(digits, out);
}

std::optional<InputError> ParseFieldValue(const sync::FieldSpec& spec, const std::string& flag,
                                          const std::string& text, sync::Value* out) {
  switch (spec.type) {
    case sync::FieldType::kInt: {
      int64_t n = 0;
      if (!ParseWholeNumber(text, &n)) return InputError{Msg::kNotWholeNumber, {flag, text}};
      *out = n;
      return std::nullopt;
    }
    case sync::FieldType::kDouble: {
      double d = 0;
      if (!ParseNumber(text, &d)) return InputError{Msg::kNotNumber, {flag, text}};
      *out = d;
      return std::nullopt;
    }
    case sync::FieldType::kString:
      *out = spec.allowed.empty() ? text : EnumValue(spec, text);
      return std::nullopt;
    case sync::FieldType::kBool: {
      const std::string b = EnumForm(text);
      if (b == "true" || b == "yes" || b == "ya" || b == "1") {
        *out = true;
      } else if (b == "false" || b == "no" || b == "tidak" || b == "0") {
        *out = false;
      } else {
        return InputError{Msg::kBadBool, {flag, text}};
      }
      return std::nullopt;
    }
    case sync::FieldType::kIntList:
    case sync::FieldType::kStringList: {
      sync::ScalarList list;
      for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
        const std::string part(absl::StripAsciiWhitespace(item));
        if (spec.type == sync::FieldType::kIntList) {
          int64_t n = 0;
          if (!ParseWholeNumber(part, &n)) return InputError{Msg::kNotWholeNumber, {flag, part}};
          list.emplace_back(std::in_place_type<int64_t>, n);
        } else {
          std::string item_value = spec.allowed.empty() ? part : EnumValue(spec, part);
          list.emplace_back(std::in_place_type<std::string>, std::move(item_value));
        }
      }
      *out = std::move(list);
      return std::nullopt;
    }
    case sync::FieldType::kAmounts: {
      sync::AmountMap amounts;
      for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
        std::vector<std::string> parts = absl::StrSplit(item, absl::MaxSplits(':', 1));
        int64_t amount = 0;
        if (parts.size() != 2 || !ParseWholeNumber(parts[1], &amount)) {
          return InputError{Msg::kBadAmount, {flag, std::string(item)}};
        }
        const std::string source =
            absl::AsciiStrToUpper(absl::StripAsciiWhitespace(parts[0]));
        if (std::find(spec.allowed.begin(), spec.allowed.end(), source) == spec.allowed.end()) {
          return InputError{Msg::kBadSource, {flag, std::string(absl::StripAsciiWhitespace(parts[0]))}};
        }
        if (!amounts.emplace(source, amount).second) {
          return InputError{Msg::kDuplicateSource, {flag, source}};
        }
      }
      *out = std::move(amounts);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<InputError> FieldsFromFlags(const sync::CollectionSpec& spec,
                                          const std::vector<FlagField>& table, const Args& args,
                                          bool creating, mobile::FieldValues* out) {
  for (const FlagField& f : table) {
    if (!args.Has(f.flag)) continue;
    const std::string text = args.Get(f.flag);
    const sync::FieldSpec* field = spec.Find(f.field);
    if (field == nullptr) continue;  // not in this schema version
    if (absl::StripAsciiWhitespace(text).empty()) {
      if (!creating) out->emplace_back(f.field, sync::Null{});
      continue;
    }
    sync::Value value;
    if (auto error = ParseFieldValue(*field, f.flag, text, &value)) return error;
    out->emplace_back(f.field, std::move(value));
  }
  return std::nullopt;
}

std::string WithFlagName(const std::string& message, const std::vector<FlagField>& table) {
  for (const FlagField& f : table) {
    if (absl::StrContains(message, absl::StrCat("'", f.field, "'"))) {
      return absl::StrCat(message, " (--", f.flag, ")");
    }
  }
  return message;
}

}  // namespace kawal::field
