package id.kawaldesa.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A Kawal Desa device: the local store of a field app and its sync client,
 * through libkawal's C API (kawal/kawal.h) over JNI. Records travel as the
 * JSON documented there. Every error is a KawalException with the core's
 * status code. Thread-safe as the core is; close() frees it (use
 * try-with-resources).
 *
 * <p>The native handle is guarded by a read-write lock: every call holds
 * the read lock for its duration, close() takes the write lock, so close()
 * on one thread never frees the device under a call running on another
 * (it cancels a running sync, then waits for the calls in progress). Once
 * close() has begun, calls throw a KawalException with code
 * FAILED_PRECONDITION ("the device is closed").
 */
public final class KawalDevice implements AutoCloseable {
  static {
    System.loadLibrary("kawal_jni");
  }

  private long handle;  // kawal_device_t*, 0 once closed; guarded by lock
  private volatile boolean closing;  // set first by close(): new calls throw
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<Observation> observations = new ArrayList<>();
  // True on a thread while it runs one of this device's change listeners.
  final ThreadLocal<Boolean> inChangeListener = ThreadLocal.withInitial(() -> false);

  /** A native call on the live handle, made under the read lock. */
  private interface NativeCall<T> {
    T call(long handle);
  }

  private interface NativeVoidCall {
    void call(long handle);
  }

  private KawalDevice(long handle) {
    this.handle = handle;
  }

  /** Opens (creating if needed) the store in folder {@code home}. */
  public static KawalDevice open(String home, String deviceName) {
    return new KawalDevice(nativeOpen(home, deviceName));
  }

  /** The library's version and ABI, e.g. "0.1.0 (ABI 1)". */
  public static native String version();

  /** Sets the server ("host:port") and the bearer token; keeps all data. */
  public void configure(String server, String token) {
    run(h -> nativeConfigure(h, server, token));
  }

  /** Creates a record in desa {@code scope}; returns its id. */
  public String create(String collection, String scope, String fieldsJson) {
    return withHandle(h -> nativeCreate(h, collection, scope, fieldsJson));
  }

  public void update(String collection, String id, String fieldsJson) {
    run(h -> nativeUpdate(h, collection, id, fieldsJson));
  }

  public void delete(String collection, String id) {
    run(h -> nativeDelete(h, collection, id));
  }

  /**
   * Many creates, updates and deletes in one atomic, durable commit
   * (kawal_write_batch): {@code opsJson} is a JSON array of
   * {"op":"create"|"update"|"delete","collection":…,"scope":…,"id":…,"fields":{…}}.
   * Returns the ids as a JSON array, in op order. On an invalid op nothing
   * is stored and the KawalException's message starts "op N: " (N from 0).
   */
  public String writeBatch(String opsJson) {
    return withHandle(h -> nativeWriteBatch(h, opsJson));
  }

  /**
   * Writes the server refused, as a JSON array of {"collection","id","scope",
   * "reason","message","rejected_at_ms"} (kawal_rejections). They stay
   * visible until edited (they travel again) or discarded.
   */
  public String rejections() {
    return withHandle(h -> nativeRejections(h));
  }

  /**
   * Drops a rejected write and restores the values it replaced
   * (kawal_rejection_discard); NOT_FOUND when no write of that record was
   * rejected.
   */
  public void discardRejection(String collection, String id) {
    run(h -> nativeDiscardRejection(h, collection, id));
  }

  /** One record as JSON; NOT_FOUND when it is not on this device. */
  public String get(String collection, String id) {
    return withHandle(h -> nativeGet(h, collection, id));
  }

  /** An indexed query (kawal_query): {"records":[...],"resume":"…"}. */
  public String query(String collection, String queryJson) {
    return withHandle(h -> nativeQuery(h, collection, queryJson));
  }

  public long count(String collection, String queryJson) {
    return withHandle(h -> nativeCount(h, collection, queryJson));
  }

  public long pendingCount() {
    return withHandle(h -> nativePendingCount(h));
  }

  /** The device's status as JSON (server, user, pending_records, ...). */
  public String status() {
    return withHandle(h -> nativeStatus(h));
  }

  /**
   * Syncs now, blocking; returns the report JSON. {@code optionsJson} and
   * {@code listener} may be null. cancelSync() from another thread (or the
   * listener) makes it throw a KawalException with code CANCELLED; what was
   * acknowledged stays acknowledged and the next sync resumes.
   */
  public String sync(String optionsJson, SyncProgressListener listener) {
    SyncCall call = new SyncCall(listener);
    try {
      return withHandle(h -> nativeSync(h, optionsJson, listener == null ? null : call));
    } catch (KawalException e) {
      if (call.failure != null) {
        throw new KawalException(KawalException.CANCELLED,
            "the progress listener threw, so the sync was cancelled: " + call.failure, call.failure);
      }
      throw e;
    }
  }

  /** Asks a running sync to stop soon; nothing once the device is closed. */
  public void cancelSync() {
    lock.readLock().lock();
    try {
      if (handle != 0) nativeCancel(handle);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Open conflicts as a JSON array. */
  public String conflicts() {
    return withHandle(h -> nativeConflicts(h));
  }

  /** Settles a conflict: choice "winner", "loser" or "dismiss" (note required). */
  public void resolveConflict(String conflictId, String choice, String note) {
    run(h -> nativeResolveConflict(h, conflictId, choice, note));
  }

  /** Creates a progress report with photos (kawal_report_create); its id. */
  public String createReport(String scope, String fieldsJson, String photosJson) {
    return withHandle(h -> nativeCreateReport(h, scope, fieldsJson, photosJson));
  }

  /** Photos known here ({@code activityId} null: all) as JSON. */
  public String photos(String activityId) {
    return withHandle(h -> nativePhotos(h, activityId));
  }

  /** Downloads a photo by SHA-256 to {@code outPath}, resuming after a cut. */
  public void fetchPhoto(String sha256, String outPath, String optionsJson) {
    run(h -> nativeFetchPhoto(h, sha256, outPath, optionsJson));
  }

  /**
   * Writes a sync bundle of everything the server has not acknowledged to
   * {@code outPath} (kawal_bundle_export; docs/bundles.md), for a USB stick.
   * {@code optionsJson} (null: defaults): {"photos":false} leaves photos
   * out; {"max_bytes":N} splits a larger bundle into parts of at most N
   * bytes (outPath without ".bundle" + ".part1of3.bundle" ...). Returns
   * {"bundle_id","deltas","photos","photo_bytes","bytes","files":[...]}.
   */
  public String exportBundle(String outPath, String optionsJson) {
    return withHandle(h -> nativeExportBundle(h, outPath, optionsJson));
  }

  /**
   * Applies the server's reply bundle at {@code path}
   * (kawal_bundle_import_reply); returns {"acknowledged","rejected",
   * "pulled","photos_stored","cursor_advanced"}. Idempotent.
   */
  public String importBundleReply(String path) {
    return withHandle(h -> nativeImportBundleReply(h, path));
  }

  /**
   * Carries the bundle at {@code path} (a colleague's or this device's; any
   * part of a split one) to the server through this device's connection
   * (kawal_bundle_relay) and writes its reply to {@code replyOutPath}.
   * Returns {"user","device_node","deltas","applied","rejected","reply"}.
   */
  public String relayBundle(String path, String replyOutPath, String optionsJson) {
    return withHandle(h -> nativeRelayBundle(h, path, replyOutPath, optionsJson));
  }

  /**
   * Watches the records of {@code collection} matching {@code filterJson}
   * (null: all; as query's, any field of the collection); see ChangeListener.
   */
  public Observation observe(String collection, String filterJson, ChangeListener listener) {
    if (listener == null) {
      throw new KawalException(KawalException.INVALID_ARGUMENT, "listener must not be null");
    }
    Observation observation = new Observation(this, listener);
    synchronized (observations) {
      observation.id = withHandle(h -> nativeObserve(h, collection, filterJson, observation));
      observations.add(observation);
    }
    return observation;
  }

  void unobserve(Observation observation) {
    synchronized (observations) {
      if (!observations.remove(observation)) return;
    }
    // Not run(): close() unobserves after it has refused new calls.
    lock.readLock().lock();
    try {
      if (handle != 0) nativeUnobserve(handle, observation.id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Closes the store: refuses new calls, cancels a running sync, stops
   * every observer, waits for the calls in progress on other threads, then
   * frees the device. Idempotent. Not from a listener of this device (a
   * change listener, or a progress listener during its sync): that throws
   * FAILED_PRECONDITION, as the call it runs in could never end.
   */
  @Override
  public void close() {
    if (lock.getReadHoldCount() > 0 || inChangeListener.get()) {
      throw new KawalException(KawalException.FAILED_PRECONDITION,
          "close() was called from a listener of this device; close it from another thread");
    }
    closing = true;
    cancelSync();
    List<Observation> open;
    synchronized (observations) {
      open = new ArrayList<>(observations);
    }
    for (Observation o : open) unobserve(o);
    lock.writeLock().lock();
    try {
      if (handle != 0) nativeClose(handle);
      handle = 0;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private <T> T withHandle(NativeCall<T> call) {
    lock.readLock().lock();
    try {
      if (closing || handle == 0) {
        throw new KawalException(KawalException.FAILED_PRECONDITION, "the device is closed");
      }
      return call.call(handle);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void run(NativeVoidCall call) {
    withHandle(h -> {
      call.call(h);
      return null;
    });
  }

  /** The progress callback's Java side: never lets an exception reach native code. */
  static final class SyncCall {
    private final SyncProgressListener listener;
    Throwable failure;

    SyncCall(SyncProgressListener listener) {
      this.listener = listener;
    }

    /** False when the listener threw: the native side then cancels the sync. */
    boolean dispatch(String phase, long pushed, long toPush, long pulled, long toPull) {
      if (failure != null) return false;
      try {
        listener.onProgress(phase, pushed, toPush, pulled, toPull);
        return true;
      } catch (Throwable t) {
        failure = t;
        return false;
      }
    }
  }

  private static native long nativeOpen(String home, String deviceName);
  private static native void nativeClose(long h);
  private static native void nativeConfigure(long h, String server, String token);
  private static native String nativeCreate(long h, String collection, String scope, String json);
  private static native void nativeUpdate(long h, String collection, String id, String json);
  private static native void nativeDelete(long h, String collection, String id);
  private static native String nativeWriteBatch(long h, String opsJson);
  private static native String nativeRejections(long h);
  private static native void nativeDiscardRejection(long h, String collection, String id);
  private static native String nativeGet(long h, String collection, String id);
  private static native String nativeQuery(long h, String collection, String json);
  private static native long nativeCount(long h, String collection, String json);
  private static native long nativePendingCount(long h);
  private static native String nativeStatus(long h);
  private static native String nativeSync(long h, String optionsJson, SyncCall call);
  private static native void nativeCancel(long h);
  private static native String nativeConflicts(long h);
  private static native void nativeResolveConflict(long h, String id, String choice, String note);
  private static native String nativeCreateReport(long h, String scope, String fields, String photos);
  private static native String nativePhotos(long h, String activityId);
  private static native void nativeFetchPhoto(long h, String sha256, String outPath, String options);
  private static native String nativeExportBundle(long h, String outPath, String options);
  private static native String nativeImportBundleReply(long h, String path);
  private static native String nativeRelayBundle(long h, String path, String replyOutPath,
      String options);
  private static native long nativeObserve(long h, String collection, String filter, Observation o);
  private static native void nativeUnobserve(long h, long id);
}
