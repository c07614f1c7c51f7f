package dev.vigil.app.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.llm.LlmConfig;
import dev.vigil.query.QueryApiConfig;
import dev.vigil.query.SigningKeys;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.detect.DetectorSettings;
import dev.vigil.streams.notify.NotifierSettings;
import dev.vigil.streams.notify.WebhookSettings;

/**
 * Every configuration key the services know, collected once from the config classes' {@code public static final
 * String} key constants (so a key added there shows up here without editing this class), plus the few keys the code
 * builds from parts (named OIDC issuers, LLM providers, detectors, webhooks) and passthrough families documented as
 * patterns ({@code vigil.proxy.kafka.producer.*}).
 *
 * <p>Pattern syntax: {@code *} is any non-empty rest of the key (passed to a client library), {@code <name>} is one
 * dotted segment chosen by the operator.
 */
public final class ConfigKeys {

  /** The config classes whose key constants are collected. */
  public static final List<Class<?>> CLASSES = List.of(ProxyConfig.class, LlmConfig.class, IndexerConfig.class,
      QueryApiConfig.class, SigningKeys.class, StreamsSettings.class, NotifierSettings.class);

  /**
   * Keys read by the code without a constant of their own (built from a string literal or from parts). Kept here by
   * hand; see the report in the deploy branch: these would be better as constants in their config classes.
   */
  static final Set<String> WITHOUT_CONSTANTS = Set.of(
      // OidcIssuerConfig: the named issuers' keys are built as "vigil.proxy.oidc.issuer." + name + "." + suffix
      "vigil.proxy.oidc.issuer.<name>.url", "vigil.proxy.oidc.issuer.<name>.audience",
      "vigil.proxy.oidc.issuer.<name>.username-claim", "vigil.proxy.oidc.issuer.<name>.username-prefix",
      "vigil.proxy.oidc.issuer.<name>.groups-claim", "vigil.proxy.oidc.issuer.<name>.groups-prefix",
      "vigil.proxy.oidc.issuer.<name>.ca-file",
      // DetectorSettings: the shared grace is the literal PREFIX + "grace"
      DetectorSettings.PREFIX + "grace",
      // Demo: string literals in Demo.java / DemoLlm.java
      "vigil.demo.dir", "vigil.demo.proxy.port", "vigil.demo.query.port", "vigil.demo.oidc.port",
      "vigil.demo.kafka.port", "vigil.demo.opensearch.port", "vigil.demo.kube-sim.port", "vigil.demo.llm-sim.port",
      "vigil.demo.kafka.partitions", "vigil.demo.token-ttl");

  /** The LLM providers LlmConfig reads ({@code LlmRoutes.ANTHROPIC/OPENAI} are package-private). */
  static final List<String> LLM_PROVIDERS = List.of("anthropic", "openai");

  private ConfigKeys() {}

  /** Every key and key pattern the code knows, sorted. */
  public static Set<String> all() {
    Set<String> out = new TreeSet<>();
    for (Class<?> c : CLASSES) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isPublic(m) || !Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType() != String.class) {
          continue;
        }
        String v = value(f);
        if (!v.startsWith("vigil.") || f.getName().startsWith("DEFAULT_")) {
          continue;
        }
        // a passthrough family: a value ending in "." (vigil.indexer.kafka.consumer.) or ProxyConfig.KAFKA_PRODUCER_PREFIX,
        // the one family constant without the trailing dot; *_PREFIX alone is no sign (INDEX_PREFIX is a key)
        boolean family = c == SigningKeys.class || v.endsWith(".") || f.getName().equals("KAFKA_PRODUCER_PREFIX");
        if (f.getName().equals("PREFIX") && c != SigningKeys.class) {
          continue; // a namespace (vigil.indexer.), not a key
        }
        if (c == NotifierSettings.class && f.getName().equals("WEBHOOKS")) {
          continue; // expanded below with WebhookSettings' property names
        }
        if (!family) {
          out.add(v);
        } else if (c == SigningKeys.class) {
          out.add(strip(v) + ".<key-id>");
        } else {
          out.add(strip(v) + ".*");
        }
      }
    }
    for (String p : LLM_PROVIDERS) {
      out.add(LlmConfig.Upstream.urlKey(p));
      out.add(LlmConfig.Upstream.keyFileKey(p));
    }
    for (Map.Entry<String, Set<String>> e : detectorSettings().entrySet()) {
      e.getValue().forEach(s -> out.add(DetectorSettings.PREFIX + e.getKey() + "." + s));
    }
    for (String p : List.of(WebhookSettings.URL, WebhookSettings.FORMAT, WebhookSettings.SECRET_FILE,
        WebhookSettings.MIN_SEVERITY, WebhookSettings.TYPES)) {
      out.add(NotifierSettings.WEBHOOKS + "<name>." + p);
    }
    out.addAll(WITHOUT_CONSTANTS);
    return out;
  }

  /** Whether {@code key} (a concrete key such as one set in a manifest) is one the code knows. */
  public static boolean isKnown(String key) {
    return all().stream().anyMatch(k -> matches(k, key));
  }

  /** Whether the concrete {@code key} matches {@code known} (an exact key or a pattern). */
  public static boolean matches(String known, String key) {
    if (!known.contains("*") && !known.contains("<")) {
      return known.equals(key);
    }
    String regex = Pattern.quote(known).replace("*", "\\E.+\\Q").replaceAll("<[a-z-]+>", "\\\\E[A-Za-z0-9:_-]+\\\\Q");
    return Pattern.matches(regex, key);
  }

  /** The environment variable of a concrete key (Settings' rule: upper case, {@code .} → {@code _}, {@code -} → {@code __}). */
  public static String env(String key) {
    return Settings.keyToEnv(key);
  }

  /** The key a {@code VIGIL_*} variable sets. */
  public static String keyOfEnv(String env) {
    return Settings.envToKey(env);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Set<String>> detectorSettings() {
    try {
      Field f = DetectorSettings.class.getDeclaredField("KNOWN"); // private: the per-detector setting names
      f.setAccessible(true);
      return (Map<String, Set<String>>) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("DetectorSettings.KNOWN changed: update ConfigKeys", e);
    }
  }

  private static String value(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String strip(String prefix) {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  /** Prints the keys (for writing docs/CONFIG.md). */
  public static void main(String[] args) {
    all().forEach(k -> System.out.println(k + "\t" + env(k)));
  }
}
