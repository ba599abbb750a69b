// kawal-field import apbdes FILE.csv|FILE.xlsx --village=CODE --year=YYYY
// [--dry-run] [--skip-bad-rows]: a village's APBDes becomes its activities
// in one atomic local commit (docs/apbdes-import.md). All or nothing by
// default: every bad row is reported with its line and reason, and one bad
// row means nothing is stored; --skip-bad-rows stores the good rows.
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "../commands.h"
#include "../output.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "apbdes_messages.h"
#include "json.h"
#include "kawal/sync/region.h"
#include "kawal/sync/schema.h"
#include "plan.h"
#include "sheet.h"
#include "table.h"

namespace kawal::field {
namespace {

struct Counts {
  size_t created = 0, updated = 0, unchanged = 0, deleted_here = 0;
};

Counts CountOf(const apbdes::Plan& plan) {
  Counts c;
  for (const apbdes::PlannedRow& row : plan.rows) {
    switch (row.action) {
      case apbdes::RowAction::kCreate: ++c.created; break;
      case apbdes::RowAction::kUpdate: ++c.updated; break;
      case apbdes::RowAction::kUnchanged: ++c.unchanged; break;
      case apbdes::RowAction::kDeletedHere: ++c.deleted_here; break;
    }
  }
  return c;
}

const char* ActionKey(apbdes::RowAction action) {
  switch (action) {
    case apbdes::RowAction::kCreate: return "create";
    case apbdes::RowAction::kUpdate: return "update";
    case apbdes::RowAction::kUnchanged: return "unchanged";
    case apbdes::RowAction::kDeletedHere: return "deleted_here";
  }
  return "";
}

std::string PlanJson(const apbdes::Plan& plan, const Counts& c,
                     const std::vector<apbdes::RowProblem>& skipped, bool dry_run, Lang lang) {
  mobile::JsonWriter w;
  w.BeginObject()
      .Key("created").Uint(c.created)
      .Key("updated").Uint(c.updated)
      .Key("unchanged").Uint(c.unchanged)
      .Key("deleted_here").Uint(c.deleted_here)
      .Key("dry_run").Bool(dry_run)
      .Key("rows").BeginArray();
  for (const apbdes::PlannedRow& row : plan.rows) {
    w.BeginObject()
        .Key("line").Uint(row.line)
        .Key("code").String(row.code)
        .Key("id").String(row.id)
        .Key("name").String(row.name)
        .Key("budget").Int(row.budget_total)
        .Key("action").String(ActionKey(row.action))
        .EndObject();
  }
  w.EndArray().Key("skipped_rows").BeginArray();
  for (const apbdes::RowProblem& p : skipped) {
    w.BeginObject().Key("line").Uint(p.line).Key("reason").String(RowProblemText(lang, p));
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Release() + "\n";
}

std::string PlanTable(const App& app, const apbdes::Plan& plan) {
  Table table({ApbdesText(app.lang, ApbdesMsg::kColLine), ApbdesText(app.lang, ApbdesMsg::kColCode),
               ApbdesText(app.lang, ApbdesMsg::kColName),
               ApbdesText(app.lang, ApbdesMsg::kColBudget),
               ApbdesText(app.lang, ApbdesMsg::kColAction)},
              {true, false, false, true, false});
  for (const apbdes::PlannedRow& row : plan.rows) {
    table.AddRow({absl::StrCat(row.line), row.code, Truncate(row.name, 48),
                  Rupiah(app.lang, row.budget_total), RowActionText(app.lang, row.action)});
  }
  return table.Render();
}

}  // namespace

int ImportApbdes(App& app) {
  const std::string& file = app.Word(0);
  const bool dry_run = app.args.Bool("dry-run");
  const bool skip_bad_rows = app.args.Bool("skip-bad-rows");
  const std::string village(absl::StripAsciiWhitespace(app.args.Get("village")));
  const std::string year_text(absl::StripAsciiWhitespace(app.args.Get("year")));

  // The village and year first: a wrong one would fail every row.
  const sync::FieldSpec* year_spec = sync::Schema::Default().Find(sync::kActivity)->Find("year");
  int64_t year = 0;
  if (!ParseWholeNumber(year_text, &year) || year < year_spec->int_min ||
      year > year_spec->int_max) {
    PrintError(ApbdesText(app.lang, ApbdesMsg::kBadYear, year_text, year_spec->int_min,
                          year_spec->int_max));
    PrintError(app.T(Msg::kUsageHint));
    return kExitUsage;
  }
  if (absl::Status s = sync::ValidateDesaScope(village); !s.ok()) {
    return app.Fail(app.T(Msg::kInvalidData, absl::StrCat(s.message(), " (--village)")));
  }
  if (std::string problem = ScopeProblem(app, village); !problem.empty()) {
    return app.Fail(problem);
  }

  absl::StatusOr<apbdes::Table> table = apbdes::ReadTableFile(file);
  if (!table.ok()) {
    return app.Fail(ApbdesText(app.lang, ApbdesMsg::kUnreadable, file, table.status().message()));
  }
  std::variant<apbdes::Sheet, apbdes::HeaderProblem> read = apbdes::ReadSheet(*table);
  if (auto* header = std::get_if<apbdes::HeaderProblem>(&read)) {
    return app.Fail(HeaderProblemText(app.lang, file, *header));
  }
  apbdes::Sheet& sheet = std::get<apbdes::Sheet>(read);
  if (sheet.activities.empty() && sheet.problems.empty()) {
    return app.Fail(ApbdesText(app.lang, ApbdesMsg::kNoActivities, file));
  }

  absl::StatusOr<apbdes::Plan> plan = apbdes::MakePlan(*app.device, village, year, sheet.activities);
  if (!plan.ok()) return app.CoreError(plan.status());
  std::vector<apbdes::RowProblem> problems = sheet.problems;
  if (absl::Status s = apbdes::CheckPlan(*app.device, &*plan, &problems); !s.ok()) {
    return app.CoreError(s);
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const apbdes::RowProblem& a, const apbdes::RowProblem& b) {
                     return a.line < b.line;
                   });
  for (const apbdes::RowProblem& p : problems) {
    PrintError(ApbdesText(app.lang, ApbdesMsg::kBadRow, file, p.line, RowProblemText(app.lang, p)));
  }
  if (!problems.empty() && !skip_bad_rows) {
    return app.Fail(ApbdesText(app.lang, ApbdesMsg::kNothingSaved, problems.size(), file));
  }
  if (!problems.empty()) PrintError(ApbdesText(app.lang, ApbdesMsg::kSkipped, problems.size()));

  if (!dry_run && !plan->ops.empty()) {
    if (auto written = app.device->WriteBatch(plan->ops); !written.ok()) {
      return app.CoreError(written.status());
    }
  }
  const Counts counts = CountOf(*plan);
  if (app.json) {
    Print(PlanJson(*plan, counts, problems, dry_run, app.lang));
    return kExitOk;
  }
  if (dry_run) Print(PlanTable(app, *plan));
  Print(ApbdesText(app.lang, dry_run ? ApbdesMsg::kDryRun : ApbdesMsg::kDone, year, village, file,
                   counts.created, counts.updated, counts.unchanged) +
        "\n");
  if (!dry_run && !plan->ops.empty()) {
    Print(ApbdesText(app.lang, ApbdesMsg::kSentAtNextSync) + "\n");
  }
  if (counts.deleted_here > 0) {
    Print(ApbdesText(app.lang, ApbdesMsg::kDeletedHere, counts.deleted_here) + "\n");
  }
  return kExitOk;
}

}  // namespace kawal::field
