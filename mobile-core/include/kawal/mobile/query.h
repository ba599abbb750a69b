// Indexed queries and change observers over a device's local records
// (Device::Query, Device::Count, Device::Observe; docs/mobile-core.md,
// "Queries and observers").
#ifndef KAWAL_MOBILE_QUERY_H_
#define KAWAL_MOBILE_QUERY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "kawal/sync/record.h"

namespace kawal::mobile {

// Visible records of `collection` whose indexed fields equal the given
// values, in index order (records with equal values by id).
struct RecordQuery {
  std::string collection;
  // A region code prefix of the record's desa ("" = any): a desa, a
  // kecamatan ("62.10.01") or a kabupaten code.
  std::string region;
  // Indexed field -> value; sync::Null matches an absent field (open
  // conflicts: {"resolution", Null}).
  std::vector<std::pair<std::string, sync::Value>> equals;
  uint32_t limit = 0;        // records per page; 0 = all
  std::string resume_token;  // from the previous page; "" = the first page
};

struct QueryPage {
  std::vector<sync::RecordState> records;
  std::string resume_token;  // pass it for the next page; "" = no more
};

// What one commit (a local write or one step of a sync) changed among the
// records an observer watches: the ids, each once.
struct RecordChanges {
  std::string collection;
  std::vector<std::string> ids;
};
using ChangeCallback = std::function<void(const RecordChanges&)>;

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_QUERY_H_
