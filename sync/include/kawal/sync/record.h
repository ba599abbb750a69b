// Record state and record deltas: the C++ side of kawal.v1.Record and
// kawal.v1.RecordDelta.
//
// Thread-safety: plain value types.
#ifndef KAWAL_SYNC_RECORD_H_
#define KAWAL_SYNC_RECORD_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kawal/sync/stamp.h"
#include "kawal/sync/value.h"

namespace kawal::sync {

// The merged state of one field.
struct FieldState {
  Value value;
  Stamp stamp;  // the write that produced `value`
  Stamp base;   // what that writer had seen of this field (zero: nothing)
  uint64_t changed_seq = 0;  // server sequence of the last change; 0 if none
};

// Identifies a record across collections.
struct RecordKey {
  std::string collection;
  std::string id;
  friend auto operator<=>(const RecordKey&, const RecordKey&) = default;
  friend bool operator==(const RecordKey&, const RecordKey&) = default;
};

// Name of the pseudo-field that conflicts between a delete and an edit use.
inline constexpr char kDeletedField[] = "_deleted";

// The merged state of one record.
struct RecordState {
  std::string collection;
  std::string id;
  std::string scope;
  std::map<std::string, FieldState> fields;  // by field name
  Stamp tombstone;       // zero: never deleted
  Stamp tombstone_base;  // highest stamp the deleter had seen
  uint64_t tombstone_seq = 0;
  uint64_t created_seq = 0;
  uint64_t seq = 0;  // latest change: max over changed_seq, tombstone_seq

  RecordKey key() const { return {collection, id}; }

  // True when nothing has been written to the record yet.
  bool IsEmpty() const { return fields.empty() && tombstone.IsZero(); }

  // Visible iff some field is stamped later than the tombstone (docs/architecture.md §3).
  bool Visible() const;

  // Highest stamp of any field or the tombstone; zero for an empty record.
  Stamp MaxStamp() const;

  // The value of `field`, or nullptr when absent or null.
  const Value* Get(const std::string& field) const;
  // The value of `field` when it holds that type; else "", 0 or false.
  std::string GetString(const std::string& field) const;
  int64_t GetInt(const std::string& field) const;
  bool GetBool(const std::string& field) const;
  // The items of a list field as text (integers in decimal); empty when
  // absent or not a list.
  std::vector<std::string> GetStrings(const std::string& field) const;
};

// One changed field in a delta.
struct FieldChange {
  std::string name;
  Value value;
  Stamp stamp;
  Stamp base;
};

// The changes a writer made to one record (a delta-state of docs/architecture.md §3).
struct RecordDelta {
  std::string collection;
  std::string id;
  std::string scope;
  std::vector<FieldChange> changes;  // unique names
  Stamp tombstone;        // set for a delete
  Stamp tombstone_base;   // with tombstone: highest stamp the deleter saw
  Stamp base_tombstone;   // tombstone the writer had seen (zero: none)
  uint64_t known_seq = 0; // server version the writer held (0: none)

  RecordKey key() const { return {collection, id}; }
  // Highest stamp in the delta (changes and tombstone).
  Stamp MaxStamp() const;
};

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_RECORD_H_
