// Bahasa Indonesia labels of breakdown keys in reports: bidang (sector),
// SDGs Desa goals, Siskeudes funding sources and focus tags, from
// kawal/sync/domain_labels.h.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SERVER_REPORT_LABELS_H_
#define KAWAL_SERVER_REPORT_LABELS_H_

#include <string>
#include <vector>

namespace kawal::server {

// Every key of a breakdown dimension, in display order ("sector": "1".."5").
std::vector<std::string> BreakdownKeys(const std::string& dim);
// The Indonesian label of a key ("sector","2" -> "Pelaksanaan Pembangunan Desa").
std::string BreakdownLabel(const std::string& dim, const std::string& key);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_REPORT_LABELS_H_
