// kawal-field's words for `import apbdes`, in Bahasa Indonesia and English,
// kept apart from messages.cc so that the import's texts live together.
//
// Thread-safety: pure functions over constant tables.
#ifndef KAWAL_MOBILE_APP_APBDES_APBDES_MESSAGES_H_
#define KAWAL_MOBILE_APP_APBDES_APBDES_MESSAGES_H_

#include <string>

#include "../messages.h"
#include "plan.h"
#include "sheet.h"

namespace kawal::field {

enum class ApbdesMsg {
  kUnreadable, kNoHeader, kNoSourceColumn, kDuplicateColumn, kNoActivities, kBadYear,
  kBadRow, kNothingSaved, kSkipped, kDone, kSentAtNextSync, kDryRun, kDeletedHere,
  kColLine, kColCode, kColName, kColBudget, kColAction,
};

const char* ApbdesTr(Lang lang, ApbdesMsg msg);

template <typename... A>
std::string ApbdesText(Lang lang, ApbdesMsg msg, const A&... args) {
  return absl::Substitute(ApbdesTr(lang, msg), args...);
}

// The reason a row cannot be imported, in `lang` (without its line).
std::string RowProblemText(Lang lang, const apbdes::RowProblem& problem);
// "baru" / "new", ...
std::string RowActionText(Lang lang, apbdes::RowAction action);
// "kode", "uraian", "DDS", ... for a header problem.
std::string HeaderProblemText(Lang lang, const std::string& file,
                              const apbdes::HeaderProblem& problem);

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_APBDES_APBDES_MESSAGES_H_
