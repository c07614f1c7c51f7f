package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.transport.OpenSearchTransport;

import dev.vigil.common.Settings;
import dev.vigil.indexer.OpenSearchClients;
import dev.vigil.query.QueryApiConfig;

/** Every API route is in openapi.json with its method, and the document describes no route that does not exist. */
class OpenApiDocumentTest {

  private final Vertx vertx = Vertx.vertx();
  private final OpenSearchTransport transport = OpenSearchClients.transport("http://127.0.0.1:9", null, null,
      Duration.ofSeconds(1));

  @AfterEach
  void close() throws Exception {
    transport.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static Set<String> operations(JsonObject doc) {
    Set<String> out = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        out.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return out;
  }

  @Test
  void shouldDocumentEveryRouteAndOnlyThose() {
    QueryApiConfig config = QueryApiConfig.from(Settings.of(Map.of("vigil.query.oidc.issuer", "http://127.0.0.1:9")));
    Router router = Router.router(vertx);
    ApiRouter.mount(router, Backend.create(config, new Store(vertx, new OpenSearchAsyncClient(transport))));
    Set<String> routes = new TreeSet<>();
    routes.add("GET /api/openapi.json"); // served by QueryApiServer before authentication
    for (Route route : router.getRoutes()) {
      String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod m : route.methods()) {
        routes.add(m.name() + " " + path);
      }
    }
    JsonObject doc = OpenApiHandler.load();
    assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    assertThat(routes).hasSize(11);
    assertThat(operations(doc)).containsExactlyInAnyOrderElementsOf(routes);
  }

  @Test
  void shouldResolveEveryReference() {
    JsonObject doc = OpenApiHandler.load();
    String text = doc.encode();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"#/components/(schemas|responses)/([A-Za-z]+)\"")
        .matcher(text);
    int refs = 0;
    while (m.find()) {
      refs++;
      assertThat(doc.getJsonObject("components").getJsonObject(m.group(1)).containsKey(m.group(2)))
          .as(m.group()).isTrue();
    }
    assertThat(refs).isGreaterThan(20);
  }
}
