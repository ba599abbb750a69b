#include "kawal/sync/domain_labels.h"

namespace kawal::sync {
namespace {

constexpr DomainLabel kSectors[] = {
    {"1", "Penyelenggaraan Pemerintahan Desa", "Village administration"},
    {"2", "Pelaksanaan Pembangunan Desa", "Village development"},
    {"3", "Pembinaan Kemasyarakatan", "Community affairs"},
    {"4", "Pemberdayaan Masyarakat", "Community empowerment"},
    {"5", "Penanggulangan Bencana, Darurat dan Mendesak", "Disaster and emergency"},
};

constexpr DomainLabel kSdgs[] = {
    {"1", "Desa Tanpa Kemiskinan", "Village without poverty"},
    {"2", "Desa Tanpa Kelaparan", "Village without hunger"},
    {"3", "Desa Sehat dan Sejahtera", "Healthy and prosperous village"},
    {"4", "Pendidikan Desa Berkualitas", "Quality village education"},
    {"5", "Keterlibatan Perempuan Desa", "Involvement of village women"},
    {"6", "Desa Layak Air Bersih dan Sanitasi", "Village with clean water and sanitation"},
    {"7", "Desa Berenergi Bersih dan Terbarukan", "Village with clean, renewable energy"},
    {"8", "Pertumbuhan Ekonomi Desa Merata", "Equitable village economic growth"},
    {"9", "Infrastruktur dan Inovasi Desa sesuai Kebutuhan",
     "Village infrastructure and innovation as needed"},
    {"10", "Desa Tanpa Kesenjangan", "Village without inequality"},
    {"11", "Kawasan Permukiman Desa Aman dan Nyaman", "Safe and comfortable village settlements"},
    {"12", "Konsumsi dan Produksi Desa Sadar Lingkungan",
     "Environmentally aware village consumption and production"},
    {"13", "Desa Tanggap Perubahan Iklim", "Climate-responsive village"},
    {"14", "Desa Peduli Lingkungan Laut", "Village caring for the marine environment"},
    {"15", "Desa Peduli Lingkungan Darat", "Village caring for the land environment"},
    {"16", "Desa Damai Berkeadilan", "Peaceful and just village"},
    {"17", "Kemitraan untuk Pembangunan Desa", "Partnership for village development"},
    {"18", "Kelembagaan Desa Dinamis dan Budaya Desa Adaptif",
     "Dynamic village institutions and adaptive culture"},
};

constexpr DomainLabel kSources[] = {
    {"DDS", "Dana Desa", "Dana Desa (village fund)"},
    {"ADD", "Alokasi Dana Desa", "Village fund allocation (ADD)"},
    {"PBH", "Bagi hasil pajak dan retribusi", "Tax and levy revenue sharing"},
    {"PBP", "Bantuan keuangan provinsi", "Provincial financial aid"},
    {"PBK", "Bantuan keuangan kabupaten/kota", "Regency financial aid"},
    {"PAD", "Pendapatan asli desa", "Village own revenue"},
    {"DLL", "Lain-lain", "Other"},
};

constexpr DomainLabel kFocus[] = {
    {"food_security", "Ketahanan pangan", "Food security"},
    {"blt", "BLT Dana Desa", "Cash transfers (BLT)"},
    {"stunting", "Stunting", "Stunting"},
    {"padat_karya", "Padat karya", "Labour-intensive (padat karya)"},
};

}  // namespace

absl::Span<const DomainLabel> DomainLabels(absl::string_view dimension) {
  if (dimension == "sector") return kSectors;
  if (dimension == "sdg") return kSdgs;
  if (dimension == "source") return kSources;
  if (dimension == "focus") return kFocus;
  return {};
}

const DomainLabel* FindDomainLabel(absl::string_view dimension, absl::string_view key) {
  for (const DomainLabel& label : DomainLabels(dimension)) {
    if (key == label.key) return &label;
  }
  return nullptr;
}

std::vector<std::string> FundingSourceCodes() {
  std::vector<std::string> codes;
  for (const DomainLabel& label : kSources) codes.emplace_back(label.key);
  return codes;
}

}  // namespace kawal::sync
