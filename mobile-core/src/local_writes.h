// Validated local writes staged together so any number of records land in
// one commit: a single create, a report with its photos, or a batch of
// thousands (Device::WriteBatch). Internal to mobile-core.
//
// Thread-safety: a WriteStager reads the store; the caller holds the
// device's write lock (DeviceCore::write_mu) from the first Stage until it
// has committed the batch.
#ifndef KAWAL_MOBILE_LOCAL_WRITES_H_
#define KAWAL_MOBILE_LOCAL_WRITES_H_

#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"
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

// The Device API's operation as a LocalWrite (a create without an id gets a
// new random one).
LocalWrite ToLocalWrite(const WriteOp& op);

class WriteStager {
 public:
  // `store` and `clock` outlive the stager.
  WriteStager(const LocalStore& store, sync::Clock& clock) : store_(store), clock_(clock) {}

  // Validates `write` with the shared schema against the record as stored
  // or as staged by an earlier write of this stager, and merges it. On an
  // error nothing of `write` is staged (earlier writes stay staged).
  absl::Status Stage(const LocalWrite& write);

  // Adds every staged record and its pending change to `batch`, each once.
  void AddTo(LocalStore::Batch& batch) const;

 private:
  struct Staged {
    sync::RecordState stored;  // as read from the store: what the commit replaces
    sync::RecordState record;
    device::v1::PendingRecord pending;
    bool drop_rejection = false;  // the record had been refused: edited again
  };
  // The staged state of a record, read from the store the first time.
  absl::StatusOr<Staged> Current(const std::string& collection, const std::string& id) const;
  // A new report's cumulative spending against the other reports of its
  // activity, stored or staged (sync/report_spending.h): lower without a
  // note is refused.
  absl::Status CheckAgainstEarlierReports(const sync::RecordDelta& report) const;

  const LocalStore& store_;
  sync::Clock& clock_;
  std::map<std::pair<std::string, std::string>, Staged> staged_;
};

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_LOCAL_WRITES_H_
