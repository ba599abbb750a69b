// kawal-field's words in Bahasa Indonesia and English: messages (with
// absl::Substitute placeholders $0, $1, ...), field and value labels, help.
// The core's own error messages (absl::Status, English, naming the field,
// value and rule) are shown after a translated prefix, never rewritten.
//
// Thread-safety: pure functions over constant tables.
#ifndef KAWAL_MOBILE_APP_MESSAGES_H_
#define KAWAL_MOBILE_APP_MESSAGES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/strings/substitute.h"

namespace kawal::field {

enum class Lang { kId, kEn };

// The language of `flag` ("id", "en"; "" = from the environment: Bahasa
// Indonesia when LANG starts with "id", else English). False when `flag` is
// neither.
bool ChooseLang(const std::string& flag, Lang* out);

enum class Msg {
  // Usage errors (exit 2).
  kUnknownCommand, kUnknownFlag, kMissingFlag, kMissingWord, kExtraWord, kFlagNeedsValue,
  kFlagTakesNoValue, kFlagTwice, kShortFlag, kBadLang, kUsageHint, kNoChanges, kBadFilter,
  kBadOption, kInitNeedsServer, kInitNeedsToken, kTokenBoth, kPhotoNeedsStage, kBadStage,
  kBadPhotoHash, kBadKeep,
  // Errors (exit 1).
  kInvalidData, kNotFound, kFailed, kTypedValues, kNothingSaved, kNoHome, kStoreBusy,
  kStoreOpenFailed, kNoSuchRecord, kAmbiguousId, kVillageNotHere, kTokenFileUnreadable,
  kTokenFileEmpty, kTokenFileTooOpen, kNotYourVillage, kNoRejectionFor, kNoSuchPhoto,
  kAmbiguousPhoto, kImportBadLine, kImportNothingSaved, kImportUnreadable,
  kTokenInArgv, kTokenStdinEmpty, kTlsCaUnreadable, kInsecureWarning, kCaAndInsecure,
  kHintTlsUntrusted, kHintTlsExpired, kHintTlsNotYetValid, kHintTlsName, kHintServerPlaintext,
  kHintServerTls,
  // Values typed on the command line that do not parse (invalid data).
  kNotWholeNumber, kNotNumber, kBadAmount, kBadSource, kDuplicateSource, kBadBool,
  // Results.
  kInitDone, kInitKept, kUpdated, kDeleted, kDiscarded, kNothingYet, kNoConflicts, kNoRejected,
  kMarkerLegend, kRejectedHint, kSyncDone, kSyncRejectedHint, kSyncRestore, kSyncFailed,
  kHintAuth, kHintUnreachable, kHintNoServer, kNotSentYet, kSent, kRejectedBy, kReportCount,
  kConflictSettled, kSettledKeptWinner, kSettledRestoredLoser, kSettledDismissed, kOpenConflict,
  kYes, kNo, kNever, kPhotoWritten, kSyncPhotos, kSyncPhotosFailed, kOnDevice, kNotOnDevice,
  kImportDone, kImportChecked, kFollowUpUpdated, kNoFollowUps, kOverdue, kFollowUpNeedsChange,
  // Sync bundles (commands_bundles.cc).
  kServerKeyUnreadable, kServerKeyBad, kServerKeyTrusted, kBundleExported, kBundleExportedParts,
  kBundleMaxBytesTooSmall, kBundleWriteFailed,
  kBundleReplyUnreadable, kBundleReplyImported, kBundleReplyCursorKept, kBundleReplyServerRestored,
  kBundleReplyOutdated, kBundleRelayApplied,
  kBundleRelayRefused, kBundleRelayNotSent, kBundleRelayNone, kBundleRelayDirUnreadable,
  kBundleNotSent,
  // Status labels.
  kLabelHome, kLabelServer, kLabelUser, kLabelRole, kLabelScopes, kLabelIncarnation,
  kLabelPending, kLabelRejected, kLabelLastSync, kLabelLastAttempt, kLabelLastError,
  kLabelDevice, kLabelSyncState, kLabelVillage, kLabelId, kLabelTransport,
  // Table headers.
  kColId, kColVillage, kColYear, kColName, kColStatus, kColProgress, kColBudget, kColDate,
  kColSpent, kColTranche, kColWorkers, kColProblems, kColRecord, kColField, kColWinner,
  kColLoser, kColWhen, kColReason, kColMessage, kColCode, kColKecamatan, kColIdm,
  kColCollection, kColStage, kColSize, kColType, kColSha, kColLocal, kColSent, kColAction,
  kColDue, kColResponsible,
  // Sync progress.
  kPhaseHandshake, kPhasePush, kPhasePull, kPhasePhotos, kPhaseDone, kPhaseRetry, kProgressLine,
  kProgressRetry, kProgressPhotos,
};

// The text of `msg` in `lang`, with $0.. placeholders.
const char* Tr(Lang lang, Msg msg);

template <typename... A>
std::string Text(Lang lang, Msg msg, const A&... args) {
  return absl::Substitute(Tr(lang, msg), args...);
}

// The label of a schema field ("physical_progress_pct" -> "Progres fisik");
// the field name itself when there is none.
std::string FieldLabel(Lang lang, absl::string_view field);
// A label for an allowed value of an enum field (activity status, IDM
// status, implementation mode, focus tags, village kind); `value` itself when
// there is none.
std::string ValueLabel(Lang lang, absl::string_view field, absl::string_view value);
// "2 – Pelaksanaan Pembangunan Desa".
std::string SectorLabel(Lang lang, int64_t sector);
// A collection's name for people ("kegiatan", "activity").
std::string CollectionLabel(Lang lang, absl::string_view collection);
// The full help text.
const char* HelpText(Lang lang);
// The help of one command ("activity add"): the usage line, its entry in
// HelpText and the global flags; "" for an unknown command.
std::string CommandHelpText(Lang lang, absl::string_view command);

}  // namespace kawal::field

#endif  // KAWAL_MOBILE_APP_MESSAGES_H_
