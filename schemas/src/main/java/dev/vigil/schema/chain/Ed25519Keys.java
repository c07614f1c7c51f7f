package dev.vigil.schema.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys as PEM, the form OpenSSL reads and writes: a PKCS#8 {@code PRIVATE KEY} (as from
 * {@code openssl genpkey -algorithm ed25519}) and an X.509 SubjectPublicKeyInfo {@code PUBLIC KEY} (as from
 * {@code openssl pkey -pubout}). JDK only.
 */
public final class Ed25519Keys {

  public static final String ALGORITHM = "Ed25519";
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";

  private Ed25519Keys() {}

  /** A fresh key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required of every Java 15+ runtime", e);
    }
  }

  public static String toPem(PrivateKey key) {
    return pem(PRIVATE, key.getEncoded());
  }

  public static String toPem(PublicKey key) {
    return pem(PUBLIC, key.getEncoded());
  }

  /** Reads a PKCS#8 PEM Ed25519 private key; IOException or GeneralSecurityException say what is wrong. */
  public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static PrivateKey parsePrivateKey(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(PRIVATE, pem)));
  }

  public static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(PUBLIC, pem)));
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String type, String pem) throws GeneralSecurityException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new GeneralSecurityException("not a PEM '" + type + "' (expected " + begin + " ... " + end + ")");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new GeneralSecurityException("bad base64 in the PEM '" + type + "': " + ex.getMessage(), ex);
    }
  }
}
