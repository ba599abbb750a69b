#include "web/web_text.h"

#include <array>

namespace kawal::web {
namespace {

struct Pair {
  const char* id;
  const char* en;
};

constexpr std::array<Pair, static_cast<size_t>(WebMsg::kCount)> kTexts = {{
    {"Dasbor Kawal Desa", "Kawal Desa Dashboard"},
    {"Masuk", "Log in"},
    {"Keluar", "Log out"},
    {"Nama pengguna", "User name"},
    {"Kata sandi", "Password"},
    {"Nama pengguna atau kata sandi salah.", "Wrong user name or password."},
    {"Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.",
     "Too many failed logins. Try again later."},
    {"Akun pendamping desa tidak dapat masuk ke dasbor. Dasbor ini untuk petugas DPMD dan "
     "admin; pendamping mencatat dan menyinkronkan data lewat aplikasi kawal-field.",
     "Facilitator accounts cannot use the dashboard. It is for DPMD officers and admins; "
     "facilitators record and sync data in the kawal-field app."},
    {"Sesi berakhir; silakan masuk lagi.", "Your session ended; please log in again."},
    {"Akses ditolak", "Access denied"},
    {"Wilayah atau kegiatan ini di luar wilayah tugas Anda.",
     "This region or activity is outside your area."},
    {"Tidak ditemukan", "Not found"},
    {"Halaman atau data ini tidak ada.", "This page or record does not exist."},
    {"Terjadi kesalahan", "Something went wrong"},
    {"Server Kawal Desa tidak dapat menjawab. Coba lagi sebentar lagi.",
     "The Kawal Desa server could not answer. Try again shortly."},
    {"Ringkasan", "Overview"},
    {"Desa tanpa sinkron", "Silent villages"},
    {"Unduh CSV", "Download CSV"},
    {"Unduh Excel (XLSX)", "Download Excel (XLSX)"},
    {"Per bidang", "By sector (bidang)"},
    {"Per tujuan SDGs Desa", "By SDGs Desa goal"},
    {"Per sumber dana", "By funding source"},
    {"Per fokus", "By focus"},
    {"Kegiatan", "Activity"},
    {"Status", "Status"},
    {"Bidang", "Sector"},
    {"Semua", "All"},
    {"Saring", "Filter"},
    {"Sebelumnya", "Previous"},
    {"Berikutnya", "Next"},
    {"Halaman", "Page"},
    {"Belum ada kegiatan.", "No activities yet."},
    {"Laporan kemajuan", "Progress reports"},
    {"Tanggal kunjungan", "Visit date"},
    {"Kendala", "Problems"},
    {"Pelapor", "Reporter"},
    {"Foto", "Photos"},
    {"Tahap", "Stage"},
    {"Diambil", "Taken"},
    {"Posisi", "Position"},
    {"Keterangan", "Caption"},
    {"Belum ada foto.", "No photos yet."},
    {"Belum ada laporan.", "No reports yet."},
    {"Data kegiatan", "Activity fields"},
    {"Konflik terbuka", "Open conflicts"},
    {"Sinkron terakhir perangkat yang melayani desa ini",
     "Last sync of the devices serving this village"},
    {"hari", "days"},
    {"Tampilkan", "Show"},
    {"English", "Bahasa Indonesia"},
    {"Masuk sebagai", "Signed in as"},
    {"Bukti foto", "Photo evidence"},
    {"Urutkan", "Sort by"},
    {"Kirim terakhir", "Last push"},
    {"Terima lengkap terakhir", "Last complete pull"},
    {"Belum ada perangkat yang menyinkronkan desa ini.", "No device has synced this village yet."},
    {"Kirim terakhir lebih baru daripada terima lengkap terakhir: perangkat belum menerima semua "
     "perubahan sejak kirimannya. Data yang belum dikirim perangkat tidak diketahui server.",
     "A last push newer than the last complete pull: the device has not yet received every "
     "change since its upload. What a device holds unsent the server cannot know."},
    {"Foto ini tidak dapat dibaca sebagai gambar (berkas rusak atau bukan JPEG/PNG).",
     "This photo cannot be read as an image (a damaged file, or not JPEG/PNG)."},
}};

}  // namespace

const char* T(WebMsg msg, Lang lang) {
  const Pair& p = kTexts[static_cast<size_t>(msg)];
  return lang == Lang::kEn ? p.en : p.id;
}

}  // namespace kawal::web
