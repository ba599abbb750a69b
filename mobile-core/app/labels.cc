// Labels of schema fields and values, and the help text, in Bahasa
// Indonesia and English (the declarations are in messages.h).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kawal/sync/domain_labels.h"
#include "messages.h"

namespace kawal::field {
namespace {

struct Label {
  const char* key;
  const char* id;
  const char* en;
};

// Field names of every collection (names shared between collections have
// the same meaning everywhere).
constexpr Label kFieldLabels[] = {
    {"year", "Tahun", "Year"},
    {"activity_code", "Kode kegiatan", "Activity code"},
    {"name", "Nama", "Name"},
    {"sector", "Bidang", "Sector"},
    {"sdg_goals", "SDGs Desa", "SDGs Desa goals"},
    {"focus_tags", "Fokus", "Focus"},
    {"implementation_mode", "Cara pelaksanaan", "Implementation"},
    {"budget", "Anggaran", "Budget"},
    {"budget_revised", "Anggaran perubahan", "Revised budget"},
    {"spent", "Realisasi belanja", "Spent"},
    {"physical_progress_pct", "Progres fisik", "Physical progress"},
    {"status", "Status", "Status"},
    {"volume", "Volume", "Volume"},
    {"unit", "Satuan", "Unit"},
    {"output", "Keluaran", "Output"},
    {"beneficiaries", "Penerima manfaat", "Beneficiaries"},
    {"lat", "Lintang", "Latitude"},
    {"lon", "Bujur", "Longitude"},
    {"notes", "Catatan", "Notes"},
    {"activity_id", "Kegiatan", "Activity"},
    {"visit_date", "Tanggal kunjungan", "Visit date"},
    {"tranche", "Tahap", "Tranche"},
    {"problems", "Kendala", "Problems"},
    {"workers", "Pekerja", "Workers"},
    {"person_days", "HOK (hari orang kerja)", "Person-days"},
    {"wages", "Upah dibayar", "Wages paid"},
    {"accuracy_m", "Akurasi GPS (m)", "GPS accuracy (m)"},
    {"reporter", "Pelapor", "Reporter"},
    {"photos", "Foto", "Photos"},
    {"kind", "Jenis", "Kind"},
    {"kecamatan_code", "Kode kecamatan", "Kecamatan code"},
    {"kecamatan_name", "Kecamatan", "Kecamatan"},
    {"kabupaten_code", "Kode kabupaten", "Kabupaten code"},
    {"kabupaten_name", "Kabupaten", "Kabupaten"},
    {"provinsi_code", "Kode provinsi", "Province code"},
    {"provinsi_name", "Provinsi", "Province"},
    {"bps_code", "Kode BPS", "BPS code"},
    {"idm_status", "Status IDM", "IDM status"},
    {"population", "Jumlah penduduk", "Population"},
    {"households", "Jumlah KK", "Households"},
    {"head_name", "Kepala desa", "Village head"},
    {"head_phone", "Telepon kepala desa", "Village head's phone"},
    {"progress_report", "Laporan kemajuan", "Progress reports"},
    {"source_report_id", "Dari laporan", "From report"},
    {"problem", "Masalah", "Problem"},
    {"action", "Tindakan", "Action"},
    {"responsible", "Penanggung jawab", "Responsible"},
    {"due_date", "Tenggat", "Due date"},
    {"created_by", "Dibuat oleh", "Created by"},
    {"closing_note", "Catatan penutup", "Closing note"},
    {"follow_up_id", "Tindak lanjut", "Follow-up"},
};

// "field/value" keys. Focus tags, sectors (and the other domain codes) are
// named in kawal/sync/domain_labels.h.
constexpr Label kValueLabels[] = {
    {"status/planned", "direncanakan", "planned"},
    {"status/open", "terbuka", "open"},
    {"status/in_progress", "berjalan", "in progress"},
    {"status/done", "selesai", "done"},
    {"status/cancelled", "batal", "cancelled"},
    {"status/stalled", "terhenti", "stalled"},
    {"implementation_mode/swakelola", "swakelola", "swakelola (self-managed)"},
    {"implementation_mode/kerja_sama_antar_desa", "kerja sama antar-desa", "inter-village"},
    {"implementation_mode/pihak_ketiga", "pihak ketiga", "third party"},
    {"idm_status/mandiri", "Mandiri", "Mandiri"},
    {"idm_status/maju", "Maju", "Maju"},
    {"idm_status/berkembang", "Berkembang", "Berkembang"},
    {"idm_status/tertinggal", "Tertinggal", "Tertinggal"},
    {"idm_status/sangat_tertinggal", "Sangat Tertinggal", "Sangat Tertinggal"},
    {"kind/desa", "desa", "desa"},
    {"kind/kelurahan", "kelurahan", "kelurahan"},
    {"kind/desa_adat", "desa adat", "desa adat"},
};

constexpr Label kCollections[] = {
    {"activity", "kegiatan", "activity"},
    {"progress_report", "laporan kemajuan", "progress report"},
    {"village", "desa", "village"},
    {"conflict", "konflik", "conflict"},
    {"follow_up", "tindak lanjut", "follow-up"},
};

template <size_t N>
const Label* Find(const Label (&table)[N], absl::string_view key) {
  for (const Label& l : table) {
    if (key == l.key) return &l;
  }
  return nullptr;
}

const char* Pick(Lang lang, const Label& l) { return lang == Lang::kId ? l.id : l.en; }

constexpr char kHelpId[] = R"(kawal-field: aplikasi lapangan Kawal Desa untuk pendamping desa.
Semua data disimpan di perangkat dan bisa diisi tanpa sinyal; 'sync' mengirimnya.

Pemakaian: kawal-field PERINTAH [opsi]   (opsi ditulis --nama=nilai atau --nama nilai)

  init --server=HOST:PORT --token_file=FILE | --token=- [--region=62.10]
        [--tls_ca=BERKAS.pem | --insecure]
        menyiapkan folder data; diulang hanya mengganti server/token, data tetap ada;
        --token=- membaca token dari masukan standar (--token=NILAI terlihat di 'ps');
        --region: kode kabupaten, perlu bila server di balik proxy shard;
        selain alamat lokal selalu TLS (CA sistem, atau --tls_ca); --insecure: tanpa TLS;
        --server_key=BERKAS: kunci publik server (dari staf TI) untuk paket tanpa sinyal
  activity add --village=KODE_DESA --year=2026 --name=... --sector=1..5
        [--sdg=9,1] [--budget=DDS:150000000,ADD:25000000] [--status=planned]
        [--code=02.01.03] [--focus=food_security,padat_karya] [--mode=swakelola]
        [--volume=750 --unit=m] [--lat= --lon=] [--notes=...]     mencetak ID baru
  activity edit ID [--progress=0..100] [--spent=DDS:...] [--status=...] [--name=...] ...
  activity delete ID | activity show ID
  activity list [--village=KODE] [--year=...] [--status=...]
  report add --activity=ID --progress=... [--date=TTTT-BB-HH] [--spent=...] [--notes=...]
        [--problems=...] [--workers= --person_days= --wages=] [--tranche=1..4]
        [--photo=BERKAS[,BERKAS2] --stage=0|50|100|other [--caption=...]]
  report list --activity=ID | report show ID
  photo list [--activity=ID]     foto di perangkat ini dan status kirimnya
  photo get HASH --out=BERKAS [--timeout_s=60]     unduh foto (HASH: SHA-256, min. 8 karakter)
  village edit KODE [--population=] [--households=] [--head=] [--phone=] [--idm=...]
  village list | village show KODE
  import BERKAS.jsonl [--dry-run]     banyak perubahan sekaligus, satu objek JSON per baris:
        {"op":"create|update|delete","collection":...,"scope":...,"id":...,"fields":{...}};
        satu baris salah: tidak ada yang disimpan; --dry-run: hanya periksa
  import apbdes BERKAS.csv|BERKAS.xlsx --village=KODE_DESA --year=2026 [--dry-run]
        [--skip-bad-rows]     kegiatan desa dari lembar APBDes (docs/apbdes-import.md);
        impor ulang tidak membuat data baru; satu baris salah: tidak ada yang disimpan,
        kecuali dengan --skip-bad-rows; --dry-run: tampilkan yang akan dibuat
  sync [--no_gzip] [--timeout_s=60]  kirim dan terima perubahan
  status | conflicts [--all] | rejected | rejected discard KOLEKSI ID
  conflicts resolve ID --keep=winner|loser [--note=...]     selesaikan konflik
  conflicts dismiss ID --note=...     tutup konflik dengan catatan
  followup list [--all] | followup show ID     tindak lanjut dari kabupaten (--all: juga
        yang selesai/batal)
  followup update ID [--status=in_progress|done|...] [--note=...] [--photo=BERKAS[,..]
        [--caption=...]]     ubah status, catatan penutup, foto bukti; dikirim saat sync
  bundle export --out=BERKAS [--no-photos] [--max_bytes=N]     tulis paket (bundle) semua
        perubahan dan foto yang belum diterima server, untuk dibawa dengan flashdisk
        (docs/bundles.md); --max_bytes: dibagi menjadi BERKAS.part1of3.bundle ... (tanpa
        ".bundle" dari BERKAS), masing-masing paling besar N byte
  bundle import BALASAN     terapkan balasan server (BERKAS.reply dari 'kawal-admin bundle
        import'): perubahan yang diterima keluar dari antrean, data baru masuk
  bundle relay FOLDER     kirim semua paket (*.bundle) di FOLDER, juga milik perangkat lain,
        lewat koneksi perangkat ini; bagian-bagian satu paket dikirim bersama; satu
        balasan per paket ditulis di sebelahnya (BERKAS.reply)
  bundle server-key BERKAS     simpan kunci publik server (dari 'kawal-admin bundle
        server-key') untuk perangkat yang belum pernah sync
  help PERINTAH | PERINTAH --help     petunjuk satu perintah;  --version: versi

Opsi umum: --home=FOLDER (bawaan $KAWAL_HOME atau ~/.kawal-field), --lang=id|en, --json.
ID boleh disingkat (8 karakter pertama seperti di daftar). Sumber dana: DDS, ADD, PBH,
PBP, PBK, PAD, DLL; jumlah dalam rupiah, boleh dengan titik ribuan (150.000.000).
report add --spent = realisasi kumulatif per sumber sampai tanggal kunjungan; lebih kecil
dari laporan sebelumnya hanya sebagai koreksi dengan --notes (alasannya).
Foto: JPEG, PNG, WebP atau HEIC; --stage = tahap fisik yang difoto (0, 50, 100, other).
Kode keluar: 0 berhasil, 1 gagal, 2 salah perintah.
)";

constexpr char kHelpEn[] = R"(kawal-field: the Kawal Desa field app for village facilitators.
Everything is stored on this device and works without signal; 'sync' sends it.

Usage: kawal-field COMMAND [flags]   (flags are written --name=value or --name value)

  init --server=HOST:PORT --token_file=FILE | --token=- [--region=62.10]
        [--tls_ca=FILE.pem | --insecure]
        sets up the data folder; run again it only changes server/token, data stays;
        --token=- reads the token from standard input (--token=VALUE shows in 'ps');
        --region: the kabupaten code, needed behind a shard proxy;
        TLS to any non-local address (system CAs, or --tls_ca); --insecure: plaintext;
        --server_key=FILE: the server's public key (from IT staff) for offline bundles
  activity add --village=DESA_CODE --year=2026 --name=... --sector=1..5
        [--sdg=9,1] [--budget=DDS:150000000,ADD:25000000] [--status=planned]
        [--code=02.01.03] [--focus=food_security,padat_karya] [--mode=swakelola]
        [--volume=750 --unit=m] [--lat= --lon=] [--notes=...]     prints the new id
  activity edit ID [--progress=0..100] [--spent=DDS:...] [--status=...] [--name=...] ...
  activity delete ID | activity show ID
  activity list [--village=CODE] [--year=...] [--status=...]
  report add --activity=ID --progress=... [--date=YYYY-MM-DD] [--spent=...] [--notes=...]
        [--problems=...] [--workers= --person_days= --wages=] [--tranche=1..4]
        [--photo=FILE[,FILE2] --stage=0|50|100|other [--caption=...]]
  report list --activity=ID | report show ID
  photo list [--activity=ID]     photos on this device and their upload state
  photo get HASH --out=FILE [--timeout_s=60]     download a photo (HASH: SHA-256, 8+ chars)
  village edit CODE [--population=] [--households=] [--head=] [--phone=] [--idm=...]
  village list | village show CODE
  import FILE.jsonl [--dry-run]     many changes at once, one JSON object per line:
        {"op":"create|update|delete","collection":...,"scope":...,"id":...,"fields":{...}};
        one bad line: nothing is saved; --dry-run: check only
  import apbdes FILE.csv|FILE.xlsx --village=DESA_CODE --year=2026 [--dry-run]
        [--skip-bad-rows]     a village's activities from its APBDes sheet
        (docs/apbdes-import.md); importing again creates nothing new; one bad row: nothing
        is saved unless --skip-bad-rows; --dry-run: show what would be created
  sync [--no_gzip] [--timeout_s=60]  send and receive changes
  status | conflicts [--all] | rejected | rejected discard COLLECTION ID
  conflicts resolve ID --keep=winner|loser [--note=...]     settle a conflict
  conflicts dismiss ID --note=...     close a conflict with a note
  followup list [--all] | followup show ID     follow-ups from the district (--all: also
        done/cancelled ones)
  followup update ID [--status=in_progress|done|...] [--note=...] [--photo=FILE[,..]
        [--caption=...]]     status, closing note, photo evidence; sent at the next sync
  bundle export --out=FILE [--no-photos] [--max_bytes=N]     write a bundle of every change
        and photo the server has not received, to carry on a USB stick (docs/bundles.md);
        --max_bytes: split into FILE.part1of3.bundle ... (FILE without its ".bundle"), each
        at most N bytes
  bundle import REPLY     apply the server's reply (FILE.reply from 'kawal-admin bundle
        import'): accepted changes leave the queue, new records arrive
  bundle relay DIR     send every bundle (*.bundle) in DIR, other devices' too, through
        this device's connection; the parts of one bundle go together; one reply per
        bundle is written next to it (FILE.reply)
  bundle server-key FILE     store the server's public key (from 'kawal-admin bundle
        server-key') on a device that has never synced
  help COMMAND | COMMAND --help     help on one command;  --version: the version

Global flags: --home=DIR (default $KAWAL_HOME or ~/.kawal-field), --lang=id|en, --json.
Ids may be shortened (the first 8 characters, as in lists). Funding sources: DDS, ADD,
PBH, PBP, PBK, PAD, DLL; amounts in rupiah, thousands dots allowed (150.000.000).
report add --spent = cumulative spending per source up to the visit date; lower than an
earlier report only as a correction with --notes (the reason).
Photos: JPEG, PNG, WebP or HEIC; --stage = the physical stage shown (0, 50, 100, other).
Exit status: 0 success, 1 failure, 2 usage error.
)";

}  // namespace

std::string FieldLabel(Lang lang, absl::string_view field) {
  const Label* l = Find(kFieldLabels, field);
  return l != nullptr ? Pick(lang, *l) : std::string(field);
}

std::string ValueLabel(Lang lang, absl::string_view field, absl::string_view value) {
  if (field == "focus_tags") {
    const sync::DomainLabel* d = sync::FindDomainLabel("focus", value);
    return d != nullptr ? (lang == Lang::kId ? d->id : d->en) : std::string(value);
  }
  const Label* l = Find(kValueLabels, absl::StrCat(field, "/", value));
  return l != nullptr ? Pick(lang, *l) : std::string(value);
}

std::string SectorLabel(Lang lang, int64_t sector) {
  const sync::DomainLabel* d = sync::FindDomainLabel("sector", absl::StrCat(sector));
  if (d == nullptr) return absl::StrCat(sector);
  return absl::StrCat(sector, " - ", lang == Lang::kId ? d->id : d->en);
}

std::string CollectionLabel(Lang lang, absl::string_view collection) {
  const Label* l = Find(kCollections, collection);
  return l != nullptr ? Pick(lang, *l) : std::string(collection);
}

const char* HelpText(Lang lang) { return lang == Lang::kId ? kHelpId : kHelpEn; }

// The help of one command is its entry in the help text (the line naming it
// and the more indented lines after it) under the usage line, followed by
// the paragraph on global flags: one text to maintain per language.
std::string CommandHelpText(Lang lang, absl::string_view command) {
  const std::vector<absl::string_view> lines = absl::StrSplit(HelpText(lang), '\n');
  auto names = [&](absl::string_view entry) {
    // "  activity delete ID | activity show ID": each alternative's start.
    for (absl::string_view alt : absl::StrSplit(absl::StripAsciiWhitespace(entry), " | ")) {
      if (absl::StartsWith(alt, command) &&
          (alt.size() == command.size() || alt[command.size()] == ' ')) {
        return true;
      }
    }
    return false;
  };
  std::string out;
  size_t global = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (absl::StartsWith(lines[i], "  ") && !absl::StartsWith(lines[i], "   ") &&
        names(lines[i])) {
      absl::StrAppend(&out, lines[i], "\n");
      while (i + 1 < lines.size() && absl::StartsWith(lines[i + 1], "        ")) {
        absl::StrAppend(&out, lines[++i], "\n");
      }
    }
    if (lines[i].empty() && global == lines.size() && !out.empty()) global = i;
  }
  if (out.empty()) return "";
  std::string text = absl::StrCat(lines[3], "\n\n", out);  // the usage line
  for (size_t i = global; i < lines.size(); ++i) absl::StrAppend(&text, lines[i], "\n");
  while (absl::EndsWith(text, "\n\n")) text.pop_back();
  return text;
}

}  // namespace kawal::field
