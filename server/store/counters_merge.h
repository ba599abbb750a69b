// The RocksDB merge operator of aggregate rows: each operand is a
// kawal.storage.v1.Counters and the result is their sum, counter by
// counter; counters that reach zero are dropped. Addition commutes, so
// concurrent pushes may merge their deltas in any order.
//
// Thread-safety: stateless; RocksDB calls it from any thread.
#ifndef KAWAL_SERVER_STORE_COUNTERS_MERGE_H_
#define KAWAL_SERVER_STORE_COUNTERS_MERGE_H_

#include <map>
#include <memory>
#include <string>

#include "rocksdb/merge_operator.h"

namespace kawal::server {

using CounterMap = std::map<std::string, int64_t>;

std::shared_ptr<rocksdb::MergeOperator> NewCountersMergeOperator();

// Encodes counters (zeros dropped) as a kawal.storage.v1.Counters.
std::string EncodeCounters(const CounterMap& counters);
// Decodes; false if corrupt.
bool DecodeCounters(const std::string& bytes, CounterMap* counters);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_COUNTERS_MERGE_H_
