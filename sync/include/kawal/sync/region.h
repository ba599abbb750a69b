// Kemendagri region codes (PP.KK.CC.DDDD) and their hierarchy:
// provinsi ⊃ kabupaten/kota ⊃ kecamatan ⊃ desa/kelurahan. Codes are scopes:
// every record belongs to one desa-level code, and a prefix authorizes and
// routes everything under it (docs/architecture.md §2).
//
// Thread-safety: plain value type.
#ifndef KAWAL_SYNC_REGION_H_
#define KAWAL_SYNC_REGION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kawal::sync {

enum class RegionLevel { kProvinsi = 1, kKabupaten = 2, kKecamatan = 3, kDesa = 4 };

// "provinsi", "kabupaten", "kecamatan", "desa".
const char* RegionLevelName(RegionLevel level);

// What a desa-level code is, from its last four digits (Kepmendagri
// 300.2.2-2138/2025): 1xxx kelurahan, 2xxx desa, 3xxx desa adat.
enum class VillageKind { kKelurahan, kDesa, kDesaAdat };
const char* VillageKindName(VillageKind kind);

class RegionCode {
 public:
  // Parses "62", "62.10", "62.10.01" or "62.10.01.2001". Each part is
  // digits only, of width 2, 2, 2 and 4, not all zeros; the province is
  // 11..99 and the desa part starts with 1, 2 or 3. INVALID_ARGUMENT
  // naming the code and the rule otherwise.
  static absl::StatusOr<RegionCode> Parse(absl::string_view code);

  const std::string& str() const { return code_; }
  RegionLevel level() const { return level_; }

  // The enclosing region; the code itself for a province.
  RegionCode Parent() const;
  // The ancestor at `level` (the code itself when level == level()).
  // Requires level <= level().
  RegionCode AncestorAt(RegionLevel level) const;
  // Ancestors from the province down to and including this code.
  std::vector<RegionCode> Lineage() const;

  // True when `other` is this region or lies inside it.
  bool Contains(const RegionCode& other) const;

  // Only for desa-level codes.
  VillageKind village_kind() const;

  friend bool operator==(const RegionCode& a, const RegionCode& b) { return a.code_ == b.code_; }
  friend bool operator<(const RegionCode& a, const RegionCode& b) { return a.code_ < b.code_; }

 private:
  RegionCode(std::string code, RegionLevel level) : code_(std::move(code)), level_(level) {}
  std::string code_;
  RegionLevel level_;
};

// OK when `scope` is a well-formed desa-level code (a record's scope).
absl::Status ValidateDesaScope(absl::string_view scope);

// True when `prefix` (any level) contains `code` (any level); both must be
// well-formed, else false.
bool RegionContains(absl::string_view prefix, absl::string_view code);

// The kabupaten/kota ("PP.KK") that holds `code` (kabupaten level or below):
// the region a proxy routes a call by. Empty when `code` is malformed or a
// province.
std::string KabupatenOf(absl::string_view code);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_REGION_H_
