// The records of one desa (pulled whole through SyncService.Pull) as what
// the desa and activity pages show: visible activities with their money
// and progress, their progress reports and their photos. Pure functions.
//
// Thread-safety: pure functions.
#ifndef KAWAL_TOOLS_WEB_DESA_VIEW_H_
#define KAWAL_TOOLS_WEB_DESA_VIEW_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kawal/v1/record.pb.h"

namespace kawal::web {

struct PhotoView {
  std::string id;
  std::string report_id;
  std::string sha256;
  std::string stage;         // "0", "50", "100", "other"
  std::string content_type;
  int64_t taken_at_ms = 0;
  double lat = 0, lon = 0;
  bool has_position = false;
  std::string caption;
};

struct ReportView {
  std::string id;
  std::string visit_date;
  double progress_pct = 0;
  int64_t spent = 0;
  std::string problems;
  std::string reporter;
  std::string notes;
};

struct ActivityView {
  std::string id;
  std::string scope;
  std::string name;
  int64_t year = 0;
  int64_t sector = 0;
  std::string status;
  int64_t budget = 0;  // budget_revised when set, else budget (summed over sources)
  int64_t spent = 0;
  double progress_pct = 0;
  // Every field as (name, display text), in name order.
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<ReportView> reports;  // newest visit first
  std::vector<PhotoView> photos;    // by stage, then time taken
};

struct DesaView {
  std::string name;  // from the village record, when pulled
  std::vector<ActivityView> activities;  // by name
};

// Builds the view; deleted records are left out.
DesaView BuildDesaView(const std::vector<v1::Record>& records);

// What the desa page lists: `filter_*` empty or 0 keep everything; `sort`
// is "name", "budget", "progress", "status" or "year" ("-" in front: descending).
std::vector<const ActivityView*> FilterActivities(const DesaView& desa, const std::string& status,
                                                  int64_t sector, int64_t year,
                                                  const std::string& sort);

const ActivityView* FindActivity(const DesaView& desa, const std::string& id);

// Where kawal-web serves a photo's bytes: "/photo/DESA/ID/SHA256.EXT". The
// path carries all PhotoService needs (the server checks the SHA-256
// against the record and the caller's right to its scope) and the content
// type (EXT), so a thumbnail costs one download, not another pull of the
// desa.
std::string PhotoUrl(const std::string& desa, const PhotoView& photo);
// Where kawal-web serves its thumbnail: "/thumb/DESA/ID/SHA256.EXT".
std::string ThumbnailUrl(const std::string& desa, const PhotoView& photo);
// The content type a PhotoUrl extension stands for: one of the schema's
// photo types, else application/octet-stream.
std::string PhotoContentType(const std::string& extension);

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_DESA_VIEW_H_
