package dev.vigil.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.chain.Ed25519Keys;

/**
 * The Ed25519 public keys that verify closed sessions' signatures, by {@code signingKeyId}: one setting
 * {@code vigil.query.signing.public-keys.<keyId>=<PEM file>} per key (an X.509 {@code PUBLIC KEY}, as from
 * {@code openssl pkey -pubout}). Keep retired keys configured: sessions signed with them stay verifiable.
 */
public final class SigningKeys {

  public static final String PREFIX = QueryApiConfig.PREFIX + "signing.public-keys.";
  /** The stream processors' {@code signing.key-id} syntax. */
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Map<String, PublicKey> keys;

  private SigningKeys(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  /** Reads every {@code vigil.query.signing.public-keys.*} file; a bad id or file names the key. */
  static SigningKeys from(Settings s) {
    Map<String, PublicKey> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : s.withPrefix(PREFIX).entrySet()) {
      String setting = PREFIX + e.getKey();
      if (!KEY_ID.matcher(e.getKey()).matches()) {
        throw new ConfigException("Setting " + setting + ": the key id must be 1-128 of [A-Za-z0-9._:-]");
      }
      Path file = Path.of(String.valueOf(e.getValue()).strip());
      try {
        out.put(e.getKey(), Ed25519Keys.parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII)));
      } catch (IOException ex) {
        throw new ConfigException("Setting " + setting + ": cannot read " + file + ": " + ex);
      } catch (GeneralSecurityException | IllegalArgumentException ex) {
        throw new ConfigException("Setting " + setting + ": " + file + " is not a PEM Ed25519 public key: " + ex.getMessage());
      }
    }
    return new SigningKeys(out);
  }

  /** No key: signatures cannot be checked ({@code signatureValid} null). */
  public static SigningKeys none() {
    return new SigningKeys(Map.of());
  }

  public static SigningKeys of(Map<String, PublicKey> keys) {
    return new SigningKeys(keys);
  }

  /** The key named {@code keyId}, or null. */
  public PublicKey get(String keyId) {
    return keyId == null ? null : keys.get(keyId);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  @Override
  public String toString() {
    return new TreeMap<>(keys).keySet().toString();
  }
}
