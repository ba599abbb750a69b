// Texts of `kawal-field import apbdes` (apbdes_messages.h).
#include "apbdes_messages.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kawal/sync/domain_labels.h"

namespace kawal::field {

const char* ApbdesTr(Lang lang, ApbdesMsg msg) {
  const bool id = lang == Lang::kId;
#define KF_TEXT(ID_TEXT, EN_TEXT) return id ? ID_TEXT : EN_TEXT
  switch (msg) {
    case ApbdesMsg::kUnreadable:
      KF_TEXT("Berkas $0 tidak dapat dibaca: $1", "Cannot read the file $0: $1");
    case ApbdesMsg::kNoHeader:
      KF_TEXT("$0: tidak ada baris judul kolom yang memuat 'Kode' dan 'Uraian' di 30 baris "
              "pertama (lihat templat di docs/apbdes-import.md).",
              "$0: no header row naming 'Kode' and 'Uraian' columns in the first 30 rows (see "
              "the template in docs/apbdes-import.md).");
    case ApbdesMsg::kNoSourceColumn:
      KF_TEXT("$0: tidak ada kolom anggaran per sumber dana ($1).",
              "$0: no budget column per funding source ($1).");
    case ApbdesMsg::kDuplicateColumn:
      KF_TEXT("$0: kolom $1 muncul dua kali di judul kolom (baris $2).",
              "$0: the column $1 appears twice in the header (line $2).");
    case ApbdesMsg::kNoActivities:
      KF_TEXT("$0: tidak ada baris kegiatan di bawah judul kolom.",
              "$0: there are no activity rows under the header.");
    case ApbdesMsg::kBadYear:
      KF_TEXT("--year: '$0' harus tahun anggaran $1-$2.",
              "--year: '$0' must be a budget year $1-$2.");
    case ApbdesMsg::kBadRow: KF_TEXT("$0 baris $1: $2", "$0 line $1: $2");
    case ApbdesMsg::kNothingSaved:
      KF_TEXT("$0 baris salah; tidak ada yang disimpan dari $1. Perbaiki baris tersebut lalu "
              "impor ulang, atau simpan baris yang benar saja dengan --skip-bad-rows.",
              "$0 bad rows; nothing from $1 was saved. Correct those rows and import again, or "
              "save only the good rows with --skip-bad-rows.");
    case ApbdesMsg::kSkipped:
      KF_TEXT("$0 baris salah dilewati (--skip-bad-rows); baris lainnya disimpan.",
              "$0 bad rows were skipped (--skip-bad-rows); the other rows are saved.");
    case ApbdesMsg::kDone:
      KF_TEXT("APBDes $0 desa $1 dari $2: $3 kegiatan baru, $4 diperbarui, $5 tidak berubah.",
              "APBDes $0 of village $1 from $2: $3 new activities, $4 updated, $5 unchanged.");
    case ApbdesMsg::kSentAtNextSync:
      KF_TEXT("Perubahan dikirim pada sinkronisasi berikutnya.",
              "The changes are sent at the next sync.");
    case ApbdesMsg::kDryRun:
      KF_TEXT("APBDes $0 desa $1 dari $2: $3 kegiatan akan dibuat, $4 diperbarui, $5 tidak "
              "berubah; tidak ada yang disimpan (--dry-run).",
              "APBDes $0 of village $1 from $2: $3 activities would be created, $4 updated, $5 "
              "unchanged; nothing was saved (--dry-run).");
    case ApbdesMsg::kDeletedHere:
      KF_TEXT("$0 kegiatan sudah dihapus di perangkat ini dan tidak dibuat lagi.",
              "$0 activities were deleted on this device and are not created again.");
    case ApbdesMsg::kColLine: KF_TEXT("Baris", "Line");
    case ApbdesMsg::kColCode: KF_TEXT("Kode", "Code");
    case ApbdesMsg::kColName: KF_TEXT("Uraian", "Name");
    case ApbdesMsg::kColBudget: KF_TEXT("Anggaran", "Budget");
    case ApbdesMsg::kColAction: KF_TEXT("Tindakan", "Action");
  }
#undef KF_TEXT
  return "";
}

namespace {

// " (kolom Satuan)" for a core message naming field 'unit': the column of the
// template that fills that field; "" when the message names none.
std::string ColumnOfField(Lang lang, absl::string_view message) {
  static constexpr std::pair<const char*, const char*> kColumns[] = {
      {"name", "Uraian"},   {"unit", "Satuan"},    {"volume", "Volume"},
      {"budget", "DDS..DLL"}, {"notes", "Lokasi"}, {"activity_code", "Kode"},
  };
  for (const auto& [field, column] : kColumns) {
    if (absl::StrContains(message, absl::StrCat("field '", field, "'"))) {
      return absl::StrCat(lang == Lang::kId ? " (kolom " : " (column ", column, ")");
    }
  }
  return "";
}

}  // namespace

std::string RowProblemText(Lang lang, const apbdes::RowProblem& problem) {
  const bool id = lang == Lang::kId;
  const auto& a = problem.args;
  auto arg = [&](size_t i) { return i < a.size() ? a[i] : std::string(); };
  using K = apbdes::RowProblemKind;
  switch (problem.kind) {
    case K::kBadCode:
      return absl::Substitute(
          id ? "kode kegiatan '$0' tidak berbentuk bidang.sub-bidang.kegiatan (contoh 2.1.03)"
             : "kode kegiatan '$0' is not of the form bidang.sub-bidang.kegiatan (e.g. 2.1.03)",
          arg(0));
    case K::kBadSector:
      return absl::Substitute(id ? "kode kegiatan '$0': bidang $1 tidak ada (bidang 1-5)"
                                 : "kode kegiatan '$0': there is no bidang $1 (bidang 1-5)",
                              arg(0), arg(1));
    case K::kNoCode:
      return absl::Substitute(id ? "'$0' tidak punya kode kegiatan"
                                 : "'$0' has no kode kegiatan",
                              arg(0));
    case K::kNoName:
      return absl::Substitute(id ? "kode kegiatan $0 tanpa uraian kegiatan"
                                 : "kode kegiatan $0 has no uraian (activity name)",
                              arg(0));
    case K::kBadAmount:
      return absl::Substitute(id ? "kolom $0: '$1' bukan jumlah rupiah (contoh Rp 1.250.000)"
                                 : "column $0: '$1' is not an amount of rupiah (e.g. Rp 1.250.000)",
                              arg(0), arg(1));
    case K::kFractionalAmount:
      return absl::Substitute(
          id ? "kolom $0: '$1' memuat pecahan rupiah; anggaran ditulis dalam rupiah bulat"
             : "column $0: '$1' has a fraction of a rupiah; budgets are whole rupiah",
          arg(0), arg(1));
    case K::kBadVolume:
      return absl::Substitute(id ? "volume '$0' bukan angka (contoh 750 atau 2,5)"
                                 : "volume '$0' is not a number (e.g. 750 or 2,5)",
                              arg(0));
    case K::kDuplicateCode:
      return absl::Substitute(id ? "kode kegiatan $0 sudah ada di baris $1"
                                 : "kode kegiatan $0 is already on line $1",
                              arg(0), arg(1));
    case K::kTotalMismatch:
      return absl::Substitute(id ? "jumlah $0 tidak sama dengan total sumber dana $1"
                                 : "the total $0 differs from the sum of the sources, $1",
                              arg(0), arg(1));
    case K::kRefused:
      return absl::Substitute(id ? "data tidak valid: $0$1" : "invalid data: $0$1", arg(0),
                              ColumnOfField(lang, arg(0)));
  }
  return "";
}

std::string RowActionText(Lang lang, apbdes::RowAction action) {
  const bool id = lang == Lang::kId;
  switch (action) {
    case apbdes::RowAction::kCreate: return id ? "baru" : "new";
    case apbdes::RowAction::kUpdate: return id ? "diperbarui" : "update";
    case apbdes::RowAction::kUnchanged: return id ? "tetap" : "unchanged";
    case apbdes::RowAction::kDeletedHere: return id ? "dihapus di perangkat" : "deleted here";
  }
  return "";
}

std::string HeaderProblemText(Lang lang, const std::string& file,
                              const apbdes::HeaderProblem& problem) {
  auto arg = [&](size_t i) { return i < problem.args.size() ? problem.args[i] : std::string(); };
  switch (problem.kind) {
    case apbdes::HeaderProblemKind::kNoHeader:
      return ApbdesText(lang, ApbdesMsg::kNoHeader, file);
    case apbdes::HeaderProblemKind::kNoSourceColumn:
      return ApbdesText(lang, ApbdesMsg::kNoSourceColumn, file,
                        absl::StrJoin(sync::FundingSourceCodes(), ", "));
    case apbdes::HeaderProblemKind::kDuplicateColumn:
      return ApbdesText(lang, ApbdesMsg::kDuplicateColumn, file, arg(0), arg(1));
  }
  return "";
}

}  // namespace kawal::field
