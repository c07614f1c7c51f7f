package dev.vigil.proxy.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.vigil.common.ConfigException;

/**
 * The gateway's API key for one provider, read from its key file (surrounding whitespace removed). It is sent upstream
 * only; never logged, recorded or shown: {@link #toString()} hides it.
 */
public final class ProviderKey {

  private final String value;
  private final Path file;

  private ProviderKey(String value, Path file) {
    this.value = value;
    this.file = file;
  }

  /** Reads the key file named by setting {@code key}; a missing, empty or multi-line key is a configuration error. */
  static ProviderKey read(Path file, String key) {
    String v;
    try {
      v = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("Setting " + key + " names a key file that cannot be read: " + file);
    }
    if (v.isEmpty()) {
      throw new ConfigException("Setting " + key + " names an empty key file: " + file);
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new ConfigException("Setting " + key + " names a key file whose key is not one line of visible ASCII: " + file);
      }
    }
    return new ProviderKey(v, file);
  }

  /** The key itself: only for the upstream request header. */
  String value() {
    return value;
  }

  @Override
  public String toString() {
    return "ProviderKey{file=" + file + ", key=****}";
  }
}
