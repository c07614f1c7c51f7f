package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.JsonObject;

/** The JWT attacks of the attack suite, against the fixture's dev OIDC issuer. */
final class ForgedTokens {

  private ForgedTokens() {}

  static String forge(GatewayFixture fx, String attack) throws Exception {
    JsonObject claims = fx.issuer.claims("attacker", List.of("system:masters"), Duration.ofMinutes(5));
    switch (attack) {
      case "alg none":
        return GatewayTest.unsigned(claims);
      case "HS256 keyed with the issuer's public key":
        return hs256WithIssuerPublicKey(fx, claims);
      case "expired":
        return fx.issuer.mint(claims.put("exp", Instant.now().minusSeconds(600).getEpochSecond()));
      case "wrong issuer":
        return fx.issuer.mint(claims.put("iss", "https://evil.example"));
      case "wrong audience":
        return fx.issuer.mint(claims.put("aud", "someone-else"));
      case "tampered payload, original signature":
        String genuine = fx.mint("attacker");
        String[] parts = genuine.split("\\.");
        JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .put("sub", "system:admin");
        return parts[0] + "." + b64(payload.encode()) + "." + parts[2];
      default:
        throw new IllegalArgumentException(attack);
    }
  }

  /** The key-confusion attack against the fixture's issuer: HS256 with its published RSA key (PEM) as secret. */
  private static String hs256WithIssuerPublicKey(GatewayFixture fx, JsonObject claims) throws Exception {
    JsonObject jwk = await(fx.vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET,
        java.net.URI.create(fx.issuer.jwksUrl()).getPort(), java.net.URI.create(fx.issuer.jwksUrl()).getHost(),
        java.net.URI.create(fx.issuer.jwksUrl()).getRawPath())
        .compose(r -> r.send()).compose(r -> r.body())).toJsonObject().getJsonArray("keys").getJsonObject(0);
    Base64.Decoder dec = Base64.getUrlDecoder();
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, dec.decode(jwk.getString("n"))), new BigInteger(1, dec.decode(jwk.getString("e")))));
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    String header = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", jwk.getString("kid")).encode());
    String signingInput = header + "." + b64(claims.encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(pem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
