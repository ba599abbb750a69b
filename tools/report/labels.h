// The words and numbers of kawal-report in Bahasa Indonesia and English:
// interface texts, labels of sectors (bidang), SDGs Desa goals, funding
// sources, focus tags, statuses and levels, and number formats (rupiah with
// thousands separators, percentages with one decimal).
//
// Thread-safety: pure functions over constant tables.
#ifndef KAWAL_SERVER_TOOLS_REPORT_LABELS_H_
#define KAWAL_SERVER_TOOLS_REPORT_LABELS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace kawal::report {

enum class Lang { kId, kEn };

// "id" or "en"; false otherwise.
bool ParseLang(absl::string_view text, Lang* lang);

// Interface texts.
enum class Msg {
  kProgressTitle,     // Laporan Progres Pembangunan Desa
  kFreshnessTitle,    // Laporan Sinkronisasi Data Desa
  kYear,              // Tahun
  kPer,               // per
  kGenerated,         // Dibuat
  kCode,
  kName,
  kArea,              // Wilayah
  kActivities,
  kPlanned,
  kInProgress,
  kDone,
  kCancelled,
  kStalled,
  kBudget,
  kSpent,
  kAbsorption,
  kProgress,
  kTotal,
  kReports,
  kWorkers,
  kPersonDays,
  kWages,
  kDanaDesaBudget,
  kDanaDesaSpent,
  kFoodSecurityBudget,
  kBltBudget,
  kStuntingActivities,
  kPadatKaryaActivities,
  kPhotos0,
  kPhotos50,
  kPhotos100,
  kOpenConflicts,        // Konflik terbuka
  kChartSpentVsBudget,   // Realisasi vs anggaran per ...
  kChartProgress,        // Progres fisik per ...
  kChartSdg,             // Belanja per tujuan SDGs Desa
  kAxisRupiah,           // Rupiah
  kAxisProgress,         // Progres fisik (%) tertimbang anggaran
  kDataTable,            // Tabel data
  kNoData,               // Belum ada data
  kVillage,              // Desa/kelurahan
  kKecamatan,
  kLastSync,
  kLastUser,
  kDaysSilent,
  kNever,                // belum pernah
  kFacilitator,
  kScopes,
  kDevice,
  kSilentVillages,       // Desa tanpa sinkron lebih dari %d hari
  kAllVillages,          // Semua desa
  kNeverSynced,          // Belum pernah sinkron
  kFacilitators,         // Pendamping
  kWeightedNote,         // note under the progress chart
  kSdgNote,              // note under the SDG chart
  kScrollHint,           // geser tabel ke samping
  kConflictsTitle,       // Konflik data
  kRecord,
  kField,
  kWinnerValue,          // Nilai sekarang
  kLoserValue,           // Nilai yang kalah
  kDetected,             // Terdeteksi
  kState,
  kOpenState,            // terbuka
  kKeptWinnerState,
  kRestoredLoserState,
  kDismissedState,
  kNoConflicts,
  kConflictsTruncated,
  kProblemsTitle,        // Kendala di lapangan
  kNoProblems,
  kProblemsTruncated,
  kOpenFollowUps,        // Tindak lanjut terbuka
  kOverdueFollowUps,     // Tindak lanjut terlambat
  kDoneFollowUps,        // Tindak lanjut selesai
  kFollowUpsTitle,       // Tindak lanjut
  kNoFollowUps,
  kFollowUpsTruncated,
  kAction,               // Tindakan
  kResponsible,          // Penanggung jawab
  kDueDate,              // Tenggat
  kOverdueMark,          // terlambat
  kProblem,              // Masalah
  kClosingNote,          // Catatan penutup
  kCount
};
const char* Text(Msg msg, Lang lang);

// Breakdown labels; the key as text when unknown.
std::string SectorLabel(int sector, Lang lang);   // bidang 1..5
std::string SdgLabel(int goal, Lang lang);        // SDGs Desa goal 1..18
std::string SourceLabel(absl::string_view code, Lang lang);  // DDS, ADD, ...
std::string FocusLabel(absl::string_view tag, Lang lang);    // food_security, ...
// The label of `key` in the breakdown `by` ("sector", "sdg", "source",
// "focus"); `server_label` (Bahasa Indonesia) when the key is not known here.
std::string KeyLabel(absl::string_view by, absl::string_view key, absl::string_view server_label,
                     Lang lang);
// Column header of the breakdown key: Bidang, Tujuan SDGs Desa, ...
std::string ByLabel(absl::string_view by, Lang lang);
// "Kecamatan" / "District" (capitalized); the level itself when unknown.
std::string LevelLabel(absl::string_view level, Lang lang);

// "per kecamatan" / "by district (kecamatan)": `label` (a LevelLabel or
// ByLabel) with its first letter in lower case, after "per" or "by".
std::string Per(absl::string_view label, Lang lang);

// 1234567 -> "1.234.567" (id) or "1,234,567" (en).
std::string FormatInt(int64_t value, Lang lang);
// "Rp 1.234.567" (id) or "Rp 1,234,567" (en); negative: "-Rp 1.234.567".
std::string FormatRupiah(int64_t value, Lang lang);
// Short rupiah for chart labels: "Rp 150 jt", "Rp 1,5 M" (id); "Rp 150M",
// "Rp 1.5B" (en).
std::string FormatRupiahShort(double value, Lang lang);
// One decimal and a percent sign: "45,5%" (id) or "45.5%" (en).
std::string FormatPercent(double value, Lang lang);
// A number with up to `decimals` decimals, trailing zeros dropped, with the
// language's separators: 12.5 -> "12,5" (id).
std::string FormatDecimal(double value, int decimals, Lang lang);

// A time (ms since the epoch) as "YYYY-MM-DD HH:MM" in the local time zone.
std::string FormatLocalTime(int64_t ms);

// Count of characters (UTF-8 code points) of `text`, for column alignment.
size_t DisplayWidth(absl::string_view text);
// At most `max_chars` code points of `text`, with "…" when cut.
std::string Truncate(absl::string_view text, size_t max_chars);

}  // namespace kawal::report

#endif  // KAWAL_SERVER_TOOLS_REPORT_LABELS_H_
