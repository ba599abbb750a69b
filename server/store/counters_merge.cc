#include "store/counters_merge.h"

#include "kawal/storage/v1/storage.pb.h"

namespace kawal::server {
namespace {

class CountersMergeOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    storage::v1::Counters sum;
    if (existing_value != nullptr &&
        !sum.ParseFromArray(existing_value->data(), static_cast<int>(existing_value->size()))) {
      return false;  // corruption: RocksDB reports it
    }
    storage::v1::Counters add;
    if (!add.ParseFromArray(value.data(), static_cast<int>(value.size()))) return false;
    auto& values = *sum.mutable_values();
    for (const auto& [name, delta] : add.values()) {
      int64_t total = values[name] + delta;
      if (total == 0) {
        values.erase(name);
      } else {
        values[name] = total;
      }
    }
    *new_value = sum.SerializeAsString();
    return true;
  }

  const char* Name() const override { return "kawal.CountersSum"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewCountersMergeOperator() {
  return std::make_shared<CountersMergeOperator>();
}

std::string EncodeCounters(const CounterMap& counters) {
  storage::v1::Counters out;
  for (const auto& [name, value] : counters) {
    if (value != 0) (*out.mutable_values())[name] = value;
  }
  return out.SerializeAsString();
}

bool DecodeCounters(const std::string& bytes, CounterMap* counters) {
  storage::v1::Counters in;
  if (!in.ParseFromString(bytes)) return false;
  counters->clear();
  for (const auto& [name, value] : in.values()) {
    if (value != 0) (*counters)[name] = value;
  }
  return true;
}

}  // namespace kawal::server
