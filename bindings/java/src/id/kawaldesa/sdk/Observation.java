package id.kawaldesa.sdk;

/** A running observer (KawalDevice.observe); close() stops it. */
public final class Observation implements AutoCloseable {
  private final KawalDevice device;
  private final ChangeListener listener;
  long id;  // set by KawalDevice once the core has registered it
  private int failures;
  private Throwable lastFailure;

  Observation(KawalDevice device, ChangeListener listener) {
    this.device = device;
    this.listener = listener;
  }

  /** Called by the native code on the notification thread; never throws. */
  void dispatch(String collection, String[] ids) {
    device.inChangeListener.set(true);  // so close() from here is refused
    try {
      listener.onChange(collection, ids);
    } catch (Throwable t) {
      synchronized (this) {
        failures++;
        lastFailure = t;
      }
    } finally {
      device.inChangeListener.set(false);
    }
  }

  /** How many calls of the listener threw. */
  public synchronized int failures() {
    return failures;
  }

  /** What the listener last threw, or null. */
  public synchronized Throwable lastFailure() {
    return lastFailure;
  }

  /**
   * Stops the observer: no call follows, and a call in progress has ended
   * when this returns (unless called from the listener itself).
   */
  @Override
  public void close() {
    device.unobserve(this);
  }
}
