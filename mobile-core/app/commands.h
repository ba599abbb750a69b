// kawal-field's commands and what they share: the chosen language, output
// mode, data folder and the open Device, and the way errors are told.
//
// Errors: one clear sentence on stderr in the chosen language; exit 1, or 2
// for usage errors. A write the core refuses leaves the store as it was and
// the typed values are printed back so that the user can type them again.
//
// Thread-safety: one App per process, used by the main thread.
#ifndef KAWAL_MOBILE_APP_COMMANDS_H_
#define KAWAL_MOBILE_APP_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "args.h"
#include "field_input.h"
#include "kawal/mobile/device.h"
#include "messages.h"

namespace kawal::field {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct App {
  Lang lang = Lang::kEn;
  bool json = false;
  std::string home;
  Args args;
  std::string command;  // "activity add": for messages
  std::unique_ptr<mobile::Device> device;

  template <typename... A>
  std::string T(Msg msg, const A&... a) const {
    return Text(lang, msg, a...);
  }
  // The words after the command words (the command's own arguments).
  const std::string& Word(size_t i) const;

  // Opens the store in `home`. Unless `create`, a missing folder is an
  // error that says to run init. Returns an exit code: kExitOk or the error
  // already printed.
  int OpenDevice(bool create);

  // Prints `sentence` to stderr; returns kExitError.
  int Fail(const std::string& sentence) const;
  int Usage(const UsageError& error) const;
  // A core error, translated by kind: invalid data, not found, else failed.
  int CoreError(const absl::Status& status, const std::vector<FlagField>* flags = nullptr) const;
  // A refused write: CoreError, then the typed values and "nothing saved".
  int WriteRefused(const absl::Status& status, const std::vector<FlagField>* flags) const;
  int InvalidInput(const InputError& error) const;

  // The full id of a record from a full id or a unique prefix of at least 4
  // characters (lists show 8). Prints the error and returns "" otherwise.
  std::string ResolveId(const std::string& collection, const std::string& typed,
                        bool include_deleted = false) const;
  // Rejections keyed "collection/id".
  std::vector<std::string> RejectedKeys() const;
};

// Records (commands_records.cc, commands_lists.cc).
int ActivityAdd(App& app);
int ActivityEdit(App& app);
int ActivityDelete(App& app);
int ActivityList(App& app);
int ReportAdd(App& app);
int ReportList(App& app);
int VillageEdit(App& app);
int VillageList(App& app);
int PhotoList(App& app);
int PhotoGet(App& app);
// Follow-ups from the district (commands_lists.cc, commands_records.cc).
int FollowUpList(App& app);
int FollowUpUpdate(App& app);
// Shows one record of `collection` (the id is the first word), all fields labelled.
int ShowRecord(App& app, const std::string& collection);

// Many changes from a JSON-lines file in one commit (commands_import.cc).
int Import(App& app);
// A village's APBDes spreadsheet as its activities (apbdes/import_command.cc);
// ScopeProblem: "" or why the device's user may not write in desa `scope`
// (commands_records.cc).
int ImportApbdes(App& app);
std::string ScopeProblem(const App& app, const std::string& scope);

// Device and sync (commands_sync.cc).
int Init(App& app);
int Sync(App& app);
// Sync options from --timeout_s, --batch, --max_attempts, --gzip (those
// present); kExitOk or the usage error already printed.
int SyncOptionsFromFlags(const App& app, mobile::SyncOptions* out);
// A positive whole number option such as --timeout_s into `out` when given;
// false when it is not one.
bool PositiveOption(const App& app, const std::string& flag, int64_t* out);
int Status(App& app);
// Sync bundles: sync without a network (commands_bundles.cc, docs/bundles.md).
int BundleServerKey(App& app);
int BundleExport(App& app);
int BundleImport(App& app);
int BundleRelay(App& app);
// Reads the public server key file at `path` into the open device; returns
// an exit code (kExitOk or the error already printed).
int TrustServerKeyFile(App& app, const std::string& path);
int Conflicts(App& app);
int ConflictResolve(App& app);
int ConflictDismiss(App& app);
int Rejected(App& app);
int RejectedDiscard(App& app);

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_COMMANDS_H_
