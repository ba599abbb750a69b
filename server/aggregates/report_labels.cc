#include "aggregates/report_labels.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace kawal::server {
namespace {

const std::map<std::string, std::vector<std::pair<std::string, std::string>>>& Labels() {
  static const auto* labels = new std::map<std::string, std::vector<std::pair<std::string, std::string>>>{
      {"sector",
       {{"1", "Penyelenggaraan Pemerintahan Desa"},
        {"2", "Pelaksanaan Pembangunan Desa"},
        {"3", "Pembinaan Kemasyarakatan"},
        {"4", "Pemberdayaan Masyarakat"},
        {"5", "Penanggulangan Bencana, Darurat dan Mendesak"}}},
      {"sdg",
       {{"1", "Desa Tanpa Kemiskinan"},
        {"2", "Desa Tanpa Kelaparan"},
        {"3", "Desa Sehat dan Sejahtera"},
        {"4", "Pendidikan Desa Berkualitas"},
        {"5", "Keterlibatan Perempuan Desa"},
        {"6", "Desa Layak Air Bersih dan Sanitasi"},
        {"7", "Desa Berenergi Bersih dan Terbarukan"},
        {"8", "Pertumbuhan Ekonomi Desa Merata"},
        {"9", "Infrastruktur dan Inovasi Desa sesuai Kebutuhan"},
        {"10", "Desa Tanpa Kesenjangan"},
        {"11", "Kawasan Permukiman Desa Aman dan Nyaman"},
        {"12", "Konsumsi dan Produksi Desa Sadar Lingkungan"},
        {"13", "Desa Tanggap Perubahan Iklim"},
        {"14", "Desa Peduli Lingkungan Laut"},
        {"15", "Desa Peduli Lingkungan Darat"},
        {"16", "Desa Damai Berkeadilan"},
        {"17", "Kemitraan untuk Pembangunan Desa"},
        {"18", "Kelembagaan Desa Dinamis dan Budaya Desa Adaptif"}}},
      {"source",
       {{"DDS", "Dana Desa"},
        {"ADD", "Alokasi Dana Desa"},
        {"PBH", "Bagi Hasil Pajak dan Retribusi"},
        {"PBP", "Bantuan Keuangan Provinsi"},
        {"PBK", "Bantuan Keuangan Kabupaten"},
        {"PAD", "Pendapatan Asli Desa"},
        {"DLL", "Lain-lain"}}},
      {"focus",
       {{"food_security", "Ketahanan Pangan"},
        {"blt", "BLT Dana Desa"},
        {"stunting", "Stunting"},
        {"padat_karya", "Padat Karya"}}},
  };
  return *labels;
}

}  // namespace

std::vector<std::string> BreakdownKeys(const std::string& dim) {
  std::vector<std::string> keys;
  auto it = Labels().find(dim);
  if (it == Labels().end()) return keys;
  for (const auto& [key, label] : it->second) keys.push_back(key);
  return keys;
}

std::string BreakdownLabel(const std::string& dim, const std::string& key) {
  auto it = Labels().find(dim);
  if (it == Labels().end()) return "";
  for (const auto& [k, label] : it->second) {
    if (k == key) return label;
  }
  return key;
}

}  // namespace kawal::server
