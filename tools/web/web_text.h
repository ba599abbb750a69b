// The dashboard's own interface texts in Bahasa Indonesia (default) and
// English; figures, column names and breakdown labels come from the report
// library (report/labels.h) so kawal-report and kawal-web say the same.
//
// Thread-safety: pure functions over constant tables.
#ifndef KAWAL_TOOLS_WEB_WEB_TEXT_H_
#define KAWAL_TOOLS_WEB_WEB_TEXT_H_

#include "report/labels.h"

namespace kawal::web {

using report::Lang;

enum class WebMsg {
  kAppName,          // Dasbor Kawal Desa
  kLogin,            // Masuk
  kLogout,           // Keluar
  kUserName,
  kPassword,
  kWrongLogin,       // Nama pengguna atau kata sandi salah.
  kThrottled,        // Terlalu banyak percobaan gagal...
  kFacilitatorRefused,
  kSessionEnded,     // Sesi berakhir; silakan masuk lagi.
  kForbiddenTitle,   // Akses ditolak
  kForbiddenText,
  kNotFoundTitle,
  kNotFoundText,
  kErrorTitle,
  kErrorText,
  kOverview,         // Ringkasan
  kSilentVillages,   // Desa tanpa sinkron
  kDownloadCsv,
  kDownloadXlsx,
  kBySector,         // Per bidang
  kBySdg,
  kBySource,
  kByFocus,
  kActivity,
  kStatus,
  kSector,
  kAll,              // Semua
  kFilter,           // Saring
  kPrevious,
  kNext,
  kPage,             // Halaman
  kNoActivities,
  kProgressReports,  // Laporan kemajuan
  kVisitDate,
  kProblems,         // Kendala
  kReporter,
  kPhotos,           // Foto
  kStage,
  kTaken,            // Diambil
  kPosition,         // Posisi
  kCaption,
  kNoPhotos,
  kNoReports,
  kFields,           // Data kegiatan
  kOpenConflicts,
  kDevicesServing,   // Sinkron terakhir perangkat yang melayani desa ini
  kDays,             // hari
  kShow,             // Tampilkan
  kLanguage,         // English / Bahasa Indonesia (the other language)
  kSignedInAs,       // Masuk sebagai
  kEvidence,         // Bukti foto
  kSortBy,           // Urutkan
  kLastPush,         // Kirim terakhir
  kLastPull,         // Terima lengkap terakhir
  kNoDevices,        // Belum ada perangkat yang menyinkronkan desa ini.
  kDevicesNote,      // what the push/pull columns mean, what the server cannot know
  kPhotoUnreadable,  // the photo's bytes are not an image a thumbnail can be made of
  kCount
};

const char* T(WebMsg msg, Lang lang);

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_WEB_TEXT_H_
