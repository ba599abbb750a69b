#include "store/storage_keys.h"

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

std::string AggregatePrefix(int year, int level, absl::string_view dim,
                            absl::string_view region_prefix) {
  std::string key(1, kAggregatePrefix);
  key.push_back(static_cast<char>((year >> 8) & 0xff));
  key.push_back(static_cast<char>(year & 0xff));
  key.push_back(static_cast<char>('0' + level));
  key.append(dim.data(), dim.size());
  key.push_back('\0');
  key.append(region_prefix.data(), region_prefix.size());
  return key;
}

std::string AggregateKey(int year, int level, absl::string_view dim, absl::string_view region,
                         absl::string_view key) {
  std::string out = AggregatePrefix(year, level, dim, region);
  out.push_back('\0');
  out.append(key.data(), key.size());
  return out;
}

bool ParseAggregateKey(absl::string_view key, int* year, int* level, std::string* dim,
                       std::string* region, std::string* row_key) {
  if (key.size() < 6 || key[0] != kAggregatePrefix) return false;
  *year = (static_cast<uint8_t>(key[1]) << 8) | static_cast<uint8_t>(key[2]);
  *level = key[3] - '0';
  size_t z1 = key.find('\0', 4);
  if (z1 == absl::string_view::npos) return false;
  size_t z2 = key.find('\0', z1 + 1);
  if (z2 == absl::string_view::npos) return false;
  *dim = std::string(key.substr(4, z1 - 4));
  *region = std::string(key.substr(z1 + 1, z2 - z1 - 1));
  *row_key = std::string(key.substr(z2 + 1));
  return true;
}

std::string VillageFreshnessKey(absl::string_view desa) { return absl::StrCat("fv", desa); }
std::string UserFreshnessKey(absl::string_view user) { return absl::StrCat("fu", user); }

std::string DeviceFreshnessPrefix(absl::string_view desa) { return absl::StrCat("fd", desa); }

std::string DeviceFreshnessKey(absl::string_view desa, uint64_t device_node) {
  std::string key = DeviceFreshnessPrefix(desa);
  AppendBigEndian64(&key, device_node);
  return key;
}

std::string PhotoEntryKey(absl::string_view sha256_hex) { return absl::StrCat("pm", sha256_hex); }

std::string PhotoPiecePrefix(absl::string_view sha256_hex) {
  return absl::StrCat("pd", sha256_hex);
}

std::string PhotoPieceKey(absl::string_view sha256_hex, uint64_t offset) {
  std::string key = PhotoPiecePrefix(sha256_hex);
  AppendBigEndian64(&key, offset);
  return key;
}

std::string PhotoUploadUserPrefix(absl::string_view user) {
  return absl::StrCat("pu", user, absl::string_view("\0", 1));
}

std::string PhotoUploadKey(absl::string_view user, absl::string_view sha256_hex) {
  return absl::StrCat(PhotoUploadUserPrefix(user), sha256_hex);
}

std::string UserKey(absl::string_view name) { return absl::StrCat("u", name); }
std::string TokenKey(absl::string_view token_hash) { return absl::StrCat("t", token_hash); }
std::string SessionKey(absl::string_view token_hash) { return absl::StrCat("s", token_hash); }

std::string DeviceKeyKey(absl::string_view user, uint64_t device_node) {
  std::string key = absl::StrCat(std::string(1, kDeviceKeyPrefix), user, std::string(1, '\0'));
  AppendBigEndian64(&key, device_node);
  return key;
}

}  // namespace kawal::server
