package dev.vigil.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.streams.notify.Signatures;

/**
 * The demo's alert subscriber: a loopback webhook (the notifier's generic JSON format, HMAC-signed with a key generated
 * under {@code <demo dir>/streams/webhook.secret}) that checks each signature and prints the alert on the console, so
 * a new user sees alerts as they are raised. A real deployment points {@code vigil.streams.notify.webhooks.*} at its
 * own receivers (a SIEM, Slack, an incident tool).
 */
final class DemoAlertConsole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("vigil.demo.alerts");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BODY = 1024 * 1024;

  private final HttpServer server;
  private final byte[] key;
  private final Path secretFile;

  private DemoAlertConsole(HttpServer server, byte[] key, Path secretFile) {
    this.server = server;
    this.key = key;
    this.secretFile = secretFile;
  }

  static DemoAlertConsole start(Path demoDir) throws IOException {
    Path secretFile = demoDir.resolve("streams").resolve("webhook.secret");
    if (!Files.exists(secretFile)) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Kubeconfigs.writePrivate(secretFile, HexFormat.of().formatHex(secret));
    }
    byte[] key = Files.readAllBytes(secretFile);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    DemoAlertConsole console = new DemoAlertConsole(server, key, secretFile);
    server.createContext("/alerts", console::handle);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigil-demo-alert-console");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return console;
  }

  /** The notifier settings that send every alert here. */
  Map<String, String> webhookSettings() {
    String prefix = "vigil.streams.notify.webhooks.demo-console.";
    return Map.of(prefix + "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts",
        prefix + "format", "json",
        prefix + "secret-file", secretFile.toString(),
        "vigil.streams.notify.initial-backoff", "200ms");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) MAX_BODY + 1);
      if (!"POST".equals(exchange.getRequestMethod()) || body.length > MAX_BODY) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      boolean signed = Signatures.verify(key, exchange.getRequestHeaders().getFirst(Signatures.TIMESTAMP_HEADER),
          exchange.getRequestHeaders().getFirst(Signatures.SIGNATURE_HEADER), body, System.currentTimeMillis() / 1000,
          300);
      if (!signed) {
        LOG.warn("Refused an alert webhook call with a missing or invalid signature");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode alert = JSON.readTree(body);
      LOG.warn("ALERT [{}] {} — session {} — {}", alert.path("severity").asText(), alert.path("type").asText(),
          alert.path("sessionId").asText(alert.path("sessionKey").asText()), printable(alert.path("description").asText()));
      exchange.sendResponseHeaders(204, -1);
    }
  }

  /** Recorded content is attacker-controlled: no control characters (terminal escapes, fake log lines) on the console. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return sb.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
