// Names of the domain's coded values in Bahasa Indonesia and English, one
// wording for every side (server reports, kawal-report, kawal-field):
// bidang (the five sectors of village spending), the 18 SDGs Desa goals,
// the Siskeudes funding sources and the focus tags. docs/domain.md explains
// them; the schema (schema_default.cc) takes its allowed funding source
// codes from here.
//
// The dimension names are those of the report breakdowns: "sector", "sdg",
// "source", "focus".
//
// Thread-safety: constant tables and pure functions.
#ifndef KAWAL_SYNC_DOMAIN_LABELS_H_
#define KAWAL_SYNC_DOMAIN_LABELS_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "absl/strings/string_view.h"

namespace kawal::sync {

struct DomainLabel {
  const char* key;  // "2" (sector), "9" (SDG), "DDS" (source), "blt" (focus)
  const char* id;   // Bahasa Indonesia
  const char* en;   // English
};

// Every key of a dimension with its labels, in display order (sectors 1..5,
// goals 1..18, sources as Siskeudes lists them); empty for an unknown one.
absl::Span<const DomainLabel> DomainLabels(absl::string_view dimension);

// The labels of one key, or nullptr when the dimension or key is unknown.
const DomainLabel* FindDomainLabel(absl::string_view dimension, absl::string_view key);

// The funding source codes (keys of "source"), in order: the allowed keys
// of every amounts field.
std::vector<std::string> FundingSourceCodes();

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_DOMAIN_LABELS_H_
