#include "change_notifier.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "local_indexes.h"

namespace kawal::mobile {

ChangeNotifier::ChangeNotifier() : thread_([this] { Run(); }) {}

ChangeNotifier::~ChangeNotifier() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

uint64_t ChangeNotifier::Add(RecordQuery filter, ChangeCallback callback) {
  auto observer = std::make_shared<const Observer>(Observer{std::move(filter), std::move(callback)});
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  observers_[id] = std::move(observer);
  return id;
}

absl::Status ChangeNotifier::Remove(uint64_t id) {
  absl::MutexLock lock(&mu_);
  if (observers_.erase(id) == 0) {
    return absl::NotFoundError(absl::StrCat("no observer ", id, " on this device"));
  }
  // From inside a callback the call in progress is the caller's own.
  if (std::this_thread::get_id() != thread_.get_id()) {
    auto idle = [this, id]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ != id; };
    mu_.Await(absl::Condition(&idle));
  }
  return absl::OkStatus();
}

void ChangeNotifier::Enqueue(std::vector<RecordChange> changes) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(changes));
}

void ChangeNotifier::Run() {
  for (;;) {
    std::vector<RecordChange> changes;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, and everything delivered
      changes = std::move(queue_.front());
      queue_.pop_front();
    }
    Deliver(changes);
  }
}

void ChangeNotifier::Deliver(const std::vector<RecordChange>& changes) {
  std::map<uint64_t, std::shared_ptr<const Observer>> observers;
  {
    absl::MutexLock lock(&mu_);
    observers = observers_;
  }
  for (const auto& [id, observer] : observers) {
    RecordChanges batch;
    batch.collection = observer->filter.collection;
    for (const RecordChange& c : changes) {
      if (c.collection != observer->filter.collection) continue;
      const bool matched = (c.before && RecordMatches(observer->filter, *c.before)) ||
                           (c.after && RecordMatches(observer->filter, *c.after));
      if (matched) batch.ids.push_back(c.id);
    }
    if (batch.ids.empty()) continue;
    {
      absl::MutexLock lock(&mu_);
      if (observers_.count(id) == 0) continue;  // removed meanwhile
      running_ = id;
    }
    try {
      observer->callback(batch);
    } catch (...) {
      // An observer's exception must not end the thread; its own binding
      // reports it (the C API and JNI catch before this).
    }
    absl::MutexLock lock(&mu_);
    running_ = 0;
  }
}

}  // namespace kawal::mobile
