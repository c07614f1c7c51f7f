package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.proxy.OidcIssuerConfig;
import dev.vigil.proxy.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The OIDC issuers the gateway trusts, by issuer identifier ({@code iss}). A token is verified only with the keys of
 * the issuer its {@code iss} names, then validated and mapped with that issuer's rules. Every issuer is discovered at
 * start (the gateway does not start if one cannot be), then its keys are refreshed as {@link OidcKeys} describes.
 */
final class TrustedIssuers {

  /** One trusted issuer: its configuration, its keys, its claim rules. */
  record Issuer(OidcIssuerConfig config, OidcKeys keys, ClaimsValidator claims) {}

  private final Map<String, Issuer> byIssuer;

  TrustedIssuers(List<Issuer> issuers) {
    Map<String, Issuer> m = new LinkedHashMap<>();
    for (Issuer i : issuers) {
      if (m.putIfAbsent(i.keys().issuer(), i) != null) {
        throw new IllegalArgumentException("two configured issuers announce the same identifier " + i.keys().issuer());
      }
    }
    this.byIssuer = m;
  }

  static Future<TrustedIssuers> discover(Vertx vertx, ProxyConfig config) {
    long min = config.jwksMinRefreshInterval().toMillis();
    long period = config.jwksRefreshInterval().toMillis();
    List<Future<Issuer>> pending = new ArrayList<>();
    for (OidcIssuerConfig c : config.oidcIssuers()) {
      pending.add(OidcKeys.discover(vertx, c, config.oidcAllowInsecureHttp(), min, period)
          .map(keys -> new Issuer(c, keys, new ClaimsValidator(keys.issuer(), c, config.clockSkew().toSeconds())))
          .recover(err -> Future.failedFuture(new IllegalStateException("OIDC issuer '" + c.name() + "' ("
              + c.key("url") + "=" + c.url() + "): " + err.getMessage(), err))));
    }
    return Future.join(pending).transform(ar -> {
      List<Issuer> ready = new ArrayList<>();
      for (Future<Issuer> f : pending) {
        if (f.succeeded()) {
          ready.add(f.result());
        }
      }
      if (ar.failed()) {
        ready.forEach(i -> i.keys().close());
        return Future.failedFuture(ar.cause());
      }
      try {
        return Future.succeededFuture(new TrustedIssuers(ready));
      } catch (IllegalArgumentException e) {
        ready.forEach(i -> i.keys().close());
        return Future.failedFuture(e);
      }
    });
  }

  /** The issuer whose identifier is exactly {@code iss}, or null when it is not trusted. */
  Issuer forIssuer(Object iss) {
    return iss instanceof String ? byIssuer.get(iss) : null;
  }

  /** The discovered identifiers, in configuration order. */
  List<String> identifiers() {
    return List.copyOf(byIssuer.keySet());
  }

  void close() {
    byIssuer.values().forEach(i -> i.keys().close());
  }
}
