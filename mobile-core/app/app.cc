// What kawal-field's commands share: opening the store, telling errors,
// resolving shortened ids.
#include <algorithm>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "commands.h"
#include "output.h"

namespace kawal::field {

const std::string& App::Word(size_t i) const {
  static const std::string* const kEmpty = new std::string();
  const size_t command_words = command.empty() ? 0 : 1 + std::count(command.begin(),
                                                                       command.end(), ' ');
  const size_t at = command_words + i;
  return at < args.words.size() ? args.words[at] : *kEmpty;
}

int App::OpenDevice(bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::is_directory(home, ec)) return Fail(T(Msg::kNoHome, home));
  mobile::DeviceOptions options;
  options.home = home;
  absl::StatusOr<std::unique_ptr<mobile::Device>> opened = mobile::Device::Open(options);
  if (!opened.ok()) {
    // One process per store: the core says "... is open in another
    // process" (RocksDB's own "While lock file: ...LOCK" in older cores).
    const std::string message = absl::AsciiStrToLower(opened.status().message());
    if (absl::StrContains(message, "another process") || absl::StrContains(message, "lock file")) {
      return Fail(T(Msg::kStoreBusy, home));
    }
    return Fail(T(Msg::kStoreOpenFailed, home, opened.status().message()));
  }
  device = *std::move(opened);
  return kExitOk;
}

int App::Fail(const std::string& sentence) const {
  PrintError(sentence);
  return kExitError;
}

int App::Usage(const UsageError& error) const {
  std::vector<absl::string_view> a(error.args.begin(), error.args.end());
  a.resize(4);
  PrintError(absl::Substitute(Tr(lang, error.msg), a[0], a[1], a[2], a[3]));
  PrintError(T(Msg::kUsageHint));
  return kExitUsage;
}

int App::CoreError(const absl::Status& status, const std::vector<FlagField>* flags) const {
  std::string message(status.message());
  if (flags != nullptr) message = WithFlagName(message, *flags);
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return Fail(T(Msg::kInvalidData, message));
    case absl::StatusCode::kNotFound:
      return Fail(T(Msg::kNotFound, message));
    default:
      return Fail(T(Msg::kFailed, message));
  }
}

int App::WriteRefused(const absl::Status& status, const std::vector<FlagField>* flags) const {
  CoreError(status, flags);
  const std::string typed = TypedValues(args);
  if (!typed.empty()) {
    PrintError(T(Msg::kTypedValues, typed));
    PrintError(T(Msg::kNothingSaved));
  }
  return kExitError;
}

int App::InvalidInput(const InputError& error) const {
  std::vector<absl::string_view> a(error.args.begin(), error.args.end());
  a.resize(4);
  PrintError(T(Msg::kInvalidData, absl::Substitute(Tr(lang, error.msg), a[0], a[1], a[2], a[3])));
  PrintError(T(Msg::kTypedValues, TypedValues(args)));
  PrintError(T(Msg::kNothingSaved));
  return kExitError;
}

std::string App::ResolveId(const std::string& collection, const std::string& typed,
                           bool include_deleted) const {
  const std::string label = CollectionLabel(lang, collection);
  if (auto exact = device->Get(collection, typed);
      exact.ok() && (include_deleted || exact->Visible())) {
    return typed;
  }
  if (collection == sync::kVillage) {
    Fail(T(Msg::kVillageNotHere, typed));
    return "";
  }
  if (typed.size() < 4) {
    Fail(T(Msg::kNoSuchRecord, label, typed));
    return "";
  }
  mobile::ListQuery query;
  query.collection = collection;
  query.include_deleted = include_deleted;
  auto records = device->List(query);
  if (!records.ok()) {
    CoreError(records.status());
    return "";
  }
  std::vector<std::string> matches;
  for (const auto& r : *records) {
    if (absl::StartsWith(r.id, typed)) matches.push_back(r.id);
  }
  if (matches.size() == 1) return matches[0];
  Fail(T(matches.empty() ? Msg::kNoSuchRecord : Msg::kAmbiguousId,
         matches.empty() ? label : typed, matches.empty() ? typed : label));
  return "";
}

std::vector<std::string> App::RejectedKeys() const {
  std::vector<std::string> keys;
  auto rejections = device->Rejections();
  if (!rejections.ok()) return keys;
  for (const auto& r : *rejections) keys.push_back(r.collection + "/" + r.id);
  return keys;
}

}  // namespace kawal::field
