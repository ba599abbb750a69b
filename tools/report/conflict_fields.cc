#include <vector>

#include "report/report_format.h"

namespace kawal::report {

std::vector<v1::ConflictField> ConflictFieldsOf(const v1::ConflictEntry& conflict) {
  if (conflict.fields_size() > 0) return {conflict.fields().begin(), conflict.fields().end()};
  // A server that predates the list sends the one field alone.
  v1::ConflictField only;
  only.set_field(conflict.field());
  only.set_winner_value(conflict.winner_value());
  only.set_loser_value(conflict.loser_value());
  return {only};
}

}  // namespace kawal::report
