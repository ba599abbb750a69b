#include "web/thumbnail_cache.h"

namespace kawal::web {

std::optional<std::string> ThumbnailCache::Get(const std::string& sha256) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(sha256);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ThumbnailCache::Put(const std::string& sha256, std::string thumbnail) {
  absl::MutexLock lock(&mu_);
  if (auto it = index_.find(sha256); it != index_.end()) {
    bytes_ -= it->second->second.size();
    lru_.erase(it->second);
    index_.erase(it);
  }
  if (thumbnail.size() > max_bytes_) return;
  bytes_ += thumbnail.size();
  lru_.emplace_front(sha256, std::move(thumbnail));
  index_[sha256] = lru_.begin();
  while (bytes_ > max_bytes_) {
    const Entry& oldest = lru_.back();
    bytes_ -= oldest.second.size();
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
