package dev.vigil.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Vigil's one configuration loader, shared by every service: a properties file, then environment overrides, then
 * explicit overrides (command-line {@code -Dvigil.*} style). Keys are lower-case and dotted ({@code vigil.proxy.port});
 * the environment variable for a key is its upper-case form with dots as underscores and dashes as double
 * underscores ({@code VIGIL_PROXY_PORT}). Prefixed keys are passed straight through to client libraries
 * ({@link #withPrefix(String)}), as Strimzi's bridge does for {@code kafka.producer.*}.
 *
 * <p>Accessors validate and name the offending key. {@link #toString()} masks every value whose key looks secret.
 */
public final class Settings {

  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|credential|sasl\\.jaas|private|apikey|api-key|keystore|truststore\\.password).*|(?i).*(^|\\.)key");

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  /**
   * Loads {@code file} (may be null), applies {@code VIGIL_*} variables from {@code env}, then {@code overrides}.
   */
  public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage());
      }
      p.stringPropertyNames().forEach(k -> merged.put(k.strip(), p.getProperty(k).strip()));
    }
    env.forEach((k, v) -> {
      if (k.startsWith("VIGIL_")) {
        merged.put(envToKey(k), v);
      }
    });
    merged.putAll(overrides);
    return new Settings(merged);
  }

  /** {@code VIGIL_PROXY_KAFKA_PRODUCER_BOOTSTRAP_SERVERS} → {@code vigil.proxy.kafka.producer.bootstrap.servers}. */
  public static String envToKey(String env) {
    return env.toLowerCase(Locale.ROOT).replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
  }

  public static String keyToEnv(String key) {
    return key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
  }

  /** A copy with {@code extra} applied over these values (extra wins). */
  public Settings with(Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>(values);
    m.putAll(extra);
    return new Settings(m);
  }

  /** A copy where {@code defaults} fill in only the keys these settings do not have. */
  public Settings withDefaults(Map<String, String> defaults) {
    Map<String, String> m = new LinkedHashMap<>(defaults);
    m.putAll(values);
    return new Settings(m);
  }

  public boolean has(String key) {
    String v = values.get(key);
    return v != null && !v.isBlank();
  }

  public String get(String key, String defaultValue) {
    return has(key) ? values.get(key) : defaultValue;
  }

  public String required(String key) {
    if (!has(key)) {
      throw new ConfigException("Missing required setting " + key + " (env " + keyToEnv(key) + ")");
    }
    return values.get(key);
  }

  public int getInt(String key, int defaultValue, int min, int max) {
    if (!has(key)) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(values.get(key).strip());
      if (v < min || v > max) {
        throw new ConfigException("Setting " + key + " must be between " + min + " and " + max + ", was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException("Setting " + key + " must be an integer, was '" + values.get(key) + "'");
    }
  }

  public long getLong(String key, long defaultValue, long min, long max) {
    if (!has(key)) {
      return defaultValue;
    }
    try {
      long v = Long.parseLong(values.get(key).strip());
      if (v < min || v > max) {
        throw new ConfigException("Setting " + key + " must be between " + min + " and " + max + ", was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException("Setting " + key + " must be an integer, was '" + values.get(key) + "'");
    }
  }

  /** A port, 0 meaning "any free port". */
  public int getPort(String key, int defaultValue) {
    return getInt(key, defaultValue, 0, 65535);
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    if (!has(key)) {
      return defaultValue;
    }
    String v = values.get(key).strip().toLowerCase(Locale.ROOT);
    switch (v) {
      case "true": case "yes": case "on": case "1": return true;
      case "false": case "no": case "off": case "0": return false;
      default: throw new ConfigException("Setting " + key + " must be true or false, was '" + values.get(key) + "'");
    }
  }

  /** A duration as ISO-8601 ({@code PT30S}) or a number with unit {@code ms}, {@code s}, {@code m}, {@code h}. */
  public Duration getDuration(String key, Duration defaultValue) {
    if (!has(key)) {
      return defaultValue;
    }
    String v = values.get(key).strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        default: break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      // fall through to the error below
    }
    throw new ConfigException("Setting " + key + " must be a duration such as 500ms, 30s, 5m or PT30S, was '" + values.get(key) + "'");
  }

  public Path getPath(String key, Path defaultValue) {
    return has(key) ? Path.of(values.get(key)) : defaultValue;
  }

  /** Every key under {@code prefix} with the prefix removed, e.g. for passing {@code kafka.producer.*} to a client. */
  public Map<String, Object> withPrefix(String prefix) {
    String p = prefix.endsWith(".") ? prefix : prefix + ".";
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(p) && k.length() > p.length()) {
        out.put(k.substring(p.length()), v);
      }
    });
    return out;
  }

  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Settings{");
    String sep = "";
    for (Map.Entry<String, String> e : values.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(isSecretKey(e.getKey()) ? "****" : e.getValue());
      sep = ", ";
    }
    return sb.append('}').toString();
  }
}
