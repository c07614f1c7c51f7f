package dev.vigil.streams.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.core.Vertx;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.streams.notify.WebhookSettings.Format;

/** The fixture of the webhook delivery tests: a real local receiver, a delivery factory, captured logs. */
abstract class WebhookTestBase {

  static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;

  WebhookReceiver receiver;
  LogCapture logs;
  final Shutdown shutdown = new Shutdown();
  final Counters counters = new Counters();
  private long offset;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void receiver() throws Exception {
    receiver = new WebhookReceiver(vertx);
    logs = new LogCapture();
  }

  @AfterEach
  void close() throws Exception {
    shutdown.signal();
    logs.close();
    receiver.close();
  }

  WebhookSettings webhook(Format format, byte[] secret, Severity min, Set<String> types) {
    return new WebhookSettings("ops", URI.create(receiver.url("/services/T01/B02/" + TestAlerts.URL_SECRET)), format, secret, min,
        types);
  }

  WebhookSettings json() {
    return webhook(Format.JSON, TestAlerts.secret(), Severity.LOW, Set.of());
  }

  WebhookDelivery delivery(WebhookSettings w, int maxAttempts, Duration initial, Duration max, Duration timeout) {
    return new WebhookDelivery(w, new WebhookClient(timeout, shutdown), new RetryPolicy(initial, max), maxAttempts, 100, shutdown,
        counters);
  }

  WebhookDelivery delivery(WebhookSettings w, int maxAttempts) {
    return delivery(w, maxAttempts, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));
  }

  List<AlertBatch.Polled> polled(Alert... alerts) {
    List<AlertBatch.Polled> out = new ArrayList<>();
    for (Alert a : alerts) {
      out.add(new AlertBatch.Polled(new ConsumerRecord<>("vigil.alerts.v1", 0, offset++, new byte[0], new byte[0]), a));
    }
    return out;
  }

  static String hmacHex(byte[] key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }
}
