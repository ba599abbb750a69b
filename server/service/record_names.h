// Names of stored records for people (an activity's "name"), read once per
// record however often a listing mentions it.
//
// Thread-safety: not thread-safe; one per listing.
#ifndef KAWAL_SERVER_SERVICE_RECORD_NAMES_H_
#define KAWAL_SERVER_SERVICE_RECORD_NAMES_H_

#include <map>
#include <string>

#include "store/record_table.h"

namespace kawal::server {

class RecordNames {
 public:
  explicit RecordNames(const RecordTable& records) : records_(records) {}

  // The record's "name" field; empty when it has none, is absent or
  // cannot be read (a listing still shows the id).
  const std::string& Of(const std::string& collection, const std::string& id);

 private:
  const RecordTable& records_;
  std::map<std::string, std::string> by_key_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_SERVICE_RECORD_NAMES_H_
