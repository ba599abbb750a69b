// One validated local write staged into a batch, so several records can be
// written in one commit (a report with its photos). Internal to mobile-core.
//
// Thread-safety: StageWrite reads the store; the caller holds the device's
// write lock (DeviceCore::write_mu) until it has committed the batch.
#ifndef KAWAL_MOBILE_LOCAL_WRITES_H_
#define KAWAL_MOBILE_LOCAL_WRITES_H_

#include <string>

#include "absl/status/status.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/clock.h"
#include "local_store.h"

namespace kawal::mobile {

struct LocalWrite {
  std::string collection;
  std::string id;
  std::string scope;  // new records only
  FieldValues fields;
  bool remove = false;
  bool must_exist = false;  // an update or delete (else a create)
};

// Validates `write` against the schema and the stored record, merges it and
// adds the record and its pending change to `batch`. The caller holds the
// device's write lock and commits.
absl::Status StageWrite(const LocalStore& store, sync::Clock& clock, const LocalWrite& write,
                        LocalStore::Batch& batch);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_LOCAL_WRITES_H_
