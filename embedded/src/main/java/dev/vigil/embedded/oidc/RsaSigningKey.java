package dev.vigil.embedded.oidc;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.UUID;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * A development-only RS256 signing key with a key id: signs claims exactly as given and describes itself as a JWK.
 * Shared by {@link DevOidcIssuer} and test issuers that need several keys (rotation tests).
 */
public record RsaSigningKey(String kid, RSAPublicKey publicKey, JWTAuth jwt) {

  /** A fresh 2048-bit key with a random key id. */
  public static RsaSigningKey create(Vertx vertx) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair kp = g.generateKeyPair();
      String kid = UUID.randomUUID().toString();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(kp.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setId(kid).setBuffer(pem)));
      return new RsaSigningKey(kid, (RSAPublicKey) kp.getPublic(), auth);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create signing key", e);
    }
  }

  /** A JWT with exactly these claims (no timestamps added) and this key's {@code kid} in the header. */
  public String sign(JsonObject claims) {
    return jwt.generateToken(claims.copy(), new JWTOptions()
        .setAlgorithm("RS256")
        .setNoTimestamp(true)
        .setHeader(new JsonObject().put("kid", kid)));
  }

  /** The public key as a JWK for a JWKS document. */
  public JsonObject jwk() {
    return new JsonObject()
        .put("kty", "RSA")
        .put("kid", kid)
        .put("use", "sig")
        .put("alg", "RS256")
        .put("n", b64(publicKey.getModulus()))
        .put("e", b64(publicKey.getPublicExponent()));
  }

  /** The public key in PEM (SubjectPublicKeyInfo), as an issuer might publish it. */
  public String publicPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKey.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static String b64(BigInteger v) {
    byte[] bytes = v.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      byte[] trimmed = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
      bytes = trimmed;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "RsaSigningKey{kid=" + kid + ", private key=****}";
  }
}
