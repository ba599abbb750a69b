#include "service/record_names.h"

#include "store/storage_keys.h"
#include "store/stored_record.h"

namespace kawal::server {

const std::string& RecordNames::Of(const std::string& collection, const std::string& id) {
  const std::string key = RecordKey(collection, id);
  auto [known, added] = by_key_.try_emplace(key);
  if (added) {
    absl::StatusOr<std::optional<std::string>> bytes = records_.Get(key, "reading a record's name");
    if (bytes.ok() && bytes->has_value()) {
      absl::StatusOr<StoredRecord> record = DecodeStoredRecord(**bytes, id);
      if (record.ok()) known->second = record->state.GetString("name");
    }
  }
  return known->second;
}

}  // namespace kawal::server
