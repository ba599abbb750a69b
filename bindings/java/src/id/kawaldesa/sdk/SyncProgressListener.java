package id.kawaldesa.sdk;

/** Told the progress of a running sync, on the thread that called sync(). */
public interface SyncProgressListener {
  /**
   * @param phase "handshake", "push", "pull", "photos" or "done"
   * An exception thrown here cancels the sync, which then throws a
   * KawalException (code CANCELLED) whose cause is that exception.
   */
  void onProgress(String phase, long recordsPushed, long recordsToPush, long recordsPulled,
                  long recordsToPull);
}
