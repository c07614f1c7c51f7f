package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** {@code /vigil/healthz} tells liveness to anyone; {@code /vigil/status} counters only to loopback or authenticated callers. */
class StatusEndpointTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.HOST, "0.0.0.0")), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldAnswerHealthWithLivenessOnly() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/vigil/healthz").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ok"));
    assertThat(fx.kubeSim.requests()).isEmpty();
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void shouldServeStatusCountersToLoopbackCallers() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/vigil/status").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    JsonObject body = resp.bodyAsJsonObject();
    assertThat(body.getString("gatewayId")).isEqualTo("test-gateway");
    assertThat(body.getJsonObject("events").getLong("failed")).isNotNull();
    assertThat(body.getInteger("sessionsTracked")).isNotNull();
    assertThat(body.getJsonObject("gaps")).isEqualTo(new JsonObject() // an in-memory sink loses nothing
        .put("eventsLost", 0).put("eventsUnreported", 0).put("recorded", 0));
  }

  @Test
  void shouldServeStatusToOtherAddressesOnlyWithAValidToken() throws Exception {
    InetAddress external = nonLoopbackAddress();
    assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
    WebClient client = WebClient.create(fx.vertx, new WebClientOptions().setSsl(true).setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem())))
        .setDefaultHost(external.getHostAddress()).setDefaultPort(fx.proxy().port()));
    try {
      HttpResponse<Buffer> anonymous = await(client.get("/vigil/status").send());
      HttpResponse<Buffer> badToken = await(client.get("/vigil/status").putHeader("Authorization", "Bearer nope").send());
      HttpResponse<Buffer> health = await(client.get("/vigil/healthz").send());
      HttpResponse<Buffer> authenticated = await(client.get("/vigil/status")
          .putHeader("Authorization", "Bearer " + fx.mint("operator")).send());

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.bodyAsJsonObject().getString("kind")).isEqualTo("Status");
      assertThat(anonymous.bodyAsString()).doesNotContain("events");
      assertThat(badToken.statusCode()).isEqualTo(401);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(authenticated.statusCode()).isEqualTo(200);
      assertThat(authenticated.bodyAsJsonObject().getJsonObject("events")).isNotNull();
      assertThat(fx.kubeSim.requests()).isEmpty();
    } finally {
      client.close();
    }
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp() || ni.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a;
        }
      }
    }
    return null;
  }
}
