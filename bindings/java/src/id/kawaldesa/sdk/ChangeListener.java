package id.kawaldesa.sdk;

/**
 * Told, after each commit (a local write or a step of a sync), the ids of
 * the watched records it changed. Called on the device's notification
 * thread (not the app's main thread: post to it to touch the UI), one call
 * at a time, in commit order. An exception thrown here is caught and kept
 * by the Observation (see Observation.failures()); later calls go on.
 */
public interface ChangeListener {
  void onChange(String collection, String[] ids);
}
