package dev.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/CONFIG.md lists exactly the keys the code knows ({@link ConfigKeys}), each with its environment variable. */
class ConfigReferenceSyncTest {

  /** A table row: | `key` | `ENV` | default | meaning |. */
  private static final Pattern ROW = Pattern.compile("^\\| `(vigil\\.[^`]+)` \\| `([^`]+)` \\| ([^|]+) \\| ([^|]+) \\|$");

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/CONFIG.md")) && !Files.exists(p.resolve("app/pom.xml"))) {
      p = p.getParent();
    }
    return p;
  }

  static Map<String, String> documented() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(repo().resolve("docs/CONFIG.md"))) {
      Matcher m = ROW.matcher(line.strip());
      if (m.matches()) {
        assertThat(out.put(m.group(1), m.group(2))).as("listed twice: %s", m.group(1)).isNull();
        assertThat(m.group(3).strip()).as("default of %s", m.group(1)).isNotEmpty();
        assertThat(m.group(4).strip()).as("meaning of %s", m.group(1)).isNotEmpty();
      } else if (line.startsWith("| `vigil.")) {
        throw new AssertionError("malformed row in docs/CONFIG.md: " + line);
      }
    }
    return out;
  }

  @Test
  void everyKeyInTheCodeIsDocumented() throws IOException {
    assertThat(documented().keySet()).as("keys in docs/CONFIG.md")
        .containsAll(ConfigKeys.all());
  }

  @Test
  void everyDocumentedKeyIsKnownToTheCode() throws IOException {
    TreeSet<String> unknown = new TreeSet<>(documented().keySet());
    unknown.removeAll(ConfigKeys.all());
    assertThat(unknown).as("keys in docs/CONFIG.md the code does not know").isEmpty();
  }

  @Test
  void environmentVariablesFollowTheSettingsRule() throws IOException {
    documented().forEach((key, env) -> assertThat(env).as("variable of %s", key).isEqualTo(ConfigKeys.env(key)));
  }

  @Test
  void keyCollectionSeesConstantsAndFamilies() {
    // guards the reflection in ConfigKeys: a constant, a derived key, a family, a key built by hand
    assertThat(ConfigKeys.all()).contains("vigil.proxy.port", "vigil.indexer.index-prefix", "vigil.proxy.kafka.producer.*",
        "vigil.streams.kafka.*", "vigil.query.signing.public-keys.<key-id>", "vigil.proxy.llm.openai.url",
        "vigil.streams.detect.mass-delete.threshold", "vigil.streams.notify.webhooks.<name>.url")
        .doesNotContain("vigil.indexer.", "vigil.indexer.index-prefix.*", "vigil.proxy.llm.");
    assertThat(ConfigKeys.isKnown("vigil.proxy.kafka.producer.bootstrap.servers")).isTrue();
    assertThat(ConfigKeys.isKnown("vigil.query.signing.public-keys.vigil-2025-1")).isTrue();
    assertThat(ConfigKeys.isKnown("vigil.proxy.oidc.issuer.dex.url")).isTrue();
    assertThat(ConfigKeys.isKnown("vigil.proxy.kafka.producer")).isFalse();
    assertThat(ConfigKeys.isKnown("vigil.proxy.prot")).isFalse();
  }
}
