package dev.vigil.bench.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.schema.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The bench's upstream side, in its own JVM (so neither the load driver nor the proxies share its GC): kube-sim over
 * TLS accepting only the gateway token and seeded with the bench's objects, the dev OIDC issuer (one caller token
 * minted into a file), and an embedded Kafka broker with the events topic. Writes {@code upstream.properties} into the
 * work directory when ready; stops when its stdin closes (the bench ended or died).
 * Usage: {@code BenchUpstream <work-dir>}; reads {@code tls/kube-sim.crt|key} and {@code gateway.token} from it.
 */
public final class BenchUpstream {

  static final String READY_FILE = "upstream.properties";
  static final String CALLER_TOKEN_FILE = "caller.token";

  private BenchUpstream() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Vertx vertx = Vertx.vertx();
    String token = Files.readString(dir.resolve(Topology.GATEWAY_TOKEN_FILE), StandardCharsets.UTF_8).strip();
    KubeSim sim = await(KubeSim.start(vertx, new KubeSimOptions().setHost("127.0.0.1").setPort(0)
        .setKeyCert(new PemKeyCertOptions().setCertPath(dir.resolve("tls/kube-sim.crt").toString())
            .setKeyPath(dir.resolve("tls/kube-sim.key").toString()))
        .addToken(token).setMaxRecordedRequests(100)));
    DevOidcIssuer issuer = await(DevOidcIssuer.start(vertx, 0));
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDefaultPartitions(3)
        .withDataDir(dir.resolve("kafka")));
    try {
      kafka.createTopic(Topics.EVENTS);
      new BenchSeed(vertx, Files.readString(dir.resolve("ca.crt"), StandardCharsets.UTF_8), sim.port(), token).seed();
      writeSecret(dir.resolve(CALLER_TOKEN_FILE),
          issuer.mint("bench-agent", List.of("agents", "bench"), Duration.ofHours(6)));
      Properties p = new Properties();
      p.setProperty("kube-sim.port", Integer.toString(sim.port()));
      p.setProperty("oidc.issuer", issuer.issuerUrl());
      p.setProperty("kafka.bootstrap", kafka.bootstrapServers());
      Path tmp = dir.resolve(READY_FILE + ".tmp");
      try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "BenchUpstream");
      }
      Files.move(tmp, dir.resolve(READY_FILE), StandardCopyOption.ATOMIC_MOVE);
      System.out.println("bench upstream ready: kube-sim on " + sim.port() + ", kafka " + kafka.bootstrapServers());
      drain(System.in);
    } finally {
      kafka.close();
      await(sim.close());
      await(issuer.close());
      await(vertx.close());
    }
  }

  static void writeSecret(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardCharsets.UTF_8);
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
  }

  private static void drain(InputStream in) throws IOException {
    byte[] b = new byte[256];
    while (in.read(b) >= 0) {
      // the parent never writes; EOF means it is gone
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
