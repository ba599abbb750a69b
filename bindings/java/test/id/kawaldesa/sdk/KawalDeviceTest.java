package id.kawaldesa.sdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java binding against a real kawal-server, as an app uses it. A plain
 * runner (no JUnit): each test is a method; a failed check throws; main
 * exits 1 if any test failed. Started by tests/bindings/java_binding_test.cc
 * with: server address, a file holding two facilitator tokens (one a line;
 * tokens never go on a command line), a scratch folder.
 */
public final class KawalDeviceTest {
  static final String DESA = "62.10.01.2001";
  static final String OTHER_DESA = "62.10.02.2001";  // a real desa, not the facilitators'
  static final String ACTIVITY =
      "{\"name\":\"Jalan usaha tani\",\"year\":2026,\"sector\":2,\"status\":\"planned\"}";

  final String server;
  final String tokenA;
  final String tokenB;
  final Path dir;
  int opened;

  KawalDeviceTest(String server, String tokenA, String tokenB, Path dir) {
    this.server = server;
    this.tokenA = tokenA;
    this.tokenB = tokenB;
    this.dir = dir;
  }

  static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  static KawalException expectError(int code, Runnable call) {
    try {
      call.run();
    } catch (KawalException e) {
      check(e.getCode() == code, "expected code " + code + ", got " + e);
      check(e.getMessage() != null && !e.getMessage().isEmpty(), "an error has a message");
      return e;
    }
    throw new AssertionError("expected a KawalException with code " + code);
  }

  KawalDevice device(String token) {
    KawalDevice d = KawalDevice.open(dir.resolve("device" + (++opened)).toString(), "java-" + opened);
    d.configure(server, token);
    return d;
  }

  static long count(KawalDevice d) {
    return d.count("activity", "{\"region\":\"" + DESA + "\"}");
  }

  // Two devices write offline, sync, see each other's records and a conflict.
  void twoDevicesSyncAndSeeAConflict() {
    try (KawalDevice a = device(tokenA); KawalDevice b = device(tokenB)) {
      String shared = a.create("activity", DESA, ACTIVITY);
      a.sync(null, null);
      b.sync(null, null);
      check(b.get("activity", shared).contains("\"status\":\"planned\""), "b pulled a's record");
      // Offline, both change the same field, and each creates a record.
      a.update("activity", shared, "{\"status\":\"in_progress\"}");
      b.update("activity", shared, "{\"status\":\"stalled\"}");
      String fromA = a.create("activity", DESA, ACTIVITY);
      String fromB = b.create("activity", DESA, ACTIVITY);
      check(a.pendingCount() == 2 && b.pendingCount() == 2, "two pending changes each");
      a.sync(null, null);
      b.sync(null, null);
      a.sync(null, null);
      check(a.get("activity", fromB).contains(fromB), "a sees b's record");
      check(b.get("activity", fromA).contains(fromA), "b sees a's record");
      check(a.get("activity", shared).equals(b.get("activity", shared)), "the same winner on both");
      check(a.conflicts().contains(shared), "a lists the conflict: " + a.conflicts());
      check(b.conflicts().contains(shared), "b lists the conflict: " + b.conflicts());
      check(a.count("conflict", "{\"resolution\":null}") == 1, "one open conflict by query");
      String page = a.query("activity", "{\"region\":\"" + DESA + "\",\"limit\":2}");
      check(page.startsWith("{\"records\":[") && !page.contains("\"resume\":\"\""),
          "a first page with a resume token: " + page);
    }
  }

  // An observer fires for records a sync brings; closing it stops it.
  void observerFiresOnSyncAndLocalWrites() throws Exception {
    try (KawalDevice a = device(tokenA); KawalDevice b = device(tokenB)) {
      CountDownLatch pulled = new CountDownLatch(1);
      CountDownLatch written = new CountDownLatch(1);
      String[] local = new String[1];
      List<String> seen = new ArrayList<>();
      Thread[] thread = new Thread[1];
      String id = a.create("activity", DESA, ACTIVITY);
      Observation watch = b.observe("activity", "{\"region\":\"" + DESA + "\"}", (c, ids) -> {
        synchronized (seen) {
          for (String i : ids) seen.add(i);
          thread[0] = Thread.currentThread();
        }
        for (String i : ids) {
          if (i.equals(id)) pulled.countDown();
          synchronized (local) {
            if (i.equals(local[0])) written.countDown();
          }
        }
      });
      // A listener that throws is caught and counted, and others go on.
      Observation thrower = b.observe("activity", null, (c, ids) -> {
        throw new IllegalStateException("listener bug");
      });
      a.sync(null, null);
      b.sync(null, null);
      check(pulled.await(60, TimeUnit.SECONDS), "the observer was told of the pulled record");
      synchronized (seen) {
        check(thread[0] != Thread.currentThread(), "called on the notification thread");
      }
      synchronized (local) {
        local[0] = b.create("activity", DESA, ACTIVITY);
      }
      check(written.await(60, TimeUnit.SECONDS), "the observer was told of the local write");
      watch.close();
      // close() from a change listener would wait for the notification
      // thread it runs on: refused with FAILED_PRECONDITION, the device stays open.
      CountDownLatch closeTried = new CountDownLatch(1);
      AtomicReference<Throwable> closeOutcome = new AtomicReference<>();
      KawalDevice sameAsB = b;  // (javac -Xlint:try flags close() on the resource itself)
      Observation closer = b.observe("activity", null, (c, ids) -> {
        try {
          sameAsB.close();
        } catch (Throwable t) {
          closeOutcome.compareAndSet(null, t);
        }
        closeTried.countDown();
      });
      b.create("activity", DESA, ACTIVITY);
      check(closeTried.await(60, TimeUnit.SECONDS), "the closing listener ran");
      check(closeOutcome.get() instanceof KawalException
          && ((KawalException) closeOutcome.get()).getCode() == KawalException.FAILED_PRECONDITION,
          "close() from a change listener is refused: " + closeOutcome.get());
      closer.close();
      check(b.pendingCount() > 0, "b is still open");
      thrower.close();
      check(thrower.failures() >= 2, "the throwing listener's failures are kept");
      check(thrower.lastFailure() instanceof IllegalStateException, "and what it threw");
      expectError(KawalException.INVALID_ARGUMENT,
          () -> b.observe("nosuch", null, (c, ids) -> { }));
    }
  }

  // A sync cancelled mid-push throws CANCELLED; the next one resumes.
  void cancelledSyncResumes() {
    try (KawalDevice a = device(tokenA); KawalDevice b = device(tokenB)) {
      for (int i = 0; i < 600; ++i) a.create("activity", DESA, ACTIVITY);
      long before = b.pendingCount();
      check(before == 0, "b has nothing pending");
      KawalException cancelled = expectError(KawalException.CANCELLED,
          () -> a.sync("{\"push_batch\":50}", (phase, pushed, toPush, pulled, toPull) -> {
            if (pushed > 0) a.cancelSync();
          }));
      long left = a.pendingCount();
      check(left > 0 && left < 600, "part pushed, part pending after the cancel: " + left
          + " (" + cancelled.getMessage() + ")");
      String report = a.sync("{\"push_batch\":50}", null);
      check(a.pendingCount() == 0, "the next sync pushed the rest: " + report);
      b.sync(null, null);
      check(count(b) >= 600, "b has them all");
    }
  }

  // A report with a photo: uploaded by a's sync, listed and fetched on b.
  void photosTravelWithTheirReport() throws Exception {
    try (KawalDevice a = device(tokenA); KawalDevice b = device(tokenB)) {
      String activity = a.create("activity", DESA, ACTIVITY);
      Path picture = dir.resolve("site.jpg");
      Files.write(picture, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10,
          'J', 'F', 'I', 'F', 0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9});
      String report = a.createReport(DESA,
          "{\"activity_id\":\"" + activity + "\",\"visit_date\":\"2026-11-20\","
              + "\"physical_progress_pct\":50}",
          "[{\"file\":\"" + picture + "\",\"stage\":\"50\"}]");
      check(report.length() == 32, "a report id");
      check(a.count("photo", "{\"activity_id\":\"" + activity + "\"}") == 1, "one photo by index");
      String[] sha = a.photos(activity).split("\"sha256\":\"");
      check(sha.length == 2, "one photo listed: " + a.photos(activity));
      String hash = sha[1].substring(0, 64);
      check(a.sync(null, null).contains("\"photos_uploaded\":1"), "the photo was uploaded");
      b.sync(null, null);
      check(b.photos(activity).contains(hash), "b knows the photo");
      Path out = dir.resolve("fetched.jpg");
      b.fetchPhoto(hash, out.toString(), null);
      check(Files.size(out) == Files.size(picture), "b fetched the bytes");
      expectError(KawalException.INVALID_ARGUMENT,
          () -> a.createReport(DESA, "{}", "[{\"file\":\"" + picture + "\",\"stage\":\"75\"}]"));
    }
  }

  // Errors arrive as KawalException with the core's codes; nothing changes.
  void errorsAreExceptionsWithCodes() {
    KawalDevice a = device(tokenA);
    String id = a.create("activity", DESA, ACTIVITY);
    expectError(KawalException.INVALID_ARGUMENT, () -> a.create("nosuch", DESA, "{}"));
    expectError(KawalException.INVALID_ARGUMENT, () -> a.create("activity", DESA, "{\"year\":"));
    expectError(KawalException.INVALID_ARGUMENT,
        () -> a.update("activity", id, "{\"year\":\"soon\"}"));
    expectError(KawalException.NOT_FOUND, () -> a.get("activity", "0123456789abcdef0123456789abcdef"));
    KawalException unknown =
        expectError(KawalException.INVALID_ARGUMENT, () -> a.query("activity", "{\"colour\":1}"));
    check(unknown.getMessage().contains("colour"), "the message names the field");
    expectError(KawalException.INVALID_ARGUMENT, () -> a.query("village", null));
    check(a.get("activity", id).contains("\"year\":2026"), "nothing stored changed");
    // A progress listener that throws: caught, the sync cancelled, the cause kept.
    KawalException thrown = expectError(KawalException.CANCELLED, () -> a.sync(null,
        (phase, pushed, toPush, pulled, toPull) -> {
          throw new IllegalArgumentException("listener bug");
        }));
    check(thrown.getCause() instanceof IllegalArgumentException, "the listener's exception is the cause");
    a.sync(null, null);  // still usable
    a.close();
    a.close();  // idempotent
    expectError(KawalException.FAILED_PRECONDITION, () -> a.get("activity", id));
  }

  static String createOp(String desa) {
    return "{\"op\":\"create\",\"collection\":\"activity\",\"scope\":\"" + desa
        + "\",\"fields\":" + ACTIVITY + "}";
  }

  static String batchOfCreates(int n) {
    StringBuilder ops = new StringBuilder("[");
    for (int i = 0; i < n; ++i) ops.append(i == 0 ? "" : ",").append(createOp(DESA));
    return ops.append("]").toString();
  }

  // The ids of a JSON array of strings.
  static String[] ids(String jsonArray) {
    check(jsonArray.startsWith("[\"") && jsonArray.endsWith("\"]"), "an array of ids: " + jsonArray);
    return jsonArray.substring(2, jsonArray.length() - 2).split("\",\"");
  }

  // A batch is one commit, all or nothing; the server's refusal of one of
  // its records is listed and discarded.
  void batchWritesAndRejections() {
    try (KawalDevice a = device(tokenA); KawalDevice b = device(tokenB)) {
      String[] made = ids(a.writeBatch("[" + createOp(DESA) + "," + createOp(OTHER_DESA) + "]"));
      check(made.length == 2 && made[0].length() == 32, "two ids in op order");
      String own = made[0];
      String foreign = made[1];
      check(a.pendingCount() == 2, "both stored in the one commit");

      // A bad op refuses the whole batch: its code, "op N: ", nothing stored.
      KawalException bad = expectError(KawalException.INVALID_ARGUMENT, () -> a.writeBatch("["
          + createOp(DESA) + ",{\"op\":\"update\",\"collection\":\"activity\",\"id\":\"" + own
          + "\",\"fields\":{\"year\":\"soon\"}}]"));
      check(bad.getMessage().startsWith("op 1: "), "the message names the op: " + bad.getMessage());
      check(a.pendingCount() == 2 && count(a) == 1, "nothing of the refused batch was stored");
      expectError(KawalException.INVALID_ARGUMENT, () -> a.writeBatch("{\"op\":\"create\"}"));
      expectError(KawalException.INVALID_ARGUMENT, () -> a.writeBatch("[{\"op\":\"rename\"}]"));
      expectError(KawalException.NOT_FOUND, () -> a.writeBatch("[{\"op\":\"delete\","
          + "\"collection\":\"activity\",\"id\":\"0123456789abcdef0123456789abcdef\"}]"));
      check(a.rejections().equals("[]"), "no rejection before a sync");

      // The server refuses the record of another desa, takes the other.
      String report = a.sync(null, null);
      check(report.contains("\"rejected\":1"), "one record refused: " + report);
      String rejected = a.rejections();
      check(rejected.contains(foreign) && rejected.contains("\"reason\":\"SCOPE_DENIED\"")
          && rejected.contains(OTHER_DESA), "the refusal is listed with its reason: " + rejected);
      check(!rejected.contains(own), "the accepted record is not: " + rejected);
      b.sync(null, null);
      check(b.get("activity", own).contains(own), "the accepted record reached b");

      a.discardRejection("activity", foreign);
      check(a.rejections().equals("[]"), "discarded");
      expectError(KawalException.NOT_FOUND, () -> a.get("activity", foreign));
      expectError(KawalException.NOT_FOUND, () -> a.discardRejection("activity", foreign));
      check(a.get("activity", own).contains(own), "the other record stays");
    }
  }

  // close() on one thread while others are inside native calls (a query
  // loop, a sync): no crash; it waits for them (cancelling the sync), and
  // every later call throws FAILED_PRECONDITION.
  void closeWhileOtherThreadsCall() throws Exception {
    KawalDevice a = device(tokenA);
    a.writeBatch(batchOfCreates(400));
    // From a listener of its own call, close() would wait for itself: refused.
    KawalException fromListener = expectError(KawalException.CANCELLED, () -> a.sync(null,
        (phase, pushed, toPush, pulled, toPull) -> a.close()));
    check(fromListener.getCause() instanceof KawalException
        && ((KawalException) fromListener.getCause()).getCode() == KawalException.FAILED_PRECONDITION,
        "close() from the progress listener is refused: " + fromListener.getCause());

    CountDownLatch looping = new CountDownLatch(20);
    AtomicReference<Throwable> loopEnd = new AtomicReference<>();
    Thread loop = new Thread(() -> {
      try {
        for (;;) {
          a.query("activity", "{\"region\":\"" + DESA + "\",\"limit\":50}");
          a.count("activity", null);
          looping.countDown();
        }
      } catch (Throwable t) {
        loopEnd.set(t);
      }
    });
    CountDownLatch pushing = new CountDownLatch(1);
    AtomicReference<Throwable> syncEnd = new AtomicReference<>();
    Thread sync = new Thread(() -> {
      try {
        a.sync("{\"push_batch\":10}", (phase, pushed, toPush, pulled, toPull) -> {
          if (pushed == 0) return;
          pushing.countDown();
          // Wait, inside the sync, until close() has begun (calls then throw).
          for (;;) {
            try {
              a.pendingCount();
            } catch (KawalException closed) {
              return;
            }
            Thread.onSpinWait();
          }
        });
      } catch (Throwable t) {
        syncEnd.set(t);
      }
    });
    loop.start();
    sync.start();
    check(looping.await(60, TimeUnit.SECONDS), "the query loop runs");
    check(pushing.await(60, TimeUnit.SECONDS), "the sync is pushing");
    a.close();  // returns once both native calls have ended
    loop.join(60_000);
    sync.join(60_000);
    check(!loop.isAlive() && !sync.isAlive(), "both threads ended");
    check(loopEnd.get() instanceof KawalException
        && ((KawalException) loopEnd.get()).getCode() == KawalException.FAILED_PRECONDITION,
        "the loop's next call threw the closed-device code: " + loopEnd.get());
    Throwable syncOutcome = syncEnd.get();
    check(syncOutcome == null || (syncOutcome instanceof KawalException
        && ((KawalException) syncOutcome).getCode() == KawalException.CANCELLED),
        "the sync finished or was cancelled by close(): " + syncOutcome);
    expectError(KawalException.FAILED_PRECONDITION, () -> a.pendingCount());
    expectError(KawalException.FAILED_PRECONDITION, () -> a.writeBatch(batchOfCreates(1)));
    expectError(KawalException.FAILED_PRECONDITION, () -> a.rejections());
    a.cancelSync();  // a no-op once closed
    a.close();
    // The store is whole: reopened, it still holds every record.
    try (KawalDevice again = KawalDevice.open(dir.resolve("device" + opened).toString(), "again")) {
      check(count(again) == 400, "every record is still there: " + count(again));
    }
  }

  // Sync by bundle (docs/bundles.md): a's work is exported in parts, b
  // relays them to the server, a imports the reply: nothing stays pending.
  void bundlesExportRelayAndReply() throws Exception {
    try (KawalDevice a = device(tokenA); KawalDevice b = device(tokenB)) {
      a.sync(null, null);  // learns the server's bundle key
      b.sync(null, null);
      a.create("activity", DESA, ACTIVITY.replace("}", ",\"notes\":\"" + "x".repeat(1900) + "\"}"));
      Path out = dir.resolve("a.bundle");
      String exported = a.exportBundle(out.toString(), "{\"max_bytes\":1200}");
      check(exported.contains("\"deltas\":1"), "one change in the bundle: " + exported);
      // The first of "files":["…/a.part1of3.bundle",…].
      String firstPart = exported.split("\"files\":\\[\"")[1].split("\"")[0];
      check(firstPart.startsWith(dir.resolve("a.part1of").toString()), "split: " + exported);
      check(a.pendingCount() == 1, "the change stays pending until the reply");
      expectError(KawalException.INVALID_ARGUMENT,
          () -> a.exportBundle(out.toString(), "{\"max_bytes\":10}"));
      Path reply = dir.resolve("a.bundle.reply");
      String relayed = b.relayBundle(firstPart, reply.toString(), null);
      check(relayed.contains("\"user\":\"ani\"") && relayed.contains("\"applied\":1"),
          "applied as ani's work: " + relayed);
      String imported = a.importBundleReply(reply.toString());
      check(imported.contains("\"acknowledged\":1"), "the reply acknowledges it: " + imported);
      check(a.pendingCount() == 0, "nothing pending after the reply");
      expectError(KawalException.NOT_FOUND,
          () -> a.importBundleReply(dir.resolve("no-such.reply").toString()));
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> tokens = Files.readAllLines(Path.of(args[1]));
    KawalDeviceTest t = new KawalDeviceTest(args[0], tokens.get(0), tokens.get(1), Path.of(args[2]));
    System.out.println("libkawal " + KawalDevice.version());
    AtomicInteger failed = new AtomicInteger();
    String[] names = {"twoDevicesSyncAndSeeAConflict", "observerFiresOnSyncAndLocalWrites",
        "cancelledSyncResumes", "photosTravelWithTheirReport", "errorsAreExceptionsWithCodes",
        "batchWritesAndRejections", "closeWhileOtherThreadsCall", "bundlesExportRelayAndReply"};
    for (String name : names) {
      try {
        KawalDeviceTest.class.getDeclaredMethod(name).invoke(t);
        System.out.println("PASS " + name);
      } catch (java.lang.reflect.InvocationTargetException e) {
        failed.incrementAndGet();
        System.out.println("FAIL " + name + ": " + e.getCause());
        e.getCause().printStackTrace(System.out);
      }
    }
    System.exit(failed.get() == 0 ? 0 : 1);
  }
}
