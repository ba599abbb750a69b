// kawal-field import FILE.jsonl: many records in one atomic local commit
// (Device::WriteBatch). One JSON object per line, the shape of
// write_ops_json.h; blank lines are skipped. Every line is checked first;
// one bad line (reported with its number) means nothing is stored.
// --dry-run only checks.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/types/optional.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "commands.h"
#include "json.h"
#include "output.h"
#include "write_ops_json.h"

namespace kawal::field {
namespace {

// The sentence for a core error, translated by kind as App::CoreError does.
std::string Kind(const App& app, const absl::Status& status, absl::string_view message) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: return app.T(Msg::kInvalidData, message);
    case absl::StatusCode::kNotFound: return app.T(Msg::kNotFound, message);
    default: return app.T(Msg::kFailed, message);
  }
}

int BadLine(const App& app, const std::string& file, size_t line, const absl::Status& status,
            absl::string_view message) {
  PrintError(app.T(Msg::kImportBadLine, file, line, Kind(app, status, message)));
  PrintError(app.T(Msg::kImportNothingSaved, file));
  return kExitError;
}

}  // namespace

int Import(App& app) {
  const std::string& file = app.Word(0);
  const bool dry_run = app.args.Bool("dry-run");
  std::ifstream in(file, std::ios::binary);
  if (!in) return app.Fail(app.T(Msg::kImportUnreadable, file));
  std::vector<mobile::WriteOp> ops;
  std::vector<size_t> line_of_op;
  std::string text;
  for (size_t line = 1; std::getline(in, text); ++line) {
    absl::string_view content = absl::StripAsciiWhitespace(text);
    if (content.empty()) continue;
    absl::StatusOr<mobile::WriteOp> op = mobile::WriteOpFromJsonText(content);
    if (!op.ok()) return BadLine(app, file, line, op.status(), op.status().message());
    ops.push_back(*std::move(op));
    line_of_op.push_back(line);
  }
  if (in.bad()) return app.Fail(app.T(Msg::kImportUnreadable, file));

  const absl::Status status =
      dry_run ? app.device->CheckBatch(ops) : app.device->WriteBatch(ops).status();
  if (!status.ok()) {
    size_t index = 0;
    absl::optional<absl::Cord> payload = status.GetPayload(mobile::kWriteOpIndexPayload);
    if (!payload || !absl::SimpleAtoi(std::string(*payload), &index) ||
        index >= line_of_op.size()) {
      return app.CoreError(status);
    }
    absl::string_view message = status.message();
    absl::ConsumePrefix(&message, absl::StrCat("op ", index, ": "));
    return BadLine(app, file, line_of_op[index], status, message);
  }
  if (app.json) {
    mobile::JsonWriter w;
    w.BeginObject().Key(dry_run ? "valid" : "imported").Uint(ops.size());
    if (dry_run) w.Key("dry_run").Bool(true);
    w.EndObject();
    Print(w.Release() + "\n");
  } else {
    Print(app.T(dry_run ? Msg::kImportChecked : Msg::kImportDone, ops.size(), file) + "\n");
  }
  return kExitOk;
}

}  // namespace kawal::field
