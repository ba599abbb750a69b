// kawal-field: the field app for village facilitators (docs/architecture.md §6), a
// command line on the mobile core's Device. Everything is stored locally
// and works offline; `sync` exchanges changes with kawal-server.
//
//   kawal-field [--home=DIR] [--lang=id|en] [--json] COMMAND [WORDS] [--flag=value ...]
//   kawal-field help [COMMAND] | COMMAND --help | --version
//
// Exit status: 0 success, 1 failure (one sentence on stderr in the chosen
// language), 2 usage error (unknown command or flag, missing flag or word).
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "args.h"
#include "commands.h"
#include "field_input.h"
#include "messages.h"
#include "output.h"

namespace kawal::field {
namespace {

struct Command {
  std::vector<std::string> words;
  CommandSpec spec;
  int (*run)(App&);
};

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

int ShowActivity(App& app) { return ShowRecord(app, "activity"); }
int ShowReport(App& app) { return ShowRecord(app, "progress_report"); }
int ShowVillage(App& app) { return ShowRecord(app, "village"); }
int ShowFollowUp(App& app) { return ShowRecord(app, "follow_up"); }

CommandSpec Spec(std::string name, std::vector<std::string> value_flags = {},
                 std::vector<std::string> bool_flags = {}, std::vector<std::string> required = {},
                 std::vector<std::string> word_names = {}) {
  return CommandSpec{std::move(name), std::move(value_flags), std::move(bool_flags),
                     std::move(required), std::move(word_names)};
}

std::vector<Command> Commands() {
  const std::vector<std::string> activity = FlagNames(kActivityFlags);
  return {
      {{"init"},
       Spec("init", {"server", "token", "token_file", "region", "tls_ca", "server_key"},
            {"insecure"}),
       Init},
      {{"activity", "add"},
       Spec("activity add", Plus({"village"}, activity), {}, {"village", "year", "name", "sector"}),
       ActivityAdd},
      {{"activity", "edit"}, Spec("activity edit", activity, {}, {}, {"ID"}), ActivityEdit},
      {{"activity", "delete"}, Spec("activity delete", {}, {}, {}, {"ID"}), ActivityDelete},
      {{"activity", "list"}, Spec("activity list", {"village", "year", "status"}), ActivityList},
      {{"activity", "show"}, Spec("activity show", {}, {}, {}, {"ID"}), ShowActivity},
      {{"report", "add"},
       Spec("report add", Plus({"activity", "photo", "stage", "caption"}, FlagNames(kReportFlags)),
            {}, {"activity", "progress"}),
       ReportAdd},
      {{"report", "list"}, Spec("report list", {"activity"}, {}, {"activity"}), ReportList},
      {{"report", "show"}, Spec("report show", {}, {}, {}, {"ID"}), ShowReport},
      {{"village", "edit"}, Spec("village edit", FlagNames(kVillageFlags), {}, {}, {"CODE"}),
       VillageEdit},
      {{"village", "list"}, Spec("village list"), VillageList},
      {{"village", "show"}, Spec("village show", {}, {}, {}, {"CODE"}), ShowVillage},
      {{"photo", "list"}, Spec("photo list", {"activity"}), PhotoList},
      {{"photo", "get"},
       Spec("photo get", {"out", "timeout_s", "max_attempts"}, {"gzip", "no_gzip"}, {"out"}, {"HASH"}),
       PhotoGet},
      {{"import"}, Spec("import", {}, {"dry-run"}, {}, {"FILE"}), Import},
      {{"import", "apbdes"},
       Spec("import apbdes", {"village", "year"}, {"dry-run", "skip-bad-rows"}, {"village", "year"},
            {"FILE"}),
       ImportApbdes},
      {{"sync"}, Spec("sync", {"timeout_s", "batch", "max_attempts"}, {"gzip", "no_gzip"}), Sync},
      {{"status"}, Spec("status"), Status},
      {{"conflicts"}, Spec("conflicts", {}, {"all"}), Conflicts},
      {{"conflicts", "resolve"}, Spec("conflicts resolve", {"keep", "note"}, {}, {"keep"}, {"ID"}),
       ConflictResolve},
      {{"conflicts", "dismiss"}, Spec("conflicts dismiss", {"note"}, {}, {"note"}, {"ID"}),
       ConflictDismiss},
      {{"followup", "list"}, Spec("followup list", {}, {"all"}), FollowUpList},
      {{"followup", "show"}, Spec("followup show", {}, {}, {}, {"ID"}), ShowFollowUp},
      {{"followup", "update"},
       Spec("followup update", {"status", "note", "photo", "caption"}, {}, {}, {"ID"}),
       FollowUpUpdate},
      {{"rejected", "discard"}, Spec("rejected discard", {}, {}, {}, {"COLLECTION", "ID"}),
       RejectedDiscard},
      {{"rejected"}, Spec("rejected"), Rejected},
      {{"bundle", "server-key"}, Spec("bundle server-key", {}, {}, {}, {"FILE"}), BundleServerKey},
      {{"bundle", "export"},
       Spec("bundle export", {"out", "max_bytes"}, {"no-photos"}, {"out"}),
       BundleExport},
      {{"bundle", "import"}, Spec("bundle import", {}, {}, {}, {"REPLY"}), BundleImport},
      {{"bundle", "relay"}, Spec("bundle relay", {}, {}, {}, {"DIR"}), BundleRelay},
  };
}

// The command whose words start `words`, longest first; nullptr if none.
const Command* Find(const std::vector<Command>& commands, const std::vector<std::string>& words) {
  const Command* best = nullptr;
  for (const Command& c : commands) {
    if (c.words.size() > words.size()) continue;
    if (!std::equal(c.words.begin(), c.words.end(), words.begin())) continue;
    if (best == nullptr || c.words.size() > best->words.size()) best = &c;
  }
  return best;
}

std::string DefaultHome() {
  if (const char* home = std::getenv("KAWAL_HOME"); home != nullptr && *home != '\0') return home;
  if (const char* user = std::getenv("HOME"); user != nullptr && *user != '\0') {
    return std::string(user) + "/.kawal-field";
  }
  return ".kawal-field";
}

// Whether --name takes a value in any command (no flag is a value flag in
// one command and a boolean in another), so that "--name value" can be read
// before the command is known.
bool TakesValue(const std::vector<Command>& commands, const std::string& name) {
  for (const char* global : kGlobalValueFlags) {
    if (name == global) return true;
  }
  for (const Command& c : commands) {
    if (std::find(c.spec.value_flags.begin(), c.spec.value_flags.end(), name) !=
        c.spec.value_flags.end()) {
      return true;
    }
  }
  return false;
}

// Prints the help of the command named by `words` (all of them), or the
// whole help when they name none.
int Help(const App& app, const std::vector<Command>& commands,
         const std::vector<std::string>& words) {
  const Command* command = words.empty() ? nullptr : Find(commands, words);
  if (command != nullptr && command->words.size() == words.size()) {
    Print(CommandHelpText(app.lang, command->spec.name));
    return kExitOk;
  }
  if (!words.empty()) {
    return app.Usage(UsageError{Msg::kUnknownCommand, {absl::StrJoin(words, " ")}});
  }
  Print(HelpText(app.lang));
  return kExitOk;
}

int Main(int argc, char** argv) {
  // The language first, so that even a usage error speaks it.
  std::string lang_flag;
  for (int i = 1; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--lang=")) lang_flag = argv[i] + 7;
    if (std::string(argv[i]) == "--lang" && i + 1 < argc) lang_flag = argv[i + 1];
  }
  App app;
  if (!ChooseLang(lang_flag, &app.lang)) {
    ChooseLang("", &app.lang);
    return app.Usage(UsageError{Msg::kBadLang, {}});
  }
  const std::vector<Command> commands = Commands();
  auto takes_value = [&](const std::string& name) { return TakesValue(commands, name); };
  if (auto error = ParseArgs(argc, argv, takes_value, &app.args)) return app.Usage(*error);
  const std::vector<std::string>& words = app.args.words;
  if (app.args.Bool("version")) {
    Print(absl::StrCat("kawal-field ", KAWAL_VERSION, "\n"));
    return kExitOk;
  }
  if (!words.empty() && words[0] == "help") {  // help [COMMAND]
    return Help(app, commands, std::vector<std::string>(words.begin() + 1, words.end()));
  }
  if (app.args.Bool("help")) {  // [COMMAND] --help
    const Command* command = words.empty() ? nullptr : Find(commands, words);
    return Help(app, commands,
                command == nullptr ? std::vector<std::string>() : command->words);
  }
  if (words.empty()) {
    PrintError(HelpText(app.lang));
    return kExitUsage;
  }
  const Command* command = Find(commands, app.args.words);
  if (command == nullptr) {
    // Name what was typed: "activity frob", or the single unknown word.
    const size_t n = app.args.words.size() > 1 &&
                             Find(commands, {app.args.words[0], "list"}) != nullptr
                         ? 2
                         : 1;
    std::vector<std::string> typed(app.args.words.begin(), app.args.words.begin() + n);
    return app.Usage(UsageError{Msg::kUnknownCommand, {absl::StrJoin(typed, " ")}});
  }
  if (auto error = CheckArgs(app.args, command->words.size(), command->spec)) {
    return app.Usage(*error);
  }
  app.command = command->spec.name;
  app.json = app.args.Bool("json");
  app.home = app.args.Has("home") ? app.args.Get("home") : DefaultHome();
  // "--home=~/x" reaches us unexpanded (the shell expands only a leading ~).
  if (const char* user = std::getenv("HOME"); user != nullptr && absl::StartsWith(app.home, "~/")) {
    app.home = std::string(user) + app.home.substr(1);
  }
  if (command->run != Init) {  // init opens (and creates) the store itself
    if (int code = app.OpenDevice(false); code != kExitOk) return code;
  }
  return command->run(app);
}

}  // namespace
}  // namespace kawal::field

int main(int argc, char** argv) { return kawal::field::Main(argc, argv); }
