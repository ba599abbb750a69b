#include "report/followup_command.h"

#include <optional>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "report/report_format.h"

ABSL_DECLARE_FLAG(std::string, region);  // report_main.cc

ABSL_FLAG(std::string, desa, "", "followup add: the desa code the follow-up is for");
ABSL_FLAG(std::string, activity, "", "followup add: an activity id of that desa (optional)");
ABSL_FLAG(std::string, from_report, "",
          "followup add: the progress report whose problem it answers (optional)");
ABSL_FLAG(std::optional<std::string>, problem, std::nullopt, "followup add/edit: the problem");
ABSL_FLAG(std::optional<std::string>, action, std::nullopt,
          "followup add/edit: the action agreed (required for add)");
ABSL_FLAG(std::optional<std::string>, responsible, std::nullopt,
          "followup add/edit: user name of who is responsible");
ABSL_FLAG(std::optional<std::string>, due, std::nullopt,
          "followup add/edit: due date YYYY-MM-DD (required for add)");
ABSL_FLAG(std::optional<std::string>, status, std::nullopt,
          "followup edit: open, in_progress, done or cancelled; followup list: open, overdue, "
          "done or cancelled");
ABSL_FLAG(std::optional<std::string>, closing_note, std::nullopt,
          "followup edit: how it was closed");

namespace kawal::report {
namespace {

std::string Flag(const absl::Flag<std::optional<std::string>>& flag) {
  return absl::GetFlag(flag).value_or("");
}

// The flags of another verb given to this one: named, so a typo is not
// silently ignored.
absl::Status OnlyThese(const std::string& verb, bool desa, bool fields, bool status) {
  auto refuse = [&](const char* flag) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " does not apply to followup ", verb));
  };
  if (!desa && (!absl::GetFlag(FLAGS_desa).empty() || !absl::GetFlag(FLAGS_activity).empty() ||
                !absl::GetFlag(FLAGS_from_report).empty())) {
    return refuse("--desa/--activity/--from_report");
  }
  if (!fields && (absl::GetFlag(FLAGS_problem) || absl::GetFlag(FLAGS_action) ||
                  absl::GetFlag(FLAGS_responsible) || absl::GetFlag(FLAGS_due) ||
                  absl::GetFlag(FLAGS_closing_note))) {
    return refuse("--problem/--action/--responsible/--due/--closing_note");
  }
  if (!status && absl::GetFlag(FLAGS_status)) return refuse("--status");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FollowUpCall> ParseFollowUpCall(const std::vector<std::string>& words) {
  if (words.empty()) {
    return absl::InvalidArgumentError("followup needs a verb: add, list or edit");
  }
  FollowUpCall call;
  call.region = absl::GetFlag(FLAGS_region);
  const std::string& verb = words[0];
  const size_t expected_words = verb == "edit" ? 2 : 1;
  if (words.size() != expected_words) {
    return absl::InvalidArgumentError(verb == "edit"
                                          ? "followup edit needs the follow-up's id: followup edit ID"
                                          : absl::StrCat("unexpected argument '", words.back(), "'"));
  }
  if (verb == "add") {
    call.verb = FollowUpCall::Verb::kAdd;
    if (absl::Status s = OnlyThese(verb, true, true, false); !s.ok()) return s;
    if (absl::GetFlag(FLAGS_closing_note)) {
      return absl::InvalidArgumentError("--closing_note is for followup edit");
    }
    const std::string desa = absl::GetFlag(FLAGS_desa);
    if (desa.empty()) return absl::InvalidArgumentError("followup add needs --desa=CODE");
    if (Flag(FLAGS_action).empty()) {
      return absl::InvalidArgumentError("followup add needs --action=TEXT (the action agreed)");
    }
    if (Flag(FLAGS_due).empty()) return absl::InvalidArgumentError("followup add needs --due=YYYY-MM-DD");
    call.region = desa;
    call.create.set_desa(desa);
    call.create.set_activity_id(absl::GetFlag(FLAGS_activity));
    call.create.set_source_report_id(absl::GetFlag(FLAGS_from_report));
    call.create.set_problem(Flag(FLAGS_problem));
    call.create.set_action(Flag(FLAGS_action));
    call.create.set_responsible(Flag(FLAGS_responsible));
    call.create.set_due_date(Flag(FLAGS_due));
    return call;
  }
  if (verb == "list") {
    call.verb = FollowUpCall::Verb::kList;
    if (absl::Status s = OnlyThese(verb, false, false, true); !s.ok()) return s;
    if (call.region.empty()) return absl::InvalidArgumentError("followup list needs --region=CODE");
    call.list.set_region(call.region);
    call.list.set_status(Flag(FLAGS_status));
    return call;
  }
  if (verb == "edit") {
    call.verb = FollowUpCall::Verb::kEdit;
    if (absl::Status s = OnlyThese(verb, false, true, true); !s.ok()) return s;
    call.update.set_id(words[1]);
    if (auto v = absl::GetFlag(FLAGS_problem)) call.update.set_problem(*v);
    if (auto v = absl::GetFlag(FLAGS_action)) call.update.set_action(*v);
    if (auto v = absl::GetFlag(FLAGS_responsible)) call.update.set_responsible(*v);
    if (auto v = absl::GetFlag(FLAGS_due)) call.update.set_due_date(*v);
    if (auto v = absl::GetFlag(FLAGS_status)) call.update.set_status(*v);
    if (auto v = absl::GetFlag(FLAGS_closing_note)) call.update.set_closing_note(*v);
    return call;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("followup ", verb, " is unknown: use add, list or edit"));
}

absl::StatusOr<std::string> RunFollowUpCall(const FollowUpCall& call, ReportClient& client,
                                            const std::string& format, Lang lang) {
  v1::ListFollowUpsResponse listed;
  if (call.verb == FollowUpCall::Verb::kList) {
    if (absl::Status s = client.ListFollowUps(call.list, &listed); !s.ok()) return s;
  } else {
    v1::FollowUpResponse written;
    absl::Status s = call.verb == FollowUpCall::Verb::kAdd
                         ? client.CreateFollowUp(call.create, &written)
                         : client.UpdateFollowUp(call.update, &written);
    if (!s.ok()) return s;
    *listed.add_follow_ups() = written.follow_up();
  }
  if (format == "csv") return FollowUpsCsv(listed);
  if (format == "json") return FollowUpsJson(listed);
  return FollowUpsTable(listed, call.region, lang);
}

}  // namespace kawal::report
