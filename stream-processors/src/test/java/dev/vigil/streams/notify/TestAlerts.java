package dev.vigil.streams.notify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Identity;
import dev.vigil.schema.Severity;

/** Alerts and webhook settings for the notifier tests. */
final class TestAlerts {

  static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123Z");
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  /** Stands for the secret part of a Slack-style webhook URL: must never show up in logs or dead letters. */
  static final String URL_SECRET = "XyZsecretTOKEN42";

  private TestAlerts() {}

  static Alert alert(String id, String type, Severity severity, String description) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setType(type)
        .setSeverity(severity)
        .setSessionKey("agent-7|kube")
        .setSessionId("agent-7|kube#ev-1")
        .setIdentity(Identity.newBuilder().setSubject("sub-7").setUsername("oidc:alice").setGroups(List.of("oidc:dev"))
            .setIssuer("https://issuer.example").setAuthenticated(true).build())
        .setEvidenceEventIds(List.of("ev-1", "ev-2"))
        .setDescription(description)
        .setTime(T0)
        .setAttributes(new HashMap<>(Map.of("namespace", "prod")))
        .build();
  }

  static Alert alert(String id) {
    return alert(id, "secret-leakage", Severity.HIGH, "Secret prod/db-creds read and sent to the LLM");
  }

  /** Writes {@link #SECRET} (with a trailing newline, as {@code echo} would) to {@code dir/name}. */
  static Path secretFile(Path dir, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, SECRET + "\n", StandardCharsets.UTF_8);
    return file;
  }

  static byte[] secret() {
    return SECRET.getBytes(StandardCharsets.UTF_8);
  }
}
