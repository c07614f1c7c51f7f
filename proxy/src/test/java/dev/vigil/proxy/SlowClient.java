package dev.vigil.proxy;

import java.time.Duration;

/**
 * A slowloris: sends {@code prefix} at once, then {@code trickle} one character every {@link #EVERY} until the
 * gateway answers or closes the connection.
 */
final class SlowClient {

  static final Duration EVERY = Duration.ofMillis(500);

  private final RawConnection connection;
  private final long startNanos = System.nanoTime();
  private final Thread sender;
  private volatile Exception failure;
  private long answeredNanos;

  private SlowClient(RawConnection connection, String prefix, String trickle) {
    this.connection = connection;
    this.sender = new Thread(() -> {
      try {
        if (!prefix.isEmpty()) {
          connection.send(prefix);
        }
        for (int i = 0; i < trickle.length() && !connection.closed.isDone(); i++) {
          connection.send(trickle.substring(i, i + 1));
          Thread.sleep(EVERY.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        if (!connection.closed.isDone()) {
          failure = e;
        }
      }
    }, "slow-client");
  }

  static SlowClient sending(AttackProbe probe, String prefix, String trickle) throws Exception {
    SlowClient c = new SlowClient(probe.open(), prefix, trickle);
    c.sender.setDaemon(true);
    c.sender.start();
    return c;
  }

  /** What the gateway answered (waiting up to 15 s); the connection is closed afterwards. */
  String response() throws Exception {
    try {
      String text = AttackProbe.answer(connection, Duration.ofSeconds(15));
      answeredNanos = System.nanoTime();
      connection.awaitClosed(Duration.ofSeconds(5));
      sender.interrupt();
      sender.join(5_000);
      if (failure != null) {
        throw failure;
      }
      return text;
    } finally {
      connection.close();
    }
  }

  /** From the first byte sent to the answer. */
  Duration elapsed() {
    return Duration.ofNanos(answeredNanos - startNanos);
  }

  /** Whether the gateway closed the connection. */
  boolean closed() {
    return connection.closed.isDone();
  }
}
