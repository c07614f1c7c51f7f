package dev.vigil.streams.session;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

import dev.vigil.common.ConfigException;
import dev.vigil.schema.chain.Ed25519Keys;

/** Ed25519 with the JDK's {@code Signature.getInstance("Ed25519")}; one {@link Signature} per call (thread-safe). */
public final class Ed25519Signer implements DigestSigner {

  private final PrivateKey key;
  private final String keyId;

  public Ed25519Signer(PrivateKey key, String keyId) {
    this.key = Objects.requireNonNull(key, "key");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    if (!Ed25519Keys.ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
      throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm());
    }
    sign(new byte[0]); // a key the provider refuses fails here, at start, not at the first close
  }

  /**
   * Loads the PKCS#8 PEM key in {@code file}; a missing, unreadable or non-Ed25519 file is a {@link ConfigException}
   * naming {@code settingKey}.
   */
  public static Ed25519Signer fromFile(String settingKey, Path file, String keyId) {
    try {
      return new Ed25519Signer(Ed25519Keys.readPrivateKey(file), keyId);
    } catch (IOException e) {
      throw new ConfigException("Setting " + settingKey + ": cannot read " + file + ": " + e);
    } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException("Setting " + settingKey + ": " + file + " is not a PKCS#8 PEM Ed25519 private key: "
          + e.getMessage());
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Ed25519Signer{keyId=" + keyId + "}";
  }
}
