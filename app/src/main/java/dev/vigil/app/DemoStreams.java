package dev.vigil.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

import dev.vigil.common.Settings;
import dev.vigil.schema.chain.Ed25519Keys;
import dev.vigil.streams.StreamsSettings;

/**
 * The demo's stream-processor settings: an Ed25519 signing key generated once under {@code <demo dir>/streams/}
 * ({@code signing.key.pem}, owner-only, and {@code signing.pub.pem} to verify with), a fresh state directory (the
 * demo's Kafka is fresh too), and a 2-minute inactivity gap with 10 s grace so that a session closes, signed, about
 * two minutes after the agent's last call; first-namespace-access learns no baseline period. Every value is a default: {@code --set vigil.streams.*} overrides it.
 */
final class DemoStreams {

  static final String GAP = "2m";
  static final String GRACE = "10s";
  static final String KEY_ID = "vigil-demo";

  private DemoStreams() {}

  /** The public key that verifies the demo's session signatures. */
  static Path publicKey(Path demoDir) {
    return demoDir.resolve("streams").resolve("signing.pub.pem");
  }

  static Settings settings(Settings s, Path demoDir, String bootstrap, Path stateDir) throws IOException {
    Path keyFile = demoDir.resolve("streams").resolve("signing.key.pem");
    Path pubFile = publicKey(demoDir);
    if (!Files.exists(keyFile) || !Files.exists(pubFile)) {
      KeyPair keys = Ed25519Keys.generate();
      Kubeconfigs.writePrivate(keyFile, Ed25519Keys.toPem(keys.getPrivate()));
      Files.writeString(pubFile, Ed25519Keys.toPem(keys.getPublic()), StandardCharsets.US_ASCII);
    }
    return s.withDefaults(Map.of(
        StreamsSettings.KAFKA_PREFIX + "bootstrap.servers", bootstrap,
        StreamsSettings.KAFKA_PREFIX + "state.dir", stateDir.toString(),
        StreamsSettings.SIGNING_KEY_FILE, keyFile.toString(),
        StreamsSettings.SIGNING_KEY_ID, KEY_ID,
        StreamsSettings.GAP, GAP,
        StreamsSettings.GRACE, GRACE,
        StreamsSettings.CLOSE_TIMEOUT, "5s",
        // no 24 h learning in a demo: the agent's first namespace is its baseline, each new one after it alerts
        "vigil.streams.detect.first-namespace-access.learning-period", "0"));
  }
}
