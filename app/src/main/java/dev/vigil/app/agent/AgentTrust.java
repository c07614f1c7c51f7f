package dev.vigil.app.agent;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS trust for the demo agent's JDK HTTP client: the demo CA (PEM) only, or the JVM's defaults. */
public final class AgentTrust {

  private AgentTrust() {}

  /** An SSL context trusting exactly the certificates in {@code caPem}; the JVM default when it is null. */
  public static SSLContext sslContext(String caPem) throws GeneralSecurityException {
    if (caPem == null) {
      return SSLContext.getDefault();
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot create an empty key store", e);
    }
    int i = 0;
    for (Certificate c : CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    if (i == 0) {
      throw new GeneralSecurityException("no certificate in the CA file");
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
