package dev.vigil.indexer;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.common.ConfigException;

/** Parsing and validation of single {@code vigil.indexer.*} values; every failure names the key. */
final class ConfigValues {

  private static final Pattern INDEX_NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,200}");
  private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,10})\\s*(b|k|kb|kib|m|mb|mib)?");
  private static final long MIN_BATCH_BYTES = 1024;
  private static final long MAX_BATCH_BYTES = 1024L * 1024 * 1024;

  private ConfigValues() {}

  /** A size in bytes: a number, optionally with a unit {@code b}, {@code k}/{@code kb}/{@code kib}, {@code m}/{@code mb}/{@code mib} (1024-based). */
  static long byteSize(String key, String value, long defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    Matcher m = BYTE_SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException("Setting " + key + " must be a size such as 5242880, 512k or 5m, was '" + value + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long bytes = Long.parseLong(m.group(1)) * (unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1);
    if (bytes < MIN_BATCH_BYTES || bytes > MAX_BATCH_BYTES) {
      throw new ConfigException("Setting " + key + " must be between 1k and 1024m, was '" + value + "'");
    }
    return bytes;
  }

  static Duration positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException("Setting " + key + " must be a positive duration, was " + d);
    }
    return d;
  }

  static String nonBlank(String key, String v) {
    if (v == null || v.isBlank()) {
      throw new ConfigException("Setting " + key + " must not be blank");
    }
    return v.strip();
  }

  static String indexName(String key, String v) {
    if (!INDEX_NAME_PATTERN.matcher(v.strip()).matches()) {
      throw new ConfigException("Setting " + key + " must be a lower-case index name ([a-z0-9][a-z0-9._-]*), was '" + v + "'");
    }
    return v.strip();
  }

  static IndexerConfig.RetentionMode retentionMode(String v) {
    try {
      return IndexerConfig.RetentionMode.valueOf(v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Setting " + IndexerConfig.RETENTION_MODE + " must be auto, ism, task or off, was '" + v + "'");
    }
  }
}
