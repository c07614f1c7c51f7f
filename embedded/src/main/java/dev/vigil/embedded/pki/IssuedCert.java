package dev.vigil.embedded.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * A certificate issued by {@link DevPki}: {@code certPem} holds the leaf followed by the CA certificate,
 * {@code keyPem} the PKCS#8 private key.
 */
public record IssuedCert(String certPem, String keyPem, X509Certificate certificate) {

  public PemKeyCertOptions pemKeyCertOptions() {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(certPem, "UTF-8"))
        .addKeyValue(Buffer.buffer(keyPem, "UTF-8"));
  }

  /** Writes {@code <baseName>.crt} and {@code <baseName>.key} (owner-only) into {@code dir}. */
  public Paths writeTo(Path dir, String baseName) {
    try {
      Files.createDirectories(dir);
      Path cert = dir.resolve(baseName + ".crt");
      Path key = dir.resolve(baseName + ".key");
      Files.writeString(cert, certPem, StandardCharsets.UTF_8);
      Path tmp;
      try {
        tmp = Files.createTempFile(dir, ".tmp-", ".key",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        tmp = Files.createTempFile(dir, ".tmp-", ".key");
      }
      Files.writeString(tmp, keyPem, StandardCharsets.UTF_8);
      Files.move(tmp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Paths(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "IssuedCert{subject=" + certificate.getSubjectX500Principal() + ", key=****}";
  }

  /** Where {@link #writeTo} put the files. */
  public record Paths(Path certFile, Path keyFile) {}
}
