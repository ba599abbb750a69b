// ThreadSanitizer support for Debian's Abseil (linked into the test
// programs of a KAWAL_SANITIZE=thread build only; docs/build.md).
//
// Debian's libabsl_synchronization.so is not built with TSan, so TSan
// sees neither absl::Mutex's locking nor the happens-before edges it
// makes, and reports every access guarded by an absl::Mutex as a race.
// Abseil built with TSan annotates its own Mutex; this file adds the same
// edges from outside: it defines the synchronizing members of Mutex,
// CondVar, Condition and Notification here, so calls resolve to these
// definitions first (ELF symbol interposition, as TSan's own interceptors
// of pthread do); each calls the library's definition (dlsym RTLD_NEXT)
// and tells TSan what it did: a release before the mutex is given up, an
// acquire once it is held. A Condition evaluated inside the library
// (possibly by the thread unlocking, for a waiter) is evaluated "under"
// the mutex too, as Abseil's own annotations do. Not a suppression: a
// real race on data guarded by no mutex is still reported.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace {

#define KAWAL_STRINGIFY2(x) #x
#define KAWAL_STRINGIFY(x) KAWAL_STRINGIFY2(x)

// The library's definition of the member named by its mangled suffix
// (after "absl::<inline namespace>::"); `prefix` is "_ZN" or "_ZNK".
template <typename Fn>
Fn Real(const char* prefix, const char* suffix) {
  const char* ns = KAWAL_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  char name[256];
  std::snprintf(name, sizeof name, "%s4absl%zu%s%s", prefix, std::strlen(ns), ns, suffix);
  void* fn = dlsym(RTLD_NEXT, name);
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found in Abseil\n", name);
    std::abort();
  }
  return reinterpret_cast<Fn>(fn);
}

// The mutex whose operation (lock, unlock, await) is running on this
// thread, for Condition::Eval.
thread_local void* tls_mutex = nullptr;

class InMutexOperation {
 public:
  explicit InMutexOperation(void* mu) : previous_(tls_mutex) { tls_mutex = mu; }
  ~InMutexOperation() { tls_mutex = previous_; }
  InMutexOperation(const InMutexOperation&) = delete;
  InMutexOperation& operator=(const InMutexOperation&) = delete;

 private:
  void* previous_;
};

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex4LockEv");
  {
    InMutexOperation op(this);
    real(this);
  }
  __tsan_acquire(this);
}

void Mutex::ReaderLock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex10ReaderLockEv");
  {
    InMutexOperation op(this);
    real(this);
  }
  __tsan_acquire(this);
}

bool Mutex::TryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN", "5Mutex7TryLockEv");
  bool locked;
  {
    InMutexOperation op(this);
    locked = real(this);
  }
  if (locked) __tsan_acquire(this);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN", "5Mutex13ReaderTryLockEv");
  bool locked;
  {
    InMutexOperation op(this);
    locked = real(this);
  }
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::Unlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex6UnlockEv");
  __tsan_release(this);
  InMutexOperation op(this);
  real(this);
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex12ReaderUnlockEv");
  __tsan_release(this);
  InMutexOperation op(this);
  real(this);
}

// Lock once `cond` holds: the mutex is held when they return (true).
void Mutex::LockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex8LockWhenERKNS0_9ConditionE");
  {
    InMutexOperation op(this);
    real(this, cond);
  }
  __tsan_acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  {
    InMutexOperation op(this);
    real(this, cond);
  }
  __tsan_acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "_ZN", "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  bool held;
  {
    InMutexOperation op(this);
    held = real(this, cond, timeout);
  }
  __tsan_acquire(this);  // held either way; `held` says whether cond holds
  return held;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "_ZN", "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  bool held;
  {
    InMutexOperation op(this);
    held = real(this, cond, deadline);
  }
  __tsan_acquire(this);
  return held;
}

// Await: gives the mutex up while waiting, holds it again on return.
void Mutex::Await(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex5AwaitERKNS0_9ConditionE");
  __tsan_release(this);
  {
    InMutexOperation op(this);
    real(this, cond);
  }
  __tsan_acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, absl::Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "_ZN", "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  __tsan_release(this);
  bool met;
  {
    InMutexOperation op(this);
    met = real(this, cond, timeout);
  }
  __tsan_acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "_ZN", "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  __tsan_release(this);
  bool met;
  {
    InMutexOperation op(this);
    met = real(this, cond, deadline);
  }
  __tsan_acquire(this);
  return met;
}

void CondVar::Wait(Mutex* mu) {
  static const auto real = Real<void (*)(CondVar*, Mutex*)>("_ZN", "7CondVar4WaitEPNS0_5MutexE");
  __tsan_release(mu);
  {
    InMutexOperation op(mu);
    real(this, mu);
  }
  __tsan_acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, absl::Duration timeout) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, absl::Duration)>(
      "_ZN", "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  __tsan_release(mu);
  bool timed_out;
  {
    InMutexOperation op(mu);
    timed_out = real(this, mu, timeout);
  }
  __tsan_acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, absl::Time deadline) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, absl::Time)>(
      "_ZN", "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  __tsan_release(mu);
  bool timed_out;
  {
    InMutexOperation op(mu);
    timed_out = real(this, mu, deadline);
  }
  __tsan_acquire(mu);
  return timed_out;
}

// A waiter's condition, evaluated inside a lock, unlock or await of
// tls_mutex, on whichever thread runs that operation: it reads data the
// mutex guards, so it runs between an acquire and a release of it.
bool Condition::Eval() const {
  static const auto real = Real<bool (*)(const Condition*)>("_ZNK", "9Condition4EvalEv");
  void* mu = tls_mutex;
  if (mu == nullptr) return real(this);
  __tsan_acquire(mu);
  const bool holds = real(this);
  __tsan_release(mu);
  return holds;
}

void Notification::Notify() {
  static const auto real = Real<void (*)(Notification*)>("_ZN", "12Notification6NotifyEv");
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real =
      Real<void (*)(const Notification*)>("_ZNK", "12Notification19WaitForNotificationEv");
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(absl::Duration timeout) const {
  static const auto real = Real<bool (*)(const Notification*, absl::Duration)>(
      "_ZNK", "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(absl::Time deadline) const {
  static const auto real = Real<bool (*)(const Notification*, absl::Time)>(
      "_ZNK", "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
