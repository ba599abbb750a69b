// Message texts of kawal-field in Bahasa Indonesia and English.
#include "messages.h"

#include <cstdlib>

#include "absl/strings/match.h"

namespace kawal::field {

bool ChooseLang(const std::string& flag, Lang* out) {
  if (flag == "id") {
    *out = Lang::kId;
  } else if (flag == "en") {
    *out = Lang::kEn;
  } else if (flag.empty()) {
    const char* lang = std::getenv("LANG");
    *out = lang != nullptr && absl::StartsWith(lang, "id") ? Lang::kId : Lang::kEn;
  } else {
    return false;
  }
  return true;
}

const char* Tr(Lang lang, Msg msg) {
  const bool id = lang == Lang::kId;
#define KF_TEXT(ID_TEXT, EN_TEXT) return id ? ID_TEXT : EN_TEXT
  switch (msg) {
    case Msg::kUnknownCommand: KF_TEXT("Perintah tidak dikenal: '$0'.", "Unknown command: '$0'.");
    case Msg::kUnknownFlag:
      KF_TEXT("Opsi --$1 tidak dikenal untuk '$0'.", "Unknown flag --$1 for '$0'.");
    case Msg::kMissingFlag: KF_TEXT("'$0' memerlukan --$1=...", "'$0' needs --$1=...");
    case Msg::kMissingWord: KF_TEXT("'$0' memerlukan $1.", "'$0' needs $1.");
    case Msg::kExtraWord:
      KF_TEXT("Argumen berlebih untuk '$0': '$1'.", "Unexpected argument for '$0': '$1'.");
    case Msg::kFlagNeedsValue:
      KF_TEXT("Opsi --$0 memerlukan nilai: tulis --$0=NILAI atau --$0 NILAI.",
              "Flag --$0 needs a value: write --$0=VALUE or --$0 VALUE.");
    case Msg::kFlagTakesNoValue:
      KF_TEXT("Opsi --$0 tidak memakai nilai.", "Flag --$0 takes no value.");
    case Msg::kFlagTwice: KF_TEXT("Opsi --$0 diberikan dua kali.", "Flag --$0 is given twice.");
    case Msg::kShortFlag:
      KF_TEXT("Opsi '$0' tidak dikenal: opsi ditulis --nama=nilai atau --nama nilai.",
              "Unknown option '$0': flags are written --name=value or --name value.");
    case Msg::kBadLang: KF_TEXT("--lang harus id atau en.", "--lang must be id or en.");
    case Msg::kUsageHint:
      KF_TEXT("Jalankan 'kawal-field --help' untuk petunjuk.",
              "Run 'kawal-field --help' for usage.");
    case Msg::kNoChanges:
      KF_TEXT("'$0' memerlukan setidaknya satu perubahan, misalnya --$1=...",
              "'$0' needs at least one change, e.g. --$1=...");
    case Msg::kBadFilter:
      KF_TEXT("--$0: '$1' bukan bilangan bulat.", "--$0: '$1' is not a whole number.");
    case Msg::kBadOption:
      KF_TEXT("--$0: '$1' harus bilangan bulat positif.",
              "--$0: '$1' must be a positive whole number.");
    case Msg::kInitNeedsServer:
      KF_TEXT("'init' memerlukan --server=HOST:PORT.", "'init' needs --server=HOST:PORT.");
    case Msg::kInitNeedsToken:
      KF_TEXT("'init' memerlukan --token=TOKEN atau --token_file=FILE.",
              "'init' needs --token=TOKEN or --token_file=FILE.");
    case Msg::kPhotoNeedsStage:
      KF_TEXT("--photo memerlukan --stage=0|50|100|other (tahap fisik yang difoto).",
              "--photo needs --stage=0|50|100|other (the physical stage shown).");
    case Msg::kBadStage:
      KF_TEXT("--stage: '$0' harus 0, 50, 100 atau other.",
              "--stage: '$0' must be 0, 50, 100 or other.");
    case Msg::kBadPhotoHash:
      KF_TEXT("HASH '$0' harus SHA-256 foto atau awalannya, minimal 8 karakter heksadesimal "
              "(lihat 'kawal-field photo list').",
              "HASH '$0' must be a photo's SHA-256 or a prefix of at least 8 hex characters "
              "(see 'kawal-field photo list').");
    case Msg::kTokenBoth:
      KF_TEXT("Pilih salah satu: --token atau --token_file.",
              "Give either --token or --token_file, not both.");
    case Msg::kInvalidData: KF_TEXT("Data tidak valid: $0", "Invalid data: $0");
    case Msg::kNotFound: KF_TEXT("Tidak ditemukan: $0", "Not found: $0");
    case Msg::kFailed: KF_TEXT("Gagal: $0", "Failed: $0");
    case Msg::kTypedValues: KF_TEXT("Nilai yang diketik: $0", "Values you typed: $0");
    case Msg::kImportBadLine: KF_TEXT("$0 baris $1: $2", "$0 line $1: $2");
    case Msg::kImportNothingSaved:
      KF_TEXT("Tidak ada yang disimpan dari $0; perbaiki baris itu lalu impor ulang.",
              "Nothing from $0 was saved; correct that line and import again.");
    case Msg::kImportUnreadable:
      KF_TEXT("Berkas $0 tidak dapat dibaca.", "Cannot read the file $0.");
    case Msg::kImportDone:
      KF_TEXT("$0 perubahan dari $1 disimpan; dikirim pada sinkronisasi berikutnya.",
              "$0 changes from $1 saved; they are sent at the next sync.");
    case Msg::kFollowUpUpdated:
      KF_TEXT("Tindak lanjut $0 diperbarui: $1. Dikirim pada sinkronisasi berikutnya.",
              "Follow-up $0 updated: $1. Sent at the next sync.");
    case Msg::kNoFollowUps: KF_TEXT("Tidak ada tindak lanjut.", "No follow-ups.");
    case Msg::kOverdue: KF_TEXT("terlambat", "overdue");
    case Msg::kFollowUpNeedsChange:
      KF_TEXT("followup update perlu --status, --note atau --photo.",
              "followup update needs --status, --note or --photo.");
    case Msg::kImportChecked:
      KF_TEXT("$0 perubahan dari $1 valid; tidak ada yang disimpan (--dry-run).",
              "$0 changes from $1 are valid; nothing was saved (--dry-run).");
    case Msg::kNothingSaved:
      KF_TEXT("Tidak ada yang disimpan; perbaiki nilainya lalu ketik ulang perintah.",
              "Nothing was saved; correct the value and type the command again.");
    case Msg::kNoHome:
      KF_TEXT("Belum ada folder data di $0; jalankan dulu: kawal-field init "
              "--server=HOST:PORT --token=TOKEN",
              "There is no data folder at $0; first run: kawal-field init "
              "--server=HOST:PORT --token=TOKEN");
    case Msg::kStoreBusy:
      KF_TEXT("Folder data $0 sedang dipakai kawal-field lain (mungkin sinkronisasi sedang "
              "berjalan); coba lagi setelah selesai.",
              "The data folder $0 is in use by another kawal-field (perhaps a sync is "
              "running); try again when it has finished.");
    case Msg::kStoreOpenFailed:
      KF_TEXT("Folder data $0 tidak dapat dibuka: $1", "Cannot open the data folder $0: $1");
    case Msg::kNoSuchRecord:
      KF_TEXT("Tidak ada $0 dengan ID '$1' di perangkat ini.",
              "There is no $0 with id '$1' on this device.");
    case Msg::kAmbiguousId:
      KF_TEXT("ID '$0' cocok dengan lebih dari satu $1; ketik lebih banyak karakter.",
              "Id '$0' matches more than one $1; type more characters.");
    case Msg::kVillageNotHere:
      KF_TEXT("Desa $0 belum ada di perangkat ini; jalankan 'kawal-field sync' dulu.",
              "Village $0 is not on this device yet; run 'kawal-field sync' first.");
    case Msg::kTokenFileUnreadable:
      KF_TEXT("File token $0 tidak dapat dibaca.", "Cannot read the token file $0.");
    case Msg::kTokenFileEmpty: KF_TEXT("File token $0 kosong.", "The token file $0 is empty.");
    case Msg::kTokenFileTooOpen:
      KF_TEXT("File token $0 dapat dibaca pengguna lain; token hanya boleh dibaca pemiliknya: "
              "chmod 600 $0",
              "The token file $0 can be read by other users; a token must be readable by its "
              "owner only: chmod 600 $0");
    case Msg::kTokenInArgv:
      KF_TEXT("Peringatan: --token=NILAI terlihat oleh pengguna lain di 'ps' dan tersimpan di "
              "riwayat shell; lain kali pakai --token_file=BERKAS atau --token=- (dibaca dari "
              "masukan standar).",
              "Warning: --token=VALUE is visible to other users in 'ps' and stays in the shell "
              "history; next time use --token_file=FILE or --token=- (read from standard input).");
    case Msg::kTokenStdinEmpty:
      KF_TEXT("--token=-: tidak ada token di masukan standar.",
              "--token=-: no token on standard input.");
    case Msg::kTlsCaUnreadable: KF_TEXT("Berkas CA $0 tidak bisa dibaca: $1", "Cannot read the CA file $0: $1");
    case Msg::kInsecureWarning:
      KF_TEXT("PERINGATAN: koneksi ke $0 TANPA enkripsi (--insecure): token dan data desa "
              "terbaca oleh siapa pun di jaringan.",
              "WARNING: the connection to $0 is NOT encrypted (--insecure): the token and the "
              "village data can be read by anyone on the network.");
    case Msg::kCaAndInsecure:
      KF_TEXT("Pilih salah satu: --tls_ca atau --insecure.",
              "Give either --tls_ca or --insecure, not both.");
    case Msg::kHintTlsUntrusted:
      KF_TEXT("Sertifikat server tidak dipercaya: minta berkas CA yang benar ke admin, lalu "
              "jalankan 'kawal-field init --tls_ca=BERKAS.pem'. Jangan lanjutkan bila Anda "
              "memakai wifi umum: koneksi bisa disadap.",
              "The server's certificate is not trusted: ask the admin for the right CA file, then "
              "run 'kawal-field init --tls_ca=FILE.pem'. Do not go on over public wifi: the "
              "connection may be intercepted.");
    case Msg::kHintTlsExpired:
      KF_TEXT("Sertifikat server sudah kedaluwarsa: beri tahu admin server. Periksa juga "
              "tanggal dan jam perangkat ini.",
              "The server's certificate has expired: tell the server's admin. Check this "
              "device's date and time too.");
    case Msg::kHintTlsNotYetValid:
      KF_TEXT("Sertifikat server belum berlaku: periksa tanggal dan jam perangkat ini.",
              "The server's certificate is not valid yet: check this device's date and time.");
    case Msg::kHintTlsName:
      KF_TEXT("Alamat server tidak cocok dengan sertifikatnya: pakai nama server yang tertulis "
              "di atas ('kawal-field init --server=NAMA:PORT').",
              "The server address does not match its certificate: use one of the names shown "
              "above ('kawal-field init --server=NAME:PORT').");
    case Msg::kHintServerPlaintext:
      KF_TEXT("Server ini tidak memakai TLS. Untuk server lokal atau uji coba pakai alamat "
              "127.0.0.1; --insecure hanya bila Anda yakin jaringannya aman.",
              "This server does not speak TLS. For a local or test server use its 127.0.0.1 "
              "address; --insecure only if you are sure the network is safe.");
    case Msg::kHintServerTls:
      KF_TEXT("Server ini memakai TLS: jalankan 'kawal-field init --tls_ca=BERKAS.pem' (untuk "
              "alamat lokal) atau hapus --insecure.",
              "This server speaks TLS: run 'kawal-field init --tls_ca=FILE.pem' (for a local "
              "address) or drop --insecure.");
    case Msg::kNotYourVillage:
      KF_TEXT("Desa $0 bukan desa tugas Anda ($1); server akan menolaknya.",
              "Village $0 is not one of your villages ($1); the server would refuse it.");
    case Msg::kNoSuchPhoto:
      KF_TEXT("Tidak ada foto dengan SHA-256 '$0' di perangkat ini; jalankan 'kawal-field sync' "
              "atau lihat 'kawal-field photo list'.",
              "There is no photo with SHA-256 '$0' on this device; run 'kawal-field sync' or "
              "see 'kawal-field photo list'.");
    case Msg::kAmbiguousPhoto:
      KF_TEXT("SHA-256 '$0' cocok dengan lebih dari satu foto; ketik lebih banyak karakter.",
              "SHA-256 '$0' matches more than one photo; type more characters.");
    case Msg::kNoRejectionFor:
      KF_TEXT("Tidak ada perubahan ditolak untuk $0 '$1'.",
              "There is no rejected change for $0 '$1'.");
    case Msg::kNotWholeNumber:
      KF_TEXT("--$0: '$1' bukan bilangan bulat (contoh: 150000000 atau 150.000.000).",
              "--$0: '$1' is not a whole number (e.g. 150000000 or 150.000.000).");
    case Msg::kNotNumber:
      KF_TEXT("--$0: '$1' bukan angka (contoh: 45.5).", "--$0: '$1' is not a number (e.g. 45.5).");
    case Msg::kBadAmount:
      KF_TEXT("--$0: '$1' harus berbentuk SUMBER:JUMLAH, misalnya DDS:150000000,ADD:25000000.",
              "--$0: '$1' must be SOURCE:AMOUNT, e.g. DDS:150000000,ADD:25000000.");
    case Msg::kBadSource:
      KF_TEXT("--$0: sumber dana '$1' tidak dikenal (pilih DDS, ADD, PBH, PBP, PBK, PAD, DLL).",
              "--$0: unknown funding source '$1' (use DDS, ADD, PBH, PBP, PBK, PAD, DLL).");
    case Msg::kDuplicateSource:
      KF_TEXT("--$0: sumber dana $1 disebut dua kali.", "--$0: funding source $1 appears twice.");
    case Msg::kBadBool:
      KF_TEXT("--$0: '$1' harus ya atau tidak.", "--$0: '$1' must be yes or no.");
    case Msg::kInitDone:
      KF_TEXT("Siap: folder data $0, server $1.", "Ready: data folder $0, server $1.");
    case Msg::kServerKeyUnreadable:
      KF_TEXT("Berkas kunci server $0 tidak bisa dibaca: $1", "Cannot read the server key file $0: $1");
    case Msg::kServerKeyBad:
      KF_TEXT("Berkas $0 bukan berkas kunci server dari 'kawal-admin bundle server-key': $1",
              "$0 is not a server key file from 'kawal-admin bundle server-key': $1");
    case Msg::kServerKeyTrusted:
      KF_TEXT("Kunci server disimpan: paket (bundle) dari perangkat ini hanya bisa dibuka server "
              "itu.",
              "Server key stored: bundles from this device can be opened by that server only.");
    case Msg::kBundleExported:
      KF_TEXT("Paket ditulis ke $0: $1 perubahan, $2 foto, $3 byte. Perubahan tetap menunggu "
              "di perangkat sampai balasan server diimpor ('kawal-field bundle import') atau "
              "sync berhasil.",
              "Bundle written to $0: $1 changes, $2 photos, $3 bytes. The changes stay pending "
              "on this device until the server's reply is imported ('kawal-field bundle "
              "import') or a sync succeeds.");
    case Msg::kBundleExportedParts:
      KF_TEXT("Paket ditulis dalam $0 bagian ($1 ... $2, masing-masing paling besar $3 byte): $4 "
              "perubahan, $5 foto, $6 byte. Bawa SEMUA bagian bersama-sama; server menolak paket "
              "yang bagiannya kurang. Perubahan tetap menunggu di perangkat sampai balasan server "
              "diimpor.",
              "Bundle written in $0 parts ($1 ... $2, each at most $3 bytes): $4 changes, $5 "
              "photos, $6 bytes. Carry ALL parts together; the server refuses a bundle with a "
              "part missing. The changes stay pending on this device until the server's reply is "
              "imported.");
    case Msg::kBundleMaxBytesTooSmall:
      KF_TEXT("--max_bytes=$0 tidak bisa dipakai, tidak ada yang ditulis: $1",
              "--max_bytes=$0 cannot be used, nothing was written: $1");
    case Msg::kBundleReplyUnreadable:
      KF_TEXT("Berkas balasan $0 tidak bisa dibaca: $1", "Cannot read the reply file $0: $1");
    case Msg::kBundleReplyImported:
      KF_TEXT("Balasan server diimpor: $0 perubahan diterima server, $1 ditolak (lihat "
              "'kawal-field rejected'), $2 data diterima dari server, $3 foto tersimpan di server.",
              "Server reply imported: $0 changes accepted by the server, $1 refused (see "
              "'kawal-field rejected'), $2 records received from the server, $3 photos stored "
              "on the server.");
    case Msg::kBundleReplyCursorKept:
      KF_TEXT("Perangkat ini sudah sync lebih baru dari balasan ini; posisi sync tidak diubah.",
              "This device synced more recently than this reply; its sync position is kept.");
    case Msg::kBundleReplyServerRestored:
      KF_TEXT("Server telah dipulihkan dari cadangan: $0 data diantrekan lagi dan $1 perubahan "
              "tetap menunggu; kirim lagi dengan paket baru atau sync.",
              "The server was restored from a backup: $0 records were queued again and $1 changes "
              "stay pending; send them with a new bundle or a sync.");
    case Msg::kBundleReplyOutdated:
      KF_TEXT("Balasan ini dari server sebelum dipulihkan dari cadangan, dan perangkat ini sudah "
              "menyesuaikan diri; tidak ada yang diubah.",
              "This reply comes from the server before it was restored from a backup, and this "
              "device has recovered since; nothing was changed.");
    case Msg::kBundleRelayApplied:
      KF_TEXT("$0: diterapkan untuk pengguna $1 (perangkat $2): $3 perubahan diterima, $4 "
              "ditolak; balasan ditulis ke $5",
              "$0: applied for user $1 (device $2): $3 changes accepted, $4 refused; reply "
              "written to $5");
    case Msg::kBundleRelayRefused:
      KF_TEXT("$0: ditolak server, tidak ada yang diterapkan: $1",
              "$0: refused by the server, nothing applied: $1");
    case Msg::kBundleRelayNotSent:
      KF_TEXT("$0: tidak terkirim (coba lagi saat ada sinyal): $1",
              "$0: not sent (try again with signal): $1");
    case Msg::kBundleNotSent:
      KF_TEXT("$0: tidak dikirim, tidak ada yang diterapkan: $1",
              "$0: not sent, nothing applied: $1");
    case Msg::kBundleRelayNone:
      KF_TEXT("Tidak ada paket (*.bundle) di folder $0.", "No bundle (*.bundle) in folder $0.");
    case Msg::kBundleRelayDirUnreadable:
      KF_TEXT("Folder $0 tidak bisa dibaca: $1", "Cannot read folder $0: $1");
    case Msg::kBundleWriteFailed:
      KF_TEXT("Paket tidak bisa ditulis ke $0: $1", "Cannot write the bundle to $0: $1");
    case Msg::kInitKept:
      KF_TEXT("Data yang sudah ada tetap tersimpan ($0 perubahan menunggu dikirim).",
              "Existing data is kept ($0 changes waiting to be sent).");
    case Msg::kUpdated:
      KF_TEXT("$0 $1 diperbarui; perubahan dikirim pada sinkronisasi berikutnya.",
              "$0 $1 updated; the change is sent at the next sync.");
    case Msg::kDeleted:
      KF_TEXT("$0 $1 dihapus; penghapusan dikirim pada sinkronisasi berikutnya.",
              "$0 $1 deleted; the deletion is sent at the next sync.");
    case Msg::kDiscarded:
      KF_TEXT("Perubahan yang ditolak pada $0 $1 dibuang; nilai sebelumnya dipulihkan.",
              "The rejected change to $0 $1 was discarded; the previous values are back.");
    case Msg::kNothingYet: KF_TEXT("Belum ada data.", "Nothing here yet.");
    case Msg::kNoConflicts: KF_TEXT("Tidak ada konflik.", "No conflicts.");
    case Msg::kBadKeep:
      KF_TEXT("--keep harus 'winner' (nilai yang sekarang tetap) atau 'loser' (semua nilai yang "
              "kalah ditulis lagi), bukan '$0'.",
              "--keep must be 'winner' (the current values stay) or 'loser' (every lost value is "
              "written again), not '$0'.");
    case Msg::kConflictSettled:
      KF_TEXT("Konflik $0 selesai: $1. Dikirim pada sinkronisasi berikutnya.",
              "Conflict $0 settled: $1. Sent at the next sync.");
    case Msg::kSettledKeptWinner:
      KF_TEXT("nilai sekarang dipertahankan", "current value kept");
    case Msg::kSettledRestoredLoser:
      KF_TEXT("nilai yang kalah dipulihkan", "lost value restored");
    case Msg::kSettledDismissed: KF_TEXT("diabaikan", "dismissed");
    case Msg::kOpenConflict: KF_TEXT("terbuka", "open");
    case Msg::kNoRejected:
      KF_TEXT("Tidak ada perubahan yang ditolak.", "No rejected changes.");
    case Msg::kMarkerLegend:
      KF_TEXT("* = belum terkirim, ! = ditolak server (lihat 'kawal-field rejected')",
              "* = not sent yet, ! = rejected by the server (see 'kawal-field rejected')");
    case Msg::kRejectedHint:
      KF_TEXT("Perbaiki dengan 'kawal-field activity edit ID ...' lalu sync, atau buang dengan "
              "'kawal-field rejected discard KOLEKSI ID'.",
              "Fix it with 'kawal-field activity edit ID ...' and sync, or drop it with "
              "'kawal-field rejected discard COLLECTION ID'.");
    case Msg::kSyncDone:
      KF_TEXT("Sinkronisasi selesai: $0 dikirim, $1 ditolak, $2 diterima",
              "Sync done: $0 sent, $1 rejected, $2 received");
    case Msg::kSyncRejectedHint:
      KF_TEXT("$0 perubahan ditolak server dan tetap di perangkat ini; lihat 'kawal-field "
              "rejected'.",
              "$0 changes were rejected by the server and stay on this device; see "
              "'kawal-field rejected'.");
    case Msg::kSyncRestore:
      KF_TEXT("Server telah dipulihkan dari cadangan; $0 data dikirim ulang.",
              "The server was restored from a backup; $0 records were sent again.");
    case Msg::kSyncFailed:
      KF_TEXT("Sinkronisasi gagal, tetapi data Anda tetap tersimpan di perangkat ini dan akan "
              "dikirim pada sinkronisasi berikutnya. Penyebab teknis: $0",
              "Sync failed, but your data is kept on this device and will be sent at the next "
              "sync. Technical reason: $0");
    case Msg::kHintAuth:
      KF_TEXT("Token ditolak server: minta token baru ke admin, lalu jalankan 'kawal-field init "
              "--token=TOKEN'.",
              "The server refused the token: ask the admin for a new one, then run "
              "'kawal-field init --token=TOKEN'.");
    case Msg::kHintUnreachable:
      KF_TEXT("Server tidak terjangkau: coba lagi saat sinyal lebih baik.",
              "The server could not be reached: try again with a better signal.");
    case Msg::kHintNoServer:
      KF_TEXT("Belum ada server: jalankan 'kawal-field init --server=HOST:PORT'.",
              "No server is set: run 'kawal-field init --server=HOST:PORT'.");
    case Msg::kNotSentYet: KF_TEXT("belum terkirim", "not sent yet");
    case Msg::kSent: KF_TEXT("terkirim", "sent");
    case Msg::kRejectedBy: KF_TEXT("ditolak server: $0 ($1)", "rejected by the server: $0 ($1)");
    case Msg::kReportCount:
      KF_TEXT("$0 (kawal-field report list --activity=$1)",
              "$0 (kawal-field report list --activity=$1)");
    case Msg::kPhotoWritten: KF_TEXT("Foto disimpan di $0 ($1 byte).", "Photo written to $0 ($1 bytes).");
    case Msg::kSyncPhotos: KF_TEXT("Foto terkirim: $0", "Photos uploaded: $0");
    case Msg::kSyncPhotosFailed:
      KF_TEXT("$0 foto ditolak server dan tetap di perangkat ini; lihat 'kawal-field photo list'.",
              "$0 photos were refused by the server and stay on this device; see "
              "'kawal-field photo list'.");
    case Msg::kOnDevice: KF_TEXT("di perangkat", "on device");
    case Msg::kNotOnDevice: KF_TEXT("tidak di perangkat", "not on device");
    case Msg::kYes: KF_TEXT("ya", "yes");
    case Msg::kNo: KF_TEXT("tidak", "no");
    case Msg::kNever: KF_TEXT("belum pernah", "never");
    case Msg::kLabelHome: KF_TEXT("Folder data", "Data folder");
    case Msg::kLabelServer: KF_TEXT("Server", "Server");
    case Msg::kLabelUser: KF_TEXT("Pengguna", "User");
    case Msg::kLabelRole: KF_TEXT("Peran", "Role");
    case Msg::kLabelScopes: KF_TEXT("Desa tugas", "Assigned villages");
    case Msg::kLabelIncarnation: KF_TEXT("Inkarnasi server", "Server incarnation");
    case Msg::kLabelPending: KF_TEXT("Perubahan belum terkirim", "Changes not sent yet");
    case Msg::kLabelRejected: KF_TEXT("Ditolak server", "Rejected by the server");
    case Msg::kLabelLastSync: KF_TEXT("Sinkronisasi berhasil terakhir", "Last successful sync");
    case Msg::kLabelLastAttempt: KF_TEXT("Percobaan terakhir", "Last attempt");
    case Msg::kLabelLastError: KF_TEXT("Kesalahan terakhir", "Last error");
    case Msg::kLabelDevice: KF_TEXT("Perangkat", "Device");
    case Msg::kLabelTransport: KF_TEXT("Koneksi", "Connection");
    case Msg::kLabelSyncState: KF_TEXT("Status kirim", "Sync state");
    case Msg::kLabelVillage: KF_TEXT("Desa", "Village");
    case Msg::kLabelId: KF_TEXT("ID", "Id");
    case Msg::kColId: KF_TEXT("ID", "ID");
    case Msg::kColVillage: KF_TEXT("Desa", "Village");
    case Msg::kColYear: KF_TEXT("Tahun", "Year");
    case Msg::kColName: KF_TEXT("Nama", "Name");
    case Msg::kColStatus: KF_TEXT("Status", "Status");
    case Msg::kColProgress: KF_TEXT("Progres", "Progress");
    case Msg::kColBudget: KF_TEXT("Anggaran", "Budget");
    case Msg::kColDate: KF_TEXT("Tanggal", "Date");
    case Msg::kColSpent: KF_TEXT("Realisasi", "Spent");
    case Msg::kColTranche: KF_TEXT("Tahap", "Tranche");
    case Msg::kColWorkers: KF_TEXT("Pekerja", "Workers");
    case Msg::kColProblems: KF_TEXT("Kendala", "Problems");
    case Msg::kColRecord: KF_TEXT("Data", "Record");
    case Msg::kColField: KF_TEXT("Isian", "Field");
    case Msg::kColWinner: KF_TEXT("Nilai menang", "Winner");
    case Msg::kColLoser: KF_TEXT("Nilai kalah", "Loser");
    case Msg::kColWhen: KF_TEXT("Waktu", "When");
    case Msg::kColReason: KF_TEXT("Alasan", "Reason");
    case Msg::kColMessage: KF_TEXT("Pesan server", "Server message");
    case Msg::kColCode: KF_TEXT("Kode", "Code");
    case Msg::kColKecamatan: KF_TEXT("Kecamatan", "Kecamatan");
    case Msg::kColIdm: KF_TEXT("IDM", "IDM");
    case Msg::kColCollection: KF_TEXT("Koleksi", "Collection");
    case Msg::kColStage: KF_TEXT("Tahap", "Stage");
    case Msg::kColSize: KF_TEXT("Ukuran", "Size");
    case Msg::kColType: KF_TEXT("Jenis", "Type");
    case Msg::kColSha: KF_TEXT("SHA-256", "SHA-256");
    case Msg::kColLocal: KF_TEXT("Berkas", "File");
    case Msg::kColSent: KF_TEXT("Kirim", "Upload");
    case Msg::kColAction: KF_TEXT("Tindakan", "Action");
    case Msg::kColDue: KF_TEXT("Tenggat", "Due");
    case Msg::kColResponsible: KF_TEXT("Penanggung jawab", "Responsible");
    case Msg::kPhasePhotos: KF_TEXT("mengirim foto", "sending photos");
    case Msg::kPhaseHandshake: KF_TEXT("menghubungi", "connecting");
    case Msg::kPhasePush: KF_TEXT("mengirim", "sending");
    case Msg::kPhasePull: KF_TEXT("menerima", "receiving");
    case Msg::kPhaseDone: KF_TEXT("selesai", "done");
    case Msg::kPhaseRetry: KF_TEXT("mengulang", "retrying");
    case Msg::kProgressLine:
      KF_TEXT("$0 [$1] kirim $2/$3, terima $4 | $5 KB naik, $6 KB turun",
              "$0 [$1] sent $2/$3, received $4 | $5 KB up, $6 KB down");
    case Msg::kProgressPhotos: KF_TEXT(" | foto $0/$1 KB", " | photos $0/$1 KB");
    case Msg::kProgressRetry: KF_TEXT(" (ulang $0)", " (retry $0)");
  }
#undef KF_TEXT
  return "";
}

}  // namespace kawal::field
