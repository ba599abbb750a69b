#include "storage_keys.h"

#include "absl/strings/str_cat.h"

namespace kawal::server {

void AppendBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t ReadBigEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

std::string MetaKey(absl::string_view name) { return absl::StrCat("m", name); }

std::string RecordKey(absl::string_view collection, absl::string_view id) {
  std::string key = RecordCollectionPrefix(collection);
  key.append(id.data(), id.size());
  return key;
}

std::string RecordCollectionPrefix(absl::string_view collection) {
  std::string key(1, kRecordPrefix);
  key.append(collection.data(), collection.size());
  key.push_back('\0');
  return key;
}

bool ParseRecordKey(absl::string_view key, std::string* collection, std::string* id) {
  if (key.empty() || key[0] != kRecordPrefix) return false;
  size_t zero = key.find('\0', 1);
  if (zero == absl::string_view::npos) return false;
  *collection = std::string(key.substr(1, zero - 1));
  *id = std::string(key.substr(zero + 1));
  return true;
}

std::string IndexScopePrefix(absl::string_view scope) {
  std::string key(1, kIndexPrefix);
  key.append(scope.data(), scope.size());
  return key;
}

std::string IndexKey(absl::string_view scope, uint64_t seq) {
  std::string key = IndexScopePrefix(scope);
  AppendBigEndian64(&key, seq);
  return key;
}

bool ParseIndexKey(absl::string_view key, std::string* scope, uint64_t* seq) {
  if (key.size() != 1 + kScopeWidth + 8 || key[0] != kIndexPrefix) return false;
  *scope = std::string(key.substr(1, kScopeWidth));
  *seq = ReadBigEndian64(key.data() + 1 + kScopeWidth);
  return true;
}

std::string IndexValue(absl::string_view collection, absl::string_view id) {
  std::string v(collection.data(), collection.size());
  v.push_back('\0');
  v.append(id.data(), id.size());
  return v;
}

std::string UserKey(absl::string_view name) { return absl::StrCat("u", name); }
std::string TokenKey(absl::string_view token_hash) { return absl::StrCat("t", token_hash); }

}  // namespace kawal::server
