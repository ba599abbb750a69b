// The JNI side of id.kawaldesa.sdk.KawalDevice: each native method calls
// the C API of libkawal.so.1 (kawal/kawal.h), as an Android app's JNI layer
// would; nothing here sees the C++ core. Errors become KawalException(code,
// message). Java callbacks run through Java wrappers that catch whatever
// the app's listener throws (KawalDevice.SyncCall, Observation), and this
// file clears any exception left pending, so no throw reaches the core.
// Methods are bound in JNI_OnLoad (RegisterNatives): the library exports
// only JNI_OnLoad.
#include <jni.h>
#include <pthread.h>

#include <cstdint>
#include <string>

#include "kawal/kawal.h"

namespace {

JavaVM* g_vm = nullptr;
jclass g_exception_class = nullptr;  // KawalException, global ref
jmethodID g_exception_init = nullptr;
jmethodID g_sync_dispatch = nullptr;         // SyncCall.dispatch
jmethodID g_observation_dispatch = nullptr;  // Observation.dispatch
jclass g_string_class = nullptr;
pthread_key_t g_detach_key;

kawal_device_t* Device(jlong h) { return reinterpret_cast<kawal_device_t*>(static_cast<intptr_t>(h)); }

void Throw(JNIEnv* env, int code, const char* message) {
  if (env->ExceptionCheck()) return;
  jstring text = env->NewStringUTF(message);
  if (text == nullptr) return;  // OutOfMemoryError pending
  auto exception = static_cast<jthrowable>(
      env->NewObject(g_exception_class, g_exception_init, static_cast<jint>(code), text));
  if (exception != nullptr) env->Throw(exception);
}

// Throws when the call failed; true if it did.
bool Failed(JNIEnv* env, const kawal_error_t& error) {
  if (error.code == 0) return false;
  Throw(env, error.code, error.message);
  return true;
}

// A Java string as UTF-8 for the call's duration; null stays NULL.
// (Modified UTF-8 equals UTF-8 except for NUL and supplementary
// characters, which record text does not carry through this binding.)
class Utf {
 public:
  Utf(JNIEnv* env, jstring s) : env_(env), s_(s) {
    if (s != nullptr) chars_ = env->GetStringUTFChars(s, nullptr);
  }
  ~Utf() {
    if (chars_ != nullptr) env_->ReleaseStringUTFChars(s_, chars_);
  }
  Utf(const Utf&) = delete;
  Utf& operator=(const Utf&) = delete;
  const char* get() const { return chars_; }

 private:
  JNIEnv* env_;
  jstring s_;
  const char* chars_ = nullptr;
};

// A string returned by the C API as a Java string (freed), or null with
// the exception thrown.
jstring Result(JNIEnv* env, char* s, const kawal_error_t& error) {
  if (s == nullptr) {
    if (!Failed(env, error)) Throw(env, 13, "the library returned no result");
    return nullptr;
  }
  jstring out = env->NewStringUTF(s);
  kawal_string_free(s);
  return out;
}

bool Closed(JNIEnv* env, jlong h) {
  if (h != 0) return false;
  Throw(env, 9, "the device is closed");
  return true;
}

// The shapes of most native methods: `fn` is a kawal_* function taking the
// device, each Java string as UTF-8 (the Utf temporaries live until the
// call returns) and the error. On a closed device or an error they throw.

// For functions returning a string: the Java string, or null.
template <typename Fn, typename... Strings>
jstring StringCall(JNIEnv* env, jlong h, Fn fn, Strings... strings) {
  if (Closed(env, h)) return nullptr;
  kawal_error_t error;
  char* out = fn(Device(h), Utf(env, strings).get()..., &error);
  return Result(env, out, error);
}

// For functions returning a count: it, or -1.
template <typename Fn, typename... Strings>
jlong CountCall(JNIEnv* env, jlong h, Fn fn, Strings... strings) {
  if (Closed(env, h)) return -1;
  kawal_error_t error;
  const int64_t n = fn(Device(h), Utf(env, strings).get()..., &error);
  Failed(env, error);
  return n;
}

// For functions returning only a code.
template <typename Fn, typename... Strings>
void VoidCall(JNIEnv* env, jlong h, Fn fn, Strings... strings) {
  if (Closed(env, h)) return;
  kawal_error_t error;
  fn(Device(h), Utf(env, strings).get()..., &error);
  Failed(env, error);
}

// The JNIEnv of the current thread, attaching it (as a daemon) if it is one
// of the core's threads; such threads detach when they end.
JNIEnv* AttachedEnv() {
  JNIEnv* env = nullptr;
  if (g_vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) == JNI_OK) return env;
  if (g_vm->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&env), nullptr) != JNI_OK) {
    return nullptr;
  }
  pthread_setspecific(g_detach_key, g_vm);
  return env;
}

void DetachThread(void* vm) { static_cast<JavaVM*>(vm)->DetachCurrentThread(); }

// kawal_sync's progress callback, on the thread that called sync().
struct SyncContext {
  JNIEnv* env;
  jobject call;
  kawal_device_t* device;
};

void OnProgress(const kawal_progress_t* p, void* user_data) {
  auto* ctx = static_cast<SyncContext*>(user_data);
  JNIEnv* env = ctx->env;
  jstring phase = env->NewStringUTF(p->phase == nullptr ? "" : p->phase);
  jboolean ok = env->CallBooleanMethod(
      ctx->call, g_sync_dispatch, phase, static_cast<jlong>(p->records_pushed),
      static_cast<jlong>(p->records_to_push), static_cast<jlong>(p->records_pulled),
      static_cast<jlong>(p->records_to_pull));
  if (env->ExceptionCheck()) {
    env->ExceptionClear();
    ok = JNI_FALSE;
  }
  env->DeleteLocalRef(phase);
  if (!ok) kawal_sync_cancel(ctx->device);  // the listener threw
}

// kawal_observe's callback, on the device's notification thread.
void OnChange(const char* collection, const char* const* ids, size_t count, void* context) {
  JNIEnv* env = AttachedEnv();
  if (env == nullptr) return;
  env->PushLocalFrame(static_cast<jint>(count) + 4);
  jstring name = env->NewStringUTF(collection);
  jobjectArray array = env->NewObjectArray(static_cast<jsize>(count), g_string_class, nullptr);
  for (size_t i = 0; array != nullptr && i < count; ++i) {
    env->SetObjectArrayElement(array, static_cast<jsize>(i), env->NewStringUTF(ids[i]));
  }
  if (name != nullptr && array != nullptr && !env->ExceptionCheck()) {
    env->CallVoidMethod(static_cast<jobject>(context), g_observation_dispatch, name, array);
  }
  if (env->ExceptionCheck()) env->ExceptionClear();  // dispatch catches; this is a backstop
  env->PopLocalFrame(nullptr);
}

// The observers' global refs by id, to free at unobserve: the core calls
// no more once kawal_unobserve has returned.
struct ObserverEntry {
  int64_t id;
  jobject observation;
  ObserverEntry* next;
};
pthread_mutex_t g_observers_mu = PTHREAD_MUTEX_INITIALIZER;
ObserverEntry* g_observers = nullptr;

jlong JNICALL Open(JNIEnv* env, jclass, jstring home, jstring name) {
  Utf h(env, home), n(env, name);
  kawal_error_t error;
  kawal_device_t* device = kawal_device_open(h.get(), n.get(), &error);
  if (device == nullptr) {
    Failed(env, error);
    return 0;
  }
  return static_cast<jlong>(reinterpret_cast<intptr_t>(device));
}

void JNICALL Close(JNIEnv*, jclass, jlong h) { kawal_device_close(Device(h)); }

jstring JNICALL Version(JNIEnv* env, jclass) {
  int abi = 0;
  const std::string version = kawal_version(&abi);  // before abi is read
  const std::string text = version + " (ABI " + std::to_string(abi) + ")";
  return env->NewStringUTF(text.c_str());
}

void JNICALL Configure(JNIEnv* env, jclass, jlong h, jstring server, jstring token) {
  VoidCall(env, h, kawal_device_configure, server, token);
}

jstring JNICALL Create(JNIEnv* env, jclass, jlong h, jstring collection, jstring scope,
                       jstring json) {
  return StringCall(env, h, kawal_record_create, collection, scope, json);
}

void JNICALL Update(JNIEnv* env, jclass, jlong h, jstring collection, jstring id, jstring json) {
  VoidCall(env, h, kawal_record_update, collection, id, json);
}

void JNICALL Delete(JNIEnv* env, jclass, jlong h, jstring collection, jstring id) {
  VoidCall(env, h, kawal_record_delete, collection, id);
}

jstring JNICALL WriteBatch(JNIEnv* env, jclass, jlong h, jstring ops) {
  return StringCall(env, h, kawal_write_batch, ops);
}

jstring JNICALL Rejections(JNIEnv* env, jclass, jlong h) {
  return StringCall(env, h, kawal_rejections);
}

void JNICALL DiscardRejection(JNIEnv* env, jclass, jlong h, jstring collection, jstring id) {
  VoidCall(env, h, kawal_rejection_discard, collection, id);
}

jstring JNICALL Get(JNIEnv* env, jclass, jlong h, jstring collection, jstring id) {
  return StringCall(env, h, kawal_record_get, collection, id);
}

jstring JNICALL Query(JNIEnv* env, jclass, jlong h, jstring collection, jstring json) {
  return StringCall(env, h, kawal_query, collection, json);
}

jlong JNICALL Count(JNIEnv* env, jclass, jlong h, jstring collection, jstring json) {
  return CountCall(env, h, kawal_count, collection, json);
}

jlong JNICALL PendingCount(JNIEnv* env, jclass, jlong h) {
  return CountCall(env, h, kawal_pending_count);
}

jstring JNICALL Status(JNIEnv* env, jclass, jlong h) { return StringCall(env, h, kawal_status); }

jstring JNICALL Sync(JNIEnv* env, jclass, jlong h, jstring options, jobject call) {
  if (Closed(env, h)) return nullptr;
  Utf o(env, options);
  kawal_error_t error;
  SyncContext ctx{env, call, Device(h)};
  kawal_progress_t progress{};
  progress.struct_size = sizeof progress;
  char* report = kawal_sync(Device(h), o.get(), call == nullptr ? nullptr : OnProgress,
                            call == nullptr ? nullptr : &progress, &ctx, &error);
  return Result(env, report, error);
}

void JNICALL Cancel(JNIEnv*, jclass, jlong h) { kawal_sync_cancel(Device(h)); }

jstring JNICALL Conflicts(JNIEnv* env, jclass, jlong h) {
  return StringCall(env, h, kawal_conflicts);
}

void JNICALL ResolveConflict(JNIEnv* env, jclass, jlong h, jstring id, jstring choice,
                             jstring note) {
  VoidCall(env, h, kawal_conflict_resolve, id, choice, note);
}

jstring JNICALL CreateReport(JNIEnv* env, jclass, jlong h, jstring scope, jstring fields,
                             jstring photos) {
  return StringCall(env, h, kawal_report_create, scope, fields, photos);
}

jstring JNICALL Photos(JNIEnv* env, jclass, jlong h, jstring activity) {
  return StringCall(env, h, kawal_photo_list, activity);
}

void JNICALL FetchPhoto(JNIEnv* env, jclass, jlong h, jstring sha, jstring out, jstring options) {
  VoidCall(env, h, kawal_photo_fetch, sha, out, options);
}

jstring JNICALL ExportBundle(JNIEnv* env, jclass, jlong h, jstring out, jstring options) {
  return StringCall(env, h, kawal_bundle_export, out, options);
}

jstring JNICALL ImportBundleReply(JNIEnv* env, jclass, jlong h, jstring path) {
  return StringCall(env, h, kawal_bundle_import_reply, path);
}

jstring JNICALL RelayBundle(JNIEnv* env, jclass, jlong h, jstring path, jstring reply_out,
                            jstring options) {
  return StringCall(env, h, kawal_bundle_relay, path, reply_out, options);
}

jlong JNICALL Observe(JNIEnv* env, jclass, jlong h, jstring collection, jstring filter,
                      jobject observation) {
  if (Closed(env, h)) return -1;
  Utf c(env, collection), f(env, filter);
  jobject ref = env->NewGlobalRef(observation);
  kawal_error_t error;
  const int64_t id = kawal_observe(Device(h), c.get(), f.get(), OnChange, ref, &error);
  if (Failed(env, error)) {
    env->DeleteGlobalRef(ref);
    return -1;
  }
  pthread_mutex_lock(&g_observers_mu);
  g_observers = new ObserverEntry{id, ref, g_observers};
  pthread_mutex_unlock(&g_observers_mu);
  return id;
}

void JNICALL Unobserve(JNIEnv* env, jclass, jlong h, jlong id) {
  kawal_error_t error;
  kawal_unobserve(Device(h), id, &error);  // waits for a call in progress
  pthread_mutex_lock(&g_observers_mu);
  for (ObserverEntry** e = &g_observers; *e != nullptr; e = &(*e)->next) {
    if ((*e)->id == id) {
      ObserverEntry* gone = *e;
      *e = gone->next;
      env->DeleteGlobalRef(gone->observation);
      delete gone;
      break;
    }
  }
  pthread_mutex_unlock(&g_observers_mu);
  Failed(env, error);
}

#define KAWAL_NATIVE(name, signature, fn) \
  { const_cast<char*>(name), const_cast<char*>(signature), reinterpret_cast<void*>(fn) }

const JNINativeMethod kMethods[] = {
    KAWAL_NATIVE("nativeOpen", "(Ljava/lang/String;Ljava/lang/String;)J", Open),
    KAWAL_NATIVE("nativeClose", "(J)V", Close),
    KAWAL_NATIVE("version", "()Ljava/lang/String;", Version),
    KAWAL_NATIVE("nativeConfigure", "(JLjava/lang/String;Ljava/lang/String;)V", Configure),
    KAWAL_NATIVE("nativeCreate",
                 "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                 Create),
    KAWAL_NATIVE("nativeUpdate", "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V",
                 Update),
    KAWAL_NATIVE("nativeDelete", "(JLjava/lang/String;Ljava/lang/String;)V", Delete),
    KAWAL_NATIVE("nativeWriteBatch", "(JLjava/lang/String;)Ljava/lang/String;", WriteBatch),
    KAWAL_NATIVE("nativeRejections", "(J)Ljava/lang/String;", Rejections),
    KAWAL_NATIVE("nativeDiscardRejection", "(JLjava/lang/String;Ljava/lang/String;)V",
                 DiscardRejection),
    KAWAL_NATIVE("nativeGet", "(JLjava/lang/String;Ljava/lang/String;)Ljava/lang/String;", Get),
    KAWAL_NATIVE("nativeQuery", "(JLjava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                 Query),
    KAWAL_NATIVE("nativeCount", "(JLjava/lang/String;Ljava/lang/String;)J", Count),
    KAWAL_NATIVE("nativePendingCount", "(J)J", PendingCount),
    KAWAL_NATIVE("nativeStatus", "(J)Ljava/lang/String;", Status),
    KAWAL_NATIVE("nativeSync",
                 "(JLjava/lang/String;Lid/kawaldesa/sdk/KawalDevice$SyncCall;)Ljava/lang/String;",
                 Sync),
    KAWAL_NATIVE("nativeCancel", "(J)V", Cancel),
    KAWAL_NATIVE("nativeConflicts", "(J)Ljava/lang/String;", Conflicts),
    KAWAL_NATIVE("nativeResolveConflict",
                 "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V", ResolveConflict),
    KAWAL_NATIVE("nativeCreateReport",
                 "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                 CreateReport),
    KAWAL_NATIVE("nativePhotos", "(JLjava/lang/String;)Ljava/lang/String;", Photos),
    KAWAL_NATIVE("nativeFetchPhoto",
                 "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V", FetchPhoto),
    KAWAL_NATIVE("nativeExportBundle",
                 "(JLjava/lang/String;Ljava/lang/String;)Ljava/lang/String;", ExportBundle),
    KAWAL_NATIVE("nativeImportBundleReply", "(JLjava/lang/String;)Ljava/lang/String;",
                 ImportBundleReply),
    KAWAL_NATIVE("nativeRelayBundle",
                 "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                 RelayBundle),
    KAWAL_NATIVE("nativeObserve",
                 "(JLjava/lang/String;Ljava/lang/String;Lid/kawaldesa/sdk/Observation;)J", Observe),
    KAWAL_NATIVE("nativeUnobserve", "(JJ)V", Unobserve),
};

jclass GlobalClass(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (local == nullptr) return nullptr;
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

}  // namespace

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  g_vm = vm;
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6) != JNI_OK) return JNI_ERR;
  if (pthread_key_create(&g_detach_key, DetachThread) != 0) return JNI_ERR;
  g_exception_class = GlobalClass(env, "id/kawaldesa/sdk/KawalException");
  g_string_class = GlobalClass(env, "java/lang/String");
  jclass device = env->FindClass("id/kawaldesa/sdk/KawalDevice");
  jclass sync_call = env->FindClass("id/kawaldesa/sdk/KawalDevice$SyncCall");
  jclass observation = env->FindClass("id/kawaldesa/sdk/Observation");
  if (g_exception_class == nullptr || g_string_class == nullptr || device == nullptr ||
      sync_call == nullptr || observation == nullptr) {
    return JNI_ERR;
  }
  g_exception_init = env->GetMethodID(g_exception_class, "<init>", "(ILjava/lang/String;)V");
  g_sync_dispatch = env->GetMethodID(sync_call, "dispatch", "(Ljava/lang/String;JJJJ)Z");
  g_observation_dispatch =
      env->GetMethodID(observation, "dispatch", "(Ljava/lang/String;[Ljava/lang/String;)V");
  if (g_exception_init == nullptr || g_sync_dispatch == nullptr ||
      g_observation_dispatch == nullptr) {
    return JNI_ERR;
  }
  if (env->RegisterNatives(device, kMethods, sizeof kMethods / sizeof kMethods[0]) != JNI_OK) {
    return JNI_ERR;
  }
  return JNI_VERSION_1_6;
}
