#include "kawal/sync/region.h"

#include <array>
#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kawal/sync/quote.h"
#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

// Width of each part, province first.
constexpr std::array<size_t, 4> kPartWidth = {2, 2, 2, 4};
// Length of a code at each level ("62", "62.10", "62.10.01", "62.10.01.2001").
constexpr std::array<size_t, 4> kCodeLength = {2, 5, 8, 13};

absl::Status Invalid(absl::string_view code, absl::string_view rule) {
  return Reject(RejectCode::kInvalidScope,
                absl::StrCat("region code \"", QuoteClientValue(code), "\" is invalid: ", rule));
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool AllZeros(absl::string_view s) {
  for (char c : s) {
    if (c != '0') return false;
  }
  return true;
}

}  // namespace

const char* RegionLevelName(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvinsi: return "provinsi";
    case RegionLevel::kKabupaten: return "kabupaten";
    case RegionLevel::kKecamatan: return "kecamatan";
    case RegionLevel::kDesa: return "desa";
  }
  return "unknown";
}

const char* VillageKindName(VillageKind kind) {
  switch (kind) {
    case VillageKind::kKelurahan: return "kelurahan";
    case VillageKind::kDesa: return "desa";
    case VillageKind::kDesaAdat: return "desa_adat";
  }
  return "unknown";
}

absl::StatusOr<RegionCode> RegionCode::Parse(absl::string_view code) {
  if (code.empty()) return Invalid(code, "it is empty");
  std::vector<absl::string_view> parts = absl::StrSplit(code, '.');
  if (parts.size() > kPartWidth.size()) {
    return Invalid(code,
                   absl::StrCat("it has ", parts.size(), " parts; at most 4 (PP.KK.CC.DDDD)"));
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::string_view part = parts[i];
    if (part.size() != kPartWidth[i] || !AllDigits(part)) {
      return Invalid(code, absl::StrCat("part ", i + 1, " must be ", kPartWidth[i], " digits"));
    }
    if (AllZeros(part)) {
      return Invalid(code, absl::StrCat("part ", i + 1, " must not be all zeros"));
    }
  }
  if (parts[0] < "11") {
    return Invalid(code, "the province (part 1) must be 11..99");
  }
  if (parts.size() == 4 && (parts[3][0] < '1' || parts[3][0] > '3')) {
    return Invalid(code, "part 4 must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)");
  }
  return RegionCode(std::string(code), static_cast<RegionLevel>(parts.size()));
}

RegionCode RegionCode::Parent() const {
  if (level_ == RegionLevel::kProvinsi) return *this;
  return AncestorAt(static_cast<RegionLevel>(static_cast<int>(level_) - 1));
}

RegionCode RegionCode::AncestorAt(RegionLevel level) const {
  if (level >= level_) return *this;  // level > level() breaks the contract
  size_t length = kCodeLength[static_cast<size_t>(level) - 1];
  return RegionCode(code_.substr(0, length), level);
}

std::vector<RegionCode> RegionCode::Lineage() const {
  std::vector<RegionCode> lineage;
  for (int l = 1; l <= static_cast<int>(level_); ++l) {
    lineage.push_back(AncestorAt(static_cast<RegionLevel>(l)));
  }
  return lineage;
}

bool RegionCode::Contains(const RegionCode& other) const {
  return other.level_ >= level_ && other.AncestorAt(level_) == *this;
}

VillageKind RegionCode::village_kind() const {
  if (level_ != RegionLevel::kDesa) return VillageKind::kDesa;  // contract: desa codes only
  switch (code_[kCodeLength[2] + 1]) {
    case '1': return VillageKind::kKelurahan;
    case '3': return VillageKind::kDesaAdat;
    default: return VillageKind::kDesa;
  }
}

absl::Status ValidateDesaScope(absl::string_view scope) {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(scope);
  if (!code.ok()) return code.status();
  if (code->level() != RegionLevel::kDesa) {
    return Reject(RejectCode::kInvalidScope,
                  absl::StrCat("scope \"", QuoteClientValue(scope), "\" is a ",
                               RegionLevelName(code->level()),
                               " code; a record's scope must be a desa code (PP.KK.CC.DDDD)"));
  }
  return absl::OkStatus();
}

bool RegionContains(absl::string_view prefix, absl::string_view code) {
  absl::StatusOr<RegionCode> p = RegionCode::Parse(prefix);
  absl::StatusOr<RegionCode> c = RegionCode::Parse(code);
  return p.ok() && c.ok() && p->Contains(*c);
}

std::string KabupatenOf(absl::string_view code) {
  absl::StatusOr<RegionCode> parsed = RegionCode::Parse(code);
  if (!parsed.ok() || parsed->level() < RegionLevel::kKabupaten) return "";
  return parsed->AncestorAt(RegionLevel::kKabupaten).str();
}

}  // namespace kawal::sync
