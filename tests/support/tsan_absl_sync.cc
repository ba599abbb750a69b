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
#include <functional>
#include <type_traits>

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

// Runs a lock operation of `mu` (the library's `real`); the mutex is held
// when it returns: TSan acquires it.
template <typename Fn, typename... Args>
auto ThenAcquire(void* mu, Fn real, Args... args) {
  InMutexOperation op(mu);
  if constexpr (std::is_void_v<decltype(real(args...))>) {
    real(args...);
    __tsan_acquire(mu);
  } else {
    auto result = real(args...);
    __tsan_acquire(mu);
    return result;
  }
}

// A try-lock: acquired only when it succeeded.
template <typename Fn, typename... Args>
bool IfAcquired(void* mu, Fn real, Args... args) {
  InMutexOperation op(mu);
  const bool acquired = real(args...);
  if (acquired) __tsan_acquire(mu);
  return acquired;
}

// A wait that gives `mu` up and holds it again on return (Await, CondVar).
template <typename Fn, typename... Args>
auto ReleaseThenAcquire(void* mu, Fn real, Args... args) {
  __tsan_release(mu);
  return ThenAcquire(mu, real, args...);
}

// An unlock: TSan releases `mu` before it is given up.
template <typename Fn, typename... Args>
void Release(void* mu, Fn real, Args... args) {
  __tsan_release(mu);
  InMutexOperation op(mu);
  real(args...);
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

using Duration = absl::Duration;
using Time = absl::Time;

void Mutex::Lock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex4LockEv");
  ThenAcquire(this, real, this);
}

void Mutex::ReaderLock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex10ReaderLockEv");
  ThenAcquire(this, real, this);
}

bool Mutex::TryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN", "5Mutex7TryLockEv");
  return IfAcquired(this, real, this);
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN", "5Mutex13ReaderTryLockEv");
  return IfAcquired(this, real, this);
}

void Mutex::Unlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex6UnlockEv");
  Release(this, real, this);
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN", "5Mutex12ReaderUnlockEv");
  Release(this, real, this);
}

// LockWhen*: the mutex is held on return (the result says whether the
// condition holds).
void Mutex::LockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex8LockWhenERKNS0_9ConditionE");
  ThenAcquire(this, real, this, std::cref(cond));
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  ThenAcquire(this, real, this, std::cref(cond));
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN", "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return ThenAcquire(this, real, this, std::cref(cond), timeout);
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN", "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return ThenAcquire(this, real, this, std::cref(cond), deadline);
}

void Mutex::Await(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN", "5Mutex5AwaitERKNS0_9ConditionE");
  ReleaseThenAcquire(this, real, this, std::cref(cond));
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN", "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  return ReleaseThenAcquire(this, real, this, std::cref(cond), timeout);
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN", "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return ReleaseThenAcquire(this, real, this, std::cref(cond), deadline);
}

void CondVar::Wait(Mutex* mu) {
  static const auto real = Real<void (*)(CondVar*, Mutex*)>("_ZN", "7CondVar4WaitEPNS0_5MutexE");
  ReleaseThenAcquire(mu, real, this, mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Duration)>(
      "_ZN", "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  return ReleaseThenAcquire(mu, real, this, mu, timeout);
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Time)>(
      "_ZN", "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return ReleaseThenAcquire(mu, real, this, mu, deadline);
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

// A Notification orders what was done before Notify() before what follows
// a wait that saw it.
void Notification::Notify() {
  static const auto real = Real<void (*)(Notification*)>("_ZN", "12Notification6NotifyEv");
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real =
      Real<void (*)(const Notification*)>("_ZNK", "12Notification19WaitForNotificationEv");
  ThenAcquire(const_cast<Notification*>(this), real, this);
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static const auto real = Real<bool (*)(const Notification*, Duration)>(
      "_ZNK", "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  return IfAcquired(const_cast<Notification*>(this), real, this, timeout);
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static const auto real = Real<bool (*)(const Notification*, Time)>(
      "_ZNK", "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  return IfAcquired(const_cast<Notification*>(this), real, this, deadline);
}

ABSL_NAMESPACE_END
}  // namespace absl
