package id.kawaldesa.sdk;

import java.util.ArrayList;
import java.util.List;

/**
 * A Kawal Desa device: the local store of a field app and its sync client,
 * through libkawal's C API (kawal/kawal.h) over JNI. Records travel as the
 * JSON documented there. Every error is a KawalException with the core's
 * status code. Thread-safe as the core is; close() frees it (use
 * try-with-resources).
 */
public final class KawalDevice implements AutoCloseable {
  static {
    System.loadLibrary("kawal_jni");
  }

  private long handle;  // kawal_device_t*, 0 once closed
  private final List<Observation> observations = new ArrayList<>();

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
    nativeConfigure(live(), server, token);
  }

  /** Creates a record in desa {@code scope}; returns its id. */
  public String create(String collection, String scope, String fieldsJson) {
    return nativeCreate(live(), collection, scope, fieldsJson);
  }

  public void update(String collection, String id, String fieldsJson) {
    nativeUpdate(live(), collection, id, fieldsJson);
  }

  public void delete(String collection, String id) {
    nativeDelete(live(), collection, id);
  }

  /** One record as JSON; NOT_FOUND when it is not on this device. */
  public String get(String collection, String id) {
    return nativeGet(live(), collection, id);
  }

  /** An indexed query (kawal_query): {"records":[...],"resume":"…"}. */
  public String query(String collection, String queryJson) {
    return nativeQuery(live(), collection, queryJson);
  }

  public long count(String collection, String queryJson) {
    return nativeCount(live(), collection, queryJson);
  }

  public long pendingCount() {
    return nativePendingCount(live());
  }

  /** The device's status as JSON (server, user, pending_records, ...). */
  public String status() {
    return nativeStatus(live());
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
      return nativeSync(live(), optionsJson, listener == null ? null : call);
    } catch (KawalException e) {
      if (call.failure != null) {
        throw new KawalException(KawalException.CANCELLED,
            "the progress listener threw, so the sync was cancelled: " + call.failure, call.failure);
      }
      throw e;
    }
  }

  public void cancelSync() {
    long h = handle;
    if (h != 0) nativeCancel(h);
  }

  /** Open conflicts as a JSON array. */
  public String conflicts() {
    return nativeConflicts(live());
  }

  /** Settles a conflict: choice "winner", "loser" or "dismiss" (note required). */
  public void resolveConflict(String conflictId, String choice, String note) {
    nativeResolveConflict(live(), conflictId, choice, note);
  }

  /** Creates a progress report with photos (kawal_report_create); its id. */
  public String createReport(String scope, String fieldsJson, String photosJson) {
    return nativeCreateReport(live(), scope, fieldsJson, photosJson);
  }

  /** Photos known here ({@code activityId} null: all) as JSON. */
  public String photos(String activityId) {
    return nativePhotos(live(), activityId);
  }

  /** Downloads a photo by SHA-256 to {@code outPath}, resuming after a cut. */
  public void fetchPhoto(String sha256, String outPath, String optionsJson) {
    nativeFetchPhoto(live(), sha256, outPath, optionsJson);
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
      observation.id = nativeObserve(live(), collection, filterJson, observation);
      observations.add(observation);
    }
    return observation;
  }

  void unobserve(Observation observation) {
    synchronized (observations) {
      if (!observations.remove(observation) || handle == 0) return;
    }
    nativeUnobserve(handle, observation.id);
  }

  /** Stops every observer, then closes the store. Idempotent. */
  @Override
  public void close() {
    List<Observation> open;
    synchronized (observations) {
      open = new ArrayList<>(observations);
    }
    for (Observation o : open) unobserve(o);
    long h;
    synchronized (this) {
      h = handle;
      handle = 0;
    }
    if (h != 0) nativeClose(h);
  }

  private long live() {
    long h = handle;
    if (h == 0) {
      throw new KawalException(KawalException.FAILED_PRECONDITION, "the device is closed");
    }
    return h;
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
  private static native long nativeObserve(long h, String collection, String filter, Observation o);
  private static native void nativeUnobserve(long h, long id);
}
