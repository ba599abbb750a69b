#include "report/labels.h"

#include <array>
#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "kawal/sync/domain_labels.h"

namespace kawal::report {
namespace {

struct Pair {
  const char* id;
  const char* en;
};

const char* Pick(const Pair& p, Lang lang) { return lang == Lang::kEn ? p.en : p.id; }

constexpr std::array<Pair, static_cast<size_t>(Msg::kCount)> kTexts = {{
    {"Laporan Progres Pembangunan Desa", "Village Development Progress Report"},
    {"Laporan Sinkronisasi Data Desa", "Village Data Sync Report"},
    {"Tahun", "Year"},
    {"per", "by"},
    {"Dibuat", "Generated"},
    {"Kode", "Code"},
    {"Nama", "Name"},
    {"Wilayah", "Area"},
    {"Kegiatan", "Activities"},
    {"Rencana", "Planned"},
    {"Berjalan", "In progress"},
    {"Selesai", "Done"},
    {"Batal", "Cancelled"},
    {"Terhenti", "Stalled"},
    {"Anggaran", "Budget"},
    {"Realisasi", "Spent"},
    {"Serapan", "Absorption"},
    {"Progres fisik", "Physical progress"},
    {"JUMLAH", "TOTAL"},
    {"Laporan", "Reports"},
    {"Pekerja", "Workers"},
    {"HOK", "Person-days"},
    {"Upah", "Wages"},
    {"Anggaran Dana Desa", "Dana Desa budget"},
    {"Realisasi Dana Desa", "Dana Desa spent"},
    {"Anggaran ketahanan pangan", "Food security budget"},
    {"Anggaran BLT", "BLT budget"},
    {"Kegiatan stunting", "Stunting activities"},
    {"Kegiatan padat karya", "Labour-intensive activities"},
    {"Foto 0%", "Photo 0%"},
    {"Foto 50%", "Photo 50%"},
    {"Foto 100%", "Photo 100%"},
    {"Konflik terbuka", "Open conflicts"},
    {"Realisasi vs anggaran", "Spending vs budget"},
    {"Progres fisik", "Physical progress"},
    {"Belanja per tujuan SDGs Desa", "Spending per SDGs Desa goal"},
    {"Rupiah", "Rupiah"},
    {"Progres fisik (%), tertimbang anggaran", "Physical progress (%), weighted by budget"},
    {"Tabel data", "Data table"},
    {"Belum ada data", "No data yet"},
    {"Desa/kelurahan", "Village"},
    {"Kecamatan", "District"},
    {"Sinkron terakhir", "Last sync"},
    {"Oleh", "By"},
    {"Hari tanpa sinkron", "Days silent"},
    {"belum pernah", "never"},
    {"Pendamping", "Facilitator"},
    {"Wilayah tugas", "Scopes"},
    {"Perangkat", "Device"},
    {"Desa tanpa sinkron lebih dari %d hari", "Villages silent for more than %d days"},
    {"Semua desa", "All villages"},
    {"Belum pernah sinkron", "Never synced"},
    {"Pendamping", "Facilitators"},
    {"Progres tiap kegiatan dibobot dengan anggarannya.",
     "Each activity's progress is weighted by its budget."},
    {"Kegiatan dengan beberapa tujuan SDGs Desa dihitung pada setiap tujuannya.",
     "An activity with several SDGs Desa goals counts under each of them."},
    {"Geser tabel ke samping untuk melihat semua kolom.",
     "Scroll the table sideways to see every column."},
    {"Konflik data", "Data conflicts"},
    {"Data", "Record"},
    {"Isian", "Field"},
    {"Nilai sekarang", "Current value"},
    {"Nilai yang kalah", "Lost value"},
    {"Terdeteksi", "Detected"},
    {"Keadaan", "State"},
    {"terbuka", "open"},
    {"nilai sekarang dipertahankan", "current value kept"},
    {"nilai yang kalah dipulihkan", "lost value restored"},
    {"diabaikan", "dismissed"},
    {"Tidak ada konflik.", "No conflicts."},
    {"Daftar dipotong pada 1.000 konflik; persempit --region.",
     "The list stops at 1,000 conflicts; narrow --region."},
    {"Kendala di lapangan", "Problems in the field"},
    {"Tidak ada kendala yang dicatat.", "No problems noted."},
    {"Daftar dipotong pada 2.000 laporan; persempit --region atau --year.",
     "The list stops at 2,000 reports; narrow --region or --year."},
    {"Tindak lanjut terbuka", "Open follow-ups"},
    {"Tindak lanjut terlambat", "Overdue follow-ups"},
    {"Tindak lanjut selesai", "Done follow-ups"},
    {"Tindak lanjut", "Follow-ups"},
    {"Tidak ada tindak lanjut.", "No follow-ups."},
    {"Daftar dipotong pada 2.000 tindak lanjut; persempit --region atau --status.",
     "The list stops at 2,000 follow-ups; narrow --region or --status."},
    {"Tindakan", "Action"},
    {"Penanggung jawab", "Responsible"},
    {"Tenggat", "Due"},
    {"terlambat", "overdue"},
    {"Masalah", "Problem"},
    {"Catatan penutup", "Closing note"},
}};

struct Keyed {
  const char* key;
  Pair label;
};

constexpr Keyed kLevels[] = {
    {"provinsi", {"Provinsi", "Province"}},
    {"kabupaten", {"Kabupaten/kota", "Regency/city"}},
    {"kecamatan", {"Kecamatan", "District (kecamatan)"}},
    {"desa", {"Desa/kelurahan", "Village"}},
};

constexpr Keyed kBys[] = {
    {"sector", {"Bidang", "Sector"}},
    {"sdg", {"Tujuan SDGs Desa", "SDGs Desa goal"}},
    {"source", {"Sumber dana", "Funding source"}},
    {"focus", {"Fokus", "Focus"}},
};

template <size_t N>
const Pair* Find(const Keyed (&table)[N], absl::string_view key) {
  for (const Keyed& k : table) {
    if (key == k.key) return &k.label;
  }
  return nullptr;
}

// The label of a key of a domain dimension (kawal/sync/domain_labels.h),
// or the key itself when unknown.
std::string DomainLabel(absl::string_view dimension, absl::string_view key, Lang lang) {
  const sync::DomainLabel* label = sync::FindDomainLabel(dimension, key);
  if (label == nullptr) return std::string(key);
  return lang == Lang::kEn ? label->en : label->id;
}

// Digits of |value| grouped by threes with `sep`.
std::string Group(uint64_t value, char sep) {
  std::string digits = absl::StrCat(value);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(sep);
    out.push_back(digits[i]);
  }
  return out;
}

char ThousandsSep(Lang lang) { return lang == Lang::kEn ? ',' : '.'; }
char DecimalSep(Lang lang) { return lang == Lang::kEn ? '.' : ','; }

uint64_t Magnitude(int64_t value) {
  return value < 0 ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
}

}  // namespace

bool ParseLang(absl::string_view text, Lang* lang) {
  if (text == "id") {
    *lang = Lang::kId;
  } else if (text == "en") {
    *lang = Lang::kEn;
  } else {
    return false;
  }
  return true;
}

const char* Text(Msg msg, Lang lang) {
  const size_t i = static_cast<size_t>(msg);
  return i < kTexts.size() ? Pick(kTexts[i], lang) : "";
}

std::string SectorLabel(int sector, Lang lang) {
  return DomainLabel("sector", absl::StrCat(sector), lang);
}

std::string SdgLabel(int goal, Lang lang) { return DomainLabel("sdg", absl::StrCat(goal), lang); }

std::string SourceLabel(absl::string_view code, Lang lang) {
  return DomainLabel("source", code, lang);
}

std::string FocusLabel(absl::string_view tag, Lang lang) { return DomainLabel("focus", tag, lang); }

std::string KeyLabel(absl::string_view by, absl::string_view key, absl::string_view server_label,
                     Lang lang) {
  if (sync::FindDomainLabel(by, key) != nullptr) return DomainLabel(by, key, lang);
  return server_label.empty() ? std::string(key) : std::string(server_label);
}

std::string ByLabel(absl::string_view by, Lang lang) {
  const Pair* p = Find(kBys, by);
  return p != nullptr ? Pick(*p, lang) : std::string(by);
}

std::string LevelLabel(absl::string_view level, Lang lang) {
  const Pair* p = Find(kLevels, level);
  return p != nullptr ? Pick(*p, lang) : std::string(level);
}

std::string Per(absl::string_view label, Lang lang) {
  std::string text(label);
  if (!text.empty()) text[0] = absl::ascii_tolower(static_cast<unsigned char>(text[0]));
  return absl::StrCat(Text(Msg::kPer, lang), " ", text);
}

std::string FormatInt(int64_t value, Lang lang) {
  return absl::StrCat(value < 0 ? "-" : "", Group(Magnitude(value), ThousandsSep(lang)));
}

std::string FormatRupiah(int64_t value, Lang lang) {
  return absl::StrCat(value < 0 ? "-" : "", "Rp ", Group(Magnitude(value), ThousandsSep(lang)));
}

std::string FormatDecimal(double value, int decimals, Lang lang) {
  if (!std::isfinite(value)) return "-";
  std::string fixed = absl::StrFormat("%.*f", decimals, std::fabs(value));
  std::string fraction;
  const size_t dot = fixed.find('.');
  if (dot != std::string::npos) {
    fraction = fixed.substr(dot + 1);
    fixed.resize(dot);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  }
  uint64_t whole = 0;
  if (!absl::SimpleAtoi(fixed, &whole)) return fixed;
  const bool negative = value < 0 && (whole != 0 || !fraction.empty());
  std::string out = absl::StrCat(negative ? "-" : "", Group(whole, ThousandsSep(lang)));
  if (!fraction.empty()) absl::StrAppend(&out, std::string(1, DecimalSep(lang)), fraction);
  return out;
}

std::string FormatPercent(double value, Lang lang) {
  if (!std::isfinite(value)) return "-";
  std::string fixed = absl::StrFormat("%.1f", value);
  if (fixed == "-0.0") fixed = "0.0";
  if (lang == Lang::kId) {
    for (char& c : fixed) {
      if (c == '.') c = ',';
    }
  }
  return absl::StrCat(fixed, "%");
}

std::string FormatRupiahShort(double value, Lang lang) {
  const double a = std::fabs(value);
  const char* sign = value < 0 ? "-" : "";
  struct Unit {
    double size;
    const char* id;
    const char* en;
  };
  static constexpr Unit kUnits[] = {
      {1e12, " T", "T"}, {1e9, " M", "B"}, {1e6, " jt", "M"}, {1e3, " rb", "K"}};
  for (const Unit& u : kUnits) {
    if (a >= u.size) {
      const double scaled = a / u.size;
      return absl::StrCat(sign, "Rp ", FormatDecimal(scaled, scaled < 10 ? 2 : 1, lang),
                          lang == Lang::kEn ? u.en : u.id);
    }
  }
  return absl::StrCat(sign, "Rp ", FormatDecimal(a, 0, lang));
}

std::string FormatLocalTime(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(ms), absl::LocalTimeZone());
}

size_t DisplayWidth(absl::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Truncate(absl::string_view text, size_t max_chars) {
  if (DisplayWidth(text) <= max_chars || max_chars == 0) return std::string(text);
  size_t chars = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars - 1) break;
      ++chars;
    }
  }
  return absl::StrCat(text.substr(0, i), "…");
}

}  // namespace kawal::report
