package dev.vigil.streams.notify;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;

/**
 * One configured webhook ({@code vigil.streams.notify.webhooks.<name>.*}). The URL may itself be a secret (a Slack
 * incoming-webhook URL is one), so it is never shown in full: {@link #redactedUrl()} keeps only scheme, host and port,
 * and neither {@link #toString()} nor any error message built here contains the path, the query or the HMAC key.
 *
 * @param name the {@code <name>} of the keys, used in logs, stats and dead letters
 * @param url the endpoint (http or https)
 * @param format the body format
 * @param secret the HMAC-SHA256 key (the secret file's content, trailing whitespace removed), or null (Slack only)
 * @param minSeverity alerts below it are not sent
 * @param types alert types sent; empty = all
 */
public record WebhookSettings(String name, URI url, Format format, byte[] secret, Severity minSeverity, Set<String> types) {

  /** The body format of a webhook. */
  public enum Format { JSON, SLACK }

  public static final String URL = "url";
  public static final String FORMAT = "format";
  public static final String SECRET_FILE = "secret-file";
  public static final String MIN_SEVERITY = "min-severity";
  public static final String TYPES = "types";
  static final Set<String> PROPERTIES = Set.of(URL, FORMAT, SECRET_FILE, MIN_SEVERITY, TYPES);
  /** Shortest accepted HMAC key: 16 bytes (generate one with {@code openssl rand -hex 32}). */
  static final int MIN_SECRET_BYTES = 16;

  public WebhookSettings {
    types = Set.copyOf(types);
    secret = secret == null ? null : secret.clone();
  }

  /** Reads webhook {@code name}; {@code prefix} is {@code vigil.streams.notify.webhooks.<name>.}. */
  static WebhookSettings read(String name, String prefix, Settings s) {
    URI url = url(prefix + URL, s.required(prefix + URL));
    Format format = format(prefix + FORMAT, s.get(prefix + FORMAT, "json"));
    byte[] secret = s.has(prefix + SECRET_FILE) ? secret(prefix + SECRET_FILE, s.getPath(prefix + SECRET_FILE, null)) : null;
    if (secret == null && format == Format.JSON) {
      throw new ConfigException("Missing required setting " + prefix + SECRET_FILE + " (env " + Settings.keyToEnv(prefix + SECRET_FILE)
          + "): a json webhook must be signed");
    }
    Severity min = severity(prefix + MIN_SEVERITY, s.get(prefix + MIN_SEVERITY, Severity.LOW.name()));
    Set<String> types = new LinkedHashSet<>();
    Arrays.stream(s.get(prefix + TYPES, "").split(",")).map(String::strip).filter(t -> !t.isEmpty()).forEach(types::add);
    return new WebhookSettings(name, url, format, secret, min, types);
  }

  /** A copy of the HMAC key, or null. */
  @Override
  public byte[] secret() {
    return secret == null ? null : secret.clone();
  }

  /** Whether {@code alert} passes this webhook's severity and type filters. */
  public boolean accepts(Alert alert) {
    return alert.getSeverity().ordinal() >= minSeverity.ordinal() && (types.isEmpty() || types.contains(alert.getType()));
  }

  /** {@code scheme://host[:port]/…}: what logs and {@link #toString()} show instead of the URL. */
  public String redactedUrl() {
    return redact(url);
  }

  static String redact(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "" : "/…";
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + path
        + (url.getRawQuery() == null ? "" : "?…");
  }

  private static URI url(String key, String value) {
    URI u;
    try {
      u = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException("Setting " + key + " is not a valid URL (value not shown: it may hold a secret)");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
      throw new ConfigException("Setting " + key + " must be an absolute http or https URL (value not shown: it may hold a secret)");
    }
    if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
      throw new ConfigException("Setting " + key + " must not contain user info or a fragment (" + redact(u) + ")");
    }
    return u;
  }

  private static Format format(String key, String value) {
    try {
      return Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Setting " + key + " must be json or slack, was '" + value + "'");
    }
  }

  static Severity severity(String key, String value) {
    try {
      return Severity.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Setting " + key + " must be one of LOW, MEDIUM, HIGH, CRITICAL, was '" + value + "'");
    }
  }

  private static byte[] secret(String key, Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("Setting " + key + ": cannot read the secret file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    byte[] secret = content.getBytes(StandardCharsets.UTF_8);
    if (secret.length < MIN_SECRET_BYTES) {
      throw new ConfigException("Setting " + key + ": the secret in " + file + " must be at least " + MIN_SECRET_BYTES
          + " bytes (e.g. openssl rand -hex 32 > " + file + ")");
    }
    return secret;
  }

  @Override
  public String toString() {
    return name + "{url=" + redactedUrl() + ", format=" + format.name().toLowerCase(Locale.ROOT)
        + ", signed=" + (secret != null) + ", minSeverity=" + minSeverity + (types.isEmpty() ? "" : ", types=" + types) + '}';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSettings w && name.equals(w.name) && url.equals(w.url) && format == w.format
        && Arrays.equals(secret, w.secret) && minSeverity == w.minSeverity && types.equals(w.types);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
