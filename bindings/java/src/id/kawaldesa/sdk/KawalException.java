package id.kawaldesa.sdk;

/**
 * An error from the Kawal Desa core: the canonical status code of kawal.h
 * (3 INVALID_ARGUMENT, 5 NOT_FOUND, 9 FAILED_PRECONDITION, 1 CANCELLED,
 * 14 UNAVAILABLE, ...) and its one-sentence message.
 */
public class KawalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int CANCELLED = 1;
  public static final int INVALID_ARGUMENT = 3;
  public static final int NOT_FOUND = 5;
  public static final int FAILED_PRECONDITION = 9;
  public static final int UNAVAILABLE = 14;

  private final int code;

  public KawalException(int code, String message) {
    super(message);
    this.code = code;
  }

  public KawalException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The canonical status code (never 0). */
  public int getCode() {
    return code;
  }

  @Override
  public String toString() {
    return "KawalException(" + code + "): " + getMessage();
  }
}
