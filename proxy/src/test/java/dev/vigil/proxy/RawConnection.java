package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;

/** A raw TLS connection to the gateway, for requests no HTTP client would send (HTTP/1.0, odd Transfer-Encodings). */
final class RawConnection {

  private final NetClient client;
  private final NetSocket socket;
  private final StringBuffer received = new StringBuffer();
  final CompletableFuture<Void> closed = new CompletableFuture<>();

  private RawConnection(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  static RawConnection open(GatewayFixture fx, int port) throws Exception {
    NetClient client = fx.vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    NetSocket socket = await(client.connect(port, "127.0.0.1"));
    RawConnection c = new RawConnection(client, socket);
    socket.handler(b -> c.received.append(b.toString()));
    socket.closeHandler(v -> c.closed.complete(null));
    return c;
  }

  RawConnection send(String text) throws Exception {
    await(socket.write(text));
    return this;
  }

  /** What the gateway sent so far, once it contains {@code needle} (or the time ran out). */
  String awaitText(String needle, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.indexOf(needle) < 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return received.toString();
  }

  boolean awaitClosed(Duration timeout) {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  void close() throws Exception {
    await(client.close());
  }
}
