#include "web/thumbnail_cache.h"

namespace kawal::web {

namespace {

size_t SizeOf(const CachedThumbnail& value) { return value.jpeg.size() + value.unreadable.size(); }

}  // namespace

std::optional<CachedThumbnail> ThumbnailCache::Get(const std::string& sha256) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(sha256);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ThumbnailCache::Put(const std::string& sha256, std::string thumbnail) {
  Insert(sha256, CachedThumbnail{std::move(thumbnail), ""});
}

void ThumbnailCache::PutUnreadable(const std::string& sha256, std::string reason) {
  Insert(sha256, CachedThumbnail{"", std::move(reason)});
}

void ThumbnailCache::Insert(const std::string& sha256, CachedThumbnail value) {
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(sha256); it != index_.end()) {
    bytes_ -= SizeOf(it->second->second);
    lru_.erase(it->second);
    index_.erase(it);
  }
  const size_t size = SizeOf(value);
  if (size > max_bytes_) return;
  bytes_ += size;
  lru_.emplace_front(sha256, std::move(value));
  index_[sha256] = lru_.begin();
  while (bytes_ > max_bytes_) {
    const Entry& oldest = lru_.back();
    bytes_ -= SizeOf(oldest.second);
    index_.erase(oldest.first);
    lru_.pop_back();
  }
}

size_t ThumbnailCache::bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

size_t ThumbnailCache::entries() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

}  // namespace kawal::web
