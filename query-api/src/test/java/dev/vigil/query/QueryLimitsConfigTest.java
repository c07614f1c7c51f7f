package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.chain.Ed25519Keys;

/** The issue-6 settings: indices, username mapping, limits, signing keys, the re-derivation body cap. */
class QueryLimitsConfigTest {

  private static QueryApiConfig config(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.query.oidc.issuer", "https://issuer.example/");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return QueryApiConfig.from(Settings.of(m));
  }

  @Test
  void shouldApplyDocumentedDefaults() {
    QueryApiConfig c = config();
    assertThat(c.sessionsIndex()).isEqualTo("vigil-sessions");
    assertThat(c.alertsIndex()).isEqualTo("vigil-alerts");
    assertThat(c.usernameClaim()).isEqualTo("sub");
    assertThat(c.usernamePrefix()).isEmpty();
    assertThat(c.verifyMaxBodyChars()).isEqualTo(32_768);
    assertThat(c.signingKeys().isEmpty()).isTrue();
    QueryLimits l = c.limits();
    assertThat(l.pageSizeMax()).isEqualTo(200);
    assertThat(l.sessionEvents()).isEqualTo(2_000);
    assertThat(l.fullTextSessionKeys()).isEqualTo(1_000);
    assertThat(l.sessionAlerts()).isEqualTo(500);
    assertThat(l.exportEvents()).isEqualTo(100_000);
    assertThat(l.verifyEvents()).isEqualTo(100_000);
    assertThat(l.castFrames()).isEqualTo(50_000);
    assertThat(l.tailPollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(l.tailHeartbeat()).isEqualTo(Duration.ofSeconds(15));
    assertThat(l.tailMaxDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(l.tailMaxStreams()).isEqualTo(100);
  }

  @Test
  void shouldReadLimitsAndRefuseOutOfRangeValues() {
    QueryApiConfig c = config("vigil.query.limits.page-size-max", "20", "vigil.query.limits.export-events", "5",
        "vigil.query.tail.poll-interval", "250ms");
    assertThat(c.limits().pageSizeMax()).isEqualTo(20);
    assertThat(c.limits().exportEvents()).isEqualTo(5);
    assertThat(c.limits().tailPollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> config("vigil.query.limits.page-size-max", "10000"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.limits.page-size-max");
    assertThatThrownBy(() -> config("vigil.query.limits.session-events", "0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.limits.session-events");
    assertThatThrownBy(() -> config("vigil.query.tail.poll-interval", "10ms"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.tail.poll-interval");
  }

  @Test
  void shouldTakeTheIndexersBodyCapUnlessOverridden() {
    assertThat(config("vigil.indexer.max-body-chars", "1000").verifyMaxBodyChars()).isEqualTo(1000);
    assertThat(config("vigil.indexer.max-body-chars", "1000", "vigil.query.verify.max-body-chars", "50")
        .verifyMaxBodyChars()).isEqualTo(50);
  }

  @Test
  void shouldMapTheUsernameLikeTheGateway() {
    QueryApiConfig c = config("vigil.query.oidc.username-claim", "preferred_username",
        "vigil.query.oidc.username-prefix", "corp:");
    assertThat(c.usernameClaim()).isEqualTo("preferred_username");
    assertThat(c.usernamePrefix()).isEqualTo("corp:");
    assertThat(config("vigil.query.oidc.username-prefix", "-").usernamePrefix()).isEmpty();
    assertThatThrownBy(() -> config("vigil.query.oidc.username-claim", "a.b"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.oidc.username-claim");
  }

  @Test
  void shouldValidateIndexNames() {
    assertThat(config("vigil.query.sessions-index", "sessions-v2").sessionsIndex()).isEqualTo("sessions-v2");
    assertThatThrownBy(() -> config("vigil.query.alerts-index", "Alerts*"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.alerts-index");
  }

  @Test
  void shouldLoadSigningPublicKeysByKeyId(@TempDir Path dir) throws Exception {
    KeyPair keys = Ed25519Keys.generate();
    Path pub = dir.resolve("k1.pub.pem");
    Files.writeString(pub, Ed25519Keys.toPem(keys.getPublic()), StandardCharsets.US_ASCII);
    QueryApiConfig c = config("vigil.query.signing.public-keys.vigil-demo", pub.toString());
    assertThat(c.signingKeys().get("vigil-demo")).isEqualTo(keys.getPublic());
    assertThat(c.signingKeys().get("other")).isNull();
    assertThat(c.toString()).contains("signingKeys=[vigil-demo]");

    Path priv = dir.resolve("k1.key.pem");
    Files.writeString(priv, Ed25519Keys.toPem(keys.getPrivate()), StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> config("vigil.query.signing.public-keys.k1", priv.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.signing.public-keys.k1")
        .hasMessageContaining("not a PEM Ed25519 public key");
    assertThatThrownBy(() -> config("vigil.query.signing.public-keys.k1", dir.resolve("missing.pem").toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
    assertThatThrownBy(() -> config("vigil.query.signing.public-keys.bad id", pub.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("key id");
  }
}
