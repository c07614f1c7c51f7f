package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.masking.Fingerprinter;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/** What a caller under maskResponse receives, piece by piece: bodies, text streams, and the Accept it sends upstream. */
class ResponseMaskingTest {

  static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
      + "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\n";
  static Vertx vertx;
  final ResponseMasking masking = new ResponseMasking(new Fingerprinter(new byte[32]), 4096);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldDropProtobufFromAcceptAndAskForIdentityEncoding() {
    assertThat(HeaderPolicy.withoutProtobuf("application/vnd.kubernetes.protobuf, application/json"))
        .isEqualTo("application/json");
    assertThat(HeaderPolicy.withoutProtobuf("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
        + "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"))
        .isEqualTo("application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    assertThat(HeaderPolicy.withoutProtobuf("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
        + "application/vnd.kubernetes.protobuf")).isEqualTo("application/json;as=Table;v=v1;g=meta.k8s.io");
    assertThat(HeaderPolicy.withoutProtobuf("application/vnd.kubernetes.protobuf;stream=watch"))
        .isEqualTo("application/json");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/vnd.kubernetes.protobuf")
        .add("Accept-Encoding", "gzip");
    HeaderPolicy.askForMaskableResponse(headers);
    assertThat(headers.getAll("accept")).containsExactly("application/json");
    assertThat(headers.getAll("accept-encoding")).containsExactly("identity");
  }

  @Test
  void shouldMaskASecretBodyAndKeepAnUnmaskedBodyByteForByte() {
    String secret = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},"
        + "\"data\":{\"password\":\"czNjcjN0LXBAc3N3MHJk\"}}\n";
    ResponseMasking.Result r = masking.body("application/json", Buffer.buffer(secret), true);
    assertThat(r.changed()).isTrue();
    assertThat(r.bytes().toString()).contains("\"password\":\"masked:k8s-secret:").doesNotContain("czNjcjN0")
        .endsWith("}\n");
    assertThat(r.findings()).singleElement().satisfies(f -> assertThat(r.bytes().toString()).contains(f.getFingerprint()));

    String pretty = "{\n  \"kind\": \"ConfigMap\",\n  \"data\": {\"colour\": \"teal\"}\n}\n";
    ResponseMasking.Result same = masking.body("application/json", Buffer.buffer(pretty), false);
    assertThat(same.changed()).isFalse();
    assertThat(same.bytes().toString()).isEqualTo(pretty);
  }

  @Test
  void shouldRefuseWhatCannotBeMasked() {
    assertThat(masking.body("application/json", Buffer.buffer("x".repeat(4097)), false).refusal())
        .contains("larger than 4096 bytes");
    assertThat(masking.body("application/json", Buffer.buffer("{\"kind\":\"Secret\",\"data\":{\"p\":"), true).refusal())
        .contains("could not be parsed");
    assertThat(masking.body("application/vnd.kubernetes.protobuf", Buffer.buffer("k8s\0garbage"), false).refusal())
        .contains("protobuf");
  }

  @Test
  void shouldMaskBinaryBytesByteForByteAroundACredential() {
    Buffer b = Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'})
        .appendString("DB_PASSWORD=s3cr3t-p@ssw0rd\n").appendBytes(new byte[] {(byte) 0xc3, 0x28});
    ResponseMasking.Result r = masking.body("application/octet-stream", b, false);
    byte[] out = r.bytes().getBytes();
    assertThat(out[0]).isEqualTo((byte) 0xff);
    assertThat(out[out.length - 2]).isEqualTo((byte) 0xc3);
    assertThat(new String(out, StandardCharsets.ISO_8859_1)).contains("DB_PASSWORD=masked:generic-secret:")
        .doesNotContain("s3cr3t");
  }

  @Test
  void shouldMaskACredentialSplitAcrossTwoChunksOfAStream() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    TextStreamMasker m = onLoop(() -> masker(out, 5_000));
    onLoop(() -> {
      m.handle(Buffer.buffer("HOME=/root\nDB_PASSWORD=s3cr"));
      m.handle(Buffer.buffer("3t-p@ssw0rd\nPATH=/bin\n"));
      return null;
    });
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isEqualTo("HOME=/root\n");
    assertThat(out.get(1)).startsWith("DB_PASSWORD=masked:generic-secret:").endsWith("\nPATH=/bin\n");
  }

  @Test
  void shouldHoldAPrivateKeyBlockUntilItsEndLine() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    TextStreamMasker m = onLoop(() -> masker(out, 20));
    int cut = PEM.indexOf("VTLw");
    onLoop(() -> {
      m.handle(Buffer.buffer("key follows\n" + PEM.substring(0, cut)));
      return null;
    });
    Thread.sleep(200); // longer than the partial-line delay: a key block is held regardless
    assertThat(out).containsExactly("key follows\n");
    onLoop(() -> {
      m.handle(Buffer.buffer(PEM.substring(cut) + "done\n"));
      return null;
    });
    assertThat(out).hasSize(2);
    assertThat(out.get(1)).startsWith("masked:pem-private-key:").endsWith("done\n").doesNotContain("MIIE", "VTLw");
  }

  @Test
  void shouldRelayAPartialLineAfterTheDelayKeepingACutCharacterBack() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    TextStreamMasker m = onLoop(() -> masker(out, 30));
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    onLoop(() -> {
      m.handle(Buffer.buffer("$ price ").appendBytes(euro, 0, 2));
      return null;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (out.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(out).containsExactly("$ price ");
    onLoop(() -> {
      m.handle(Buffer.buffer().appendBytes(euro, 2, 1).appendString("\n"));
      return null;
    });
    assertThat(out).containsExactly("$ price ", "€\n");
    assertThat(TextStreamMasker.incompleteUtf8Tail(Buffer.buffer("ok"))).isZero();
  }

  @Test
  void shouldEndTheStreamWhenAnUnterminatedKeyBlockOutgrowsTheLimit() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    TextStreamMasker m = onLoop(() -> new TextStreamMasker(masking, null, vertx, 20, new TextStreamMasker.Output() {
      @Override
      public void emit(Buffer masked) {
        out.add(masked.toString());
      }

      @Override
      public void fail(String reason) {
        failures.add(reason);
      }
    }));
    onLoop(() -> {
      m.handle(Buffer.buffer("-----BEGIN PRIVATE KEY-----\n" + "QUJD\n".repeat(1000)));
      return null;
    });
    assertThat(failures).singleElement().asString().contains("private key block longer than 4096 bytes");
    assertThat(String.join("", out)).doesNotContain("QUJD");
  }

  private TextStreamMasker masker(List<String> out, long holdMillis) {
    return new TextStreamMasker(masking, null, vertx, holdMillis, new TextStreamMasker.Output() {
      @Override
      public void emit(Buffer masked) {
        out.add(masked.toString());
      }

      @Override
      public void fail(String reason) {
        out.add("FAILED: " + reason);
      }
    });
  }

  /** Runs on one event loop (the masker's timers fire there). */
  private static <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context().runOnContext(v -> {
      try {
        f.complete(action.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(10, TimeUnit.SECONDS);
  }

  private static io.vertx.core.Context context;

  private static synchronized io.vertx.core.Context context() {
    if (context == null) {
      context = vertx.getOrCreateContext();
    }
    return context;
  }
}
