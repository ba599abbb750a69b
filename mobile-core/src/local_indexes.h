// The secondary indexes of the device's local store: which fields of which
// collection are indexed (one table, kLocalIndexes in local_indexes.cc:
// adding an index is one line there; the store rebuilds its indexes when
// the table changes), how a record's index entries are keyed, and how a
// query picks the index that answers it.
//
// Entry keys (family 'x' of local_store.h; the value is empty):
//   'x' collection '\0' index '\0' part '\0' part ... '\0' id
// where each part is one indexed value: 's' + escaped string, 'i' + 8
// escaped bytes big-endian with the sign bit flipped (keys sort by number), or
// '-' for an absent or other-typed value. Escaping maps '\0' to "\1\1" and
// '\1' to "\1\2", so '\0' only ever separates. Only visible records have
// entries; every visible record of an indexed collection is in each of its
// collection's indexes.
//
// Thread-safety: pure functions over constant data.
#ifndef KAWAL_MOBILE_LOCAL_INDEXES_H_
#define KAWAL_MOBILE_LOCAL_INDEXES_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/mobile/query.h"
#include "kawal/sync/record.h"

namespace kawal::mobile {

// One index: the fields of `collection` it orders by ("scope" is the
// record's desa code).
struct IndexSpec {
  const char* collection;
  const char* name;
  std::vector<std::string> fields;
};

const std::vector<IndexSpec>& LocalIndexes();
// Names the index table; stored with the indexes so a changed table is noticed.
std::string LocalIndexesFingerprint();
// The fields a query on `collection` may name (its indexed fields); empty
// when the collection has no index.
std::vector<std::string> QueryableFields(const std::string& collection);

// The index entry keys of `record` (none when it is not visible).
std::vector<std::string> IndexEntryKeys(const sync::RecordState& record);

// How to answer a query from one index: scan the keys starting with
// `prefix`, keep those whose parts satisfy the query (Matches), take the id
// from the key's end.
struct IndexPlan {
  const IndexSpec* index = nullptr;
  std::string prefix;
  RecordQuery query;

  bool Matches(absl::string_view key) const;
  // True when the index holds every condition, so keys alone decide.
  bool Covers() const;
  // True when the query binds the index's leading field, so only part of
  // the index is read: fewer records than a scan of the collection.
  bool Narrows() const;
  // The record id at the end of an entry key.
  static std::string IdOf(absl::string_view key);
};
// The plan for `query`: INVALID_ARGUMENT for a collection without indexes
// or a field that is not indexed (the message lists the queryable ones).
absl::StatusOr<IndexPlan> PlanQuery(const RecordQuery& query);

// True when `record` is visible and satisfies `query`'s conditions (limit
// and resume token aside).
bool RecordMatches(const RecordQuery& query, const sync::RecordState& record);

// Orders `records` of one collection by id, as a scan of the collection
// returns them (an index orders by its fields first): for callers that
// answer from an index what they answered by a scan before.
void SortById(std::vector<sync::RecordState>& records);

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_LOCAL_INDEXES_H_
