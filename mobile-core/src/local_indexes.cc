#include "local_indexes.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "kawal/sync/schema.h"

namespace kawal::mobile {
namespace {

// The index table. A new index is one line; stores built with another
// table rebuild their indexes when opened (LocalStore::Migrate).
const std::vector<IndexSpec>& Table() {
  static const auto* table = new std::vector<IndexSpec>{
      {"activity", "scope_year", {"scope", "year"}},
      {"activity", "status", {"status", "scope"}},
      {"progress_report", "activity", {"activity_id"}},
      {"photo", "activity", {"activity_id"}},
      {"conflict", "resolution", {"resolution", "scope"}},
      {"follow_up", "status", {"status", "scope"}},
  };
  return *table;
}

void Escape(absl::string_view s, std::string* out) {
  for (char c : s) {
    if (c == '\0') {
      out->append("\1\1");
    } else if (c == '\1') {
      out->append("\1\2");
    } else {
      out->push_back(c);
    }
  }
}

std::string EncodePart(const sync::Value* v) {
  std::string out;
  if (v != nullptr && std::holds_alternative<std::string>(*v)) {
    out.push_back('s');
    Escape(std::get<std::string>(*v), &out);
  } else if (v != nullptr && std::holds_alternative<int64_t>(*v)) {
    out.push_back('i');
    const uint64_t u = static_cast<uint64_t>(std::get<int64_t>(*v)) ^ (uint64_t{1} << 63);
    std::string bytes;
    for (int i = 7; i >= 0; --i) bytes.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
    Escape(bytes, &out);  // escaping keeps the order: 0 -> 1 1, 1 -> 1 2, 2 -> 2
  } else {
    out.push_back('-');
  }
  return out;
}

std::string ScopePart(const std::string& scope) {
  std::string out = "s";
  Escape(scope, &out);
  return out;
}

std::string PartOf(const sync::RecordState& record, const std::string& field) {
  if (field == "scope") return ScopePart(record.scope);
  return EncodePart(record.Get(field));
}

std::string IndexBase(const IndexSpec& index) {
  return absl::StrCat("x", index.collection, std::string(1, '\0'), index.name, std::string(1, '\0'));
}

const sync::Value* Condition(const RecordQuery& query, const std::string& field) {
  for (const auto& [name, value] : query.equals) {
    if (name == field) return &value;
  }
  return nullptr;
}

bool ScopeInRegion(absl::string_view scope_part, const std::string& region) {
  const std::string want = ScopePart(region);
  return scope_part == want ||
         (absl::StartsWith(scope_part, want) && scope_part.size() > want.size() &&
          scope_part[want.size()] == '.');
}

}  // namespace

const std::vector<IndexSpec>& LocalIndexes() { return Table(); }

std::string LocalIndexesFingerprint() {
  std::string out;
  for (const IndexSpec& index : Table()) {
    absl::StrAppend(&out, index.collection, ".", index.name, "(", absl::StrJoin(index.fields, ","),
                    ");");
  }
  return out;
}

std::vector<std::string> QueryableFields(const std::string& collection) {
  std::vector<std::string> fields;
  for (const IndexSpec& index : Table()) {
    if (collection != index.collection) continue;
    if (fields.empty()) fields.push_back("region");
    for (const std::string& f : index.fields) {
      if (f != "scope" && std::find(fields.begin(), fields.end(), f) == fields.end()) {
        fields.push_back(f);
      }
    }
  }
  return fields;
}

std::vector<std::string> IndexEntryKeys(const sync::RecordState& record) {
  std::vector<std::string> keys;
  if (record.IsEmpty() || !record.Visible()) return keys;
  for (const IndexSpec& index : Table()) {
    if (record.collection != index.collection) continue;
    std::string key = IndexBase(index);
    for (const std::string& field : index.fields) {
      key += PartOf(record, field);
      key.push_back('\0');
    }
    key += record.id;
    keys.push_back(std::move(key));
  }
  return keys;
}

absl::StatusOr<IndexPlan> PlanQuery(const RecordQuery& query) {
  // The table may name a collection this schema does not have yet.
  if (sync::Schema::Default().Find(query.collection) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown collection '", query.collection.substr(0, 64), "'"));
  }
  const std::vector<std::string> queryable = QueryableFields(query.collection);
  if (queryable.empty()) {
    std::vector<std::string> indexed;
    for (const IndexSpec& index : Table()) {
      if (std::find(indexed.begin(), indexed.end(), index.collection) == indexed.end()) {
        indexed.push_back(index.collection);
      }
    }
    return absl::InvalidArgumentError(absl::StrCat("collection '", query.collection.substr(0, 64),
                                                   "' has no indexed queries; queryable: ",
                                                   absl::StrJoin(indexed, ", ")));
  }
  for (size_t i = 0; i < query.equals.size(); ++i) {
    const auto& [field, value] = query.equals[i];
    if (field == "region" ||
        std::find(queryable.begin(), queryable.end(), field) == queryable.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "query field '", field.substr(0, 64), "' is not indexed for ", query.collection,
          "; queryable fields: ", absl::StrJoin(queryable, ", ")));
    }
    if (!std::holds_alternative<std::string>(value) && !std::holds_alternative<int64_t>(value) &&
        !std::holds_alternative<sync::Null>(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("query field '", field, "' expects a string, an integer or null"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (query.equals[j].first == field) {
        return absl::InvalidArgumentError(absl::StrCat("query field '", field, "' is given twice"));
      }
    }
  }
  // The index whose leading fields the query binds most.
  IndexPlan plan;
  plan.query = query;
  int best = -1;
  for (const IndexSpec& index : Table()) {
    if (query.collection != index.collection) continue;
    int bound = 0;
    std::string prefix = IndexBase(index);
    for (const std::string& field : index.fields) {
      if (field == "scope") {
        if (query.region.empty()) break;
        prefix += ScopePart(query.region);  // a prefix: kecamatan codes match their desa
        ++bound;
        break;
      }
      const sync::Value* value = Condition(query, field);
      if (value == nullptr) break;
      prefix += EncodePart(std::holds_alternative<sync::Null>(*value) ? nullptr : value);
      prefix.push_back('\0');
      ++bound;
    }
    if (bound > best) {
      best = bound;
      plan.index = &index;
      plan.prefix = std::move(prefix);
    }
  }
  return plan;
}

bool IndexPlan::Matches(absl::string_view key) const {
  if (!absl::StartsWith(key, prefix)) return false;
  absl::string_view rest = key.substr(IndexBase(*index).size());
  std::vector<absl::string_view> parts = absl::StrSplit(rest, '\0');
  if (parts.size() != index->fields.size() + 1) return false;
  for (size_t i = 0; i < index->fields.size(); ++i) {
    const std::string& field = index->fields[i];
    if (field == "scope") {
      if (!query.region.empty() && !ScopeInRegion(parts[i], query.region)) return false;
      continue;
    }
    const sync::Value* value = Condition(query, field);
    if (value != nullptr &&
        parts[i] != EncodePart(std::holds_alternative<sync::Null>(*value) ? nullptr : value)) {
      return false;
    }
  }
  return true;
}

bool IndexPlan::Covers() const {
  for (const auto& [field, value] : query.equals) {
    if (std::find(index->fields.begin(), index->fields.end(), field) == index->fields.end()) {
      return false;
    }
  }
  return query.region.empty() ||
         std::find(index->fields.begin(), index->fields.end(), "scope") != index->fields.end();
}

bool IndexPlan::Narrows() const { return prefix.size() > IndexBase(*index).size(); }

std::string IndexPlan::IdOf(absl::string_view key) {
  const size_t at = key.rfind('\0');
  return std::string(at == absl::string_view::npos ? key : key.substr(at + 1));
}

bool RecordMatches(const RecordQuery& query, const sync::RecordState& record) {
  if (record.collection != query.collection || record.IsEmpty() || !record.Visible()) return false;
  if (!query.region.empty() && !(record.scope == query.region ||
                                 absl::StartsWith(record.scope, query.region + "."))) {
    return false;
  }
  for (const auto& [field, value] : query.equals) {
    const sync::Value* want = std::holds_alternative<sync::Null>(value) ? nullptr : &value;
    if (EncodePart(record.Get(field)) != EncodePart(want)) return false;
  }
  return true;
}

void SortById(std::vector<sync::RecordState>& records) {
  std::sort(records.begin(), records.end(),
            [](const sync::RecordState& a, const sync::RecordState& b) { return a.id < b.id; });
}

}  // namespace kawal::mobile
