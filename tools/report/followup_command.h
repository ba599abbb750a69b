// `kawal-report followup add|list|edit`: officers' follow-up actions
// (docs/follow-ups.md). Parses the follow-up flags into one ReportService
// call, makes it, and formats the answer.
#ifndef KAWAL_TOOLS_REPORT_FOLLOWUP_COMMAND_H_
#define KAWAL_TOOLS_REPORT_FOLLOWUP_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/v1/report.pb.h"
#include "report/labels.h"
#include "report/report_client.h"

namespace kawal::report {

struct FollowUpCall {
  enum class Verb { kAdd, kList, kEdit };
  Verb verb = Verb::kList;
  std::string region;  // sent as x-kawal-region (the desa for add)
  v1::CreateFollowUpRequest create;
  v1::UpdateFollowUpRequest update;
  v1::ListFollowUpsRequest list;
};

// `words` are the positional arguments after "followup" (the verb, and the
// id for edit); the follow-up flags and --region are read here.
// INVALID_ARGUMENT naming the mistake (a usage error).
absl::StatusOr<FollowUpCall> ParseFollowUpCall(const std::vector<std::string>& words);

// Makes the call; the answer as a table, CSV or JSON (`format`).
absl::StatusOr<std::string> RunFollowUpCall(const FollowUpCall& call, ReportClient& client,
                                            const std::string& format, Lang lang);

}  // namespace kawal::report

#endif  // KAWAL_TOOLS_REPORT_FOLLOWUP_COMMAND_H_
