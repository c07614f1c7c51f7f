package dev.vigil.bench.proxy;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Creates the bench's objects in kube-sim through its API: one small ConfigMap to GET, {@link RequestMix#LIST_SIZE}
 * ConfigMaps (~200-byte payload each) to LIST, one ConfigMap to watch, and the namespace creates go to (dry run).
 */
final class BenchSeed {

  private static final int BATCH = 25;

  private final WebClient client;
  private final String auth;

  BenchSeed(Vertx vertx, String caPem, int port, String token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)))
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.auth = "Bearer " + token;
  }

  void seed() throws Exception {
    for (String ns : List.of(RequestMix.GET_NAMESPACE, RequestMix.LIST_NAMESPACE, RequestMix.CREATE_NAMESPACE,
        RequestMix.WATCH_NAMESPACE)) {
      create("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns
          + "\"}}");
    }
    String small = "x".repeat(64);
    createConfigMap(RequestMix.GET_NAMESPACE, "small", small);
    createConfigMap(RequestMix.WATCH_NAMESPACE, RequestMix.WATCHED_NAME, small);
    String item = "y".repeat(200);
    for (int i = 0; i < RequestMix.LIST_SIZE; i += BATCH) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(RequestMix.LIST_SIZE, i + BATCH); j++) {
        batch.add(send("/api/v1/namespaces/" + RequestMix.LIST_NAMESPACE + "/configmaps",
            RequestMix.configMap(String.format("item-%04d", j), RequestMix.LIST_NAMESPACE, item)));
      }
      BenchUpstream.await(Future.all(batch));
    }
    client.close();
  }

  private void createConfigMap(String ns, String name, String payload) throws Exception {
    create("/api/v1/namespaces/" + ns + "/configmaps", RequestMix.configMap(name, ns, payload));
  }

  private void create(String path, String json) throws Exception {
    BenchUpstream.await(send(path, json));
  }

  private Future<Void> send(String path, String json) {
    return client.post(path).putHeader("Authorization", auth).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(json)).compose(BenchSeed::created);
  }

  private static Future<Void> created(HttpResponse<Buffer> r) {
    return r.statusCode() == 201 ? Future.succeededFuture()
        : Future.failedFuture("kube-sim refused a seed object: HTTP " + r.statusCode() + " " + r.bodyAsString());
  }
}
