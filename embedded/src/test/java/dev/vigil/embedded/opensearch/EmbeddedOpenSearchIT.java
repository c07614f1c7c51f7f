package dev.vigil.embedded.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.junit.FreePorts;
import dev.vigil.embedded.junit.OpenSearchExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(OpenSearchExtension.class)
class EmbeddedOpenSearchIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedOpenSearch openSearch;

    EmbeddedOpenSearchIT(EmbeddedOpenSearch openSearch) {
        this.openSearch = openSearch;
    }

    @Test
    void shouldIndexRefreshAndSearchADocument() throws Exception {
        String index = "it-" + UUID.randomUUID();
        HttpResponse<String> indexed = send("PUT", "/" + index + "/_doc/1",
                new JsonObject().put("message", "hello vigil").put("verb", "get"));
        assertThat(indexed.statusCode()).isEqualTo(201);

        assertThat(send("POST", "/" + index + "/_refresh", null).statusCode()).isEqualTo(200);

        HttpResponse<String> found = send("POST", "/" + index + "/_search",
                new JsonObject().put("query", new JsonObject().put("match", new JsonObject().put("message", "vigil"))));
        assertThat(found.statusCode()).isEqualTo(200);
        JsonObject hits = new JsonObject(found.body()).getJsonObject("hits");
        assertThat(hits.getJsonObject("total").getInteger("value")).isEqualTo(1);
        assertThat(hits.getJsonArray("hits").getJsonObject(0).getJsonObject("_source").getString("message"))
                .isEqualTo("hello vigil");
    }

    @Test
    void shouldCreateGreenIndicesOnItsSingleNode() throws Exception {
        String index = "it-" + UUID.randomUUID();
        assertThat(send("PUT", "/" + index, null).statusCode()).isEqualTo(200);

        HttpResponse<String> health = send("GET", "/_cluster/health/" + index + "?wait_for_status=green&timeout=30s", null);

        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("green");
    }

    @Test
    void shouldRunASecondNodeInTheSameJvmAndReleaseItsPortAndDirectoryOnClose() throws Exception {
        EmbeddedOpenSearch second = EmbeddedOpenSearch.start(
                EmbeddedOpenSearch.Options.defaults().withClusterName("vigil-second"));
        int port = second.httpPort();
        Path home = second.dataDir();
        assertThat(port).isNotEqualTo(openSearch.httpPort());
        assertThat(second.httpUrl()).isEqualTo("http://127.0.0.1:" + port);

        HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(URI.create(second.httpUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(new JsonObject(root.body()).getString("cluster_name")).isEqualTo("vigil-second");

        second.close();
        second.close();

        assertThat(FreePorts.isFree(port)).isTrue();
        assertThat(Files.exists(home)).isFalse();
    }

    @Test
    void shouldKeepIndicesInAGivenDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
        EmbeddedOpenSearch.Options options = EmbeddedOpenSearch.Options.defaults()
                .withDataDir(dir)
                .withClusterName("vigil-persistent");
        try (EmbeddedOpenSearch first = EmbeddedOpenSearch.start(options)) {
            HttpResponse<String> indexed = send(first, "PUT", "/kept/_doc/1?refresh=true",
                    new JsonObject().put("message", "still here"));
            assertThat(indexed.statusCode()).isEqualTo(201);
        }
        assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();

        try (EmbeddedOpenSearch second = EmbeddedOpenSearch.start(options)) {
            send(second, "GET", "/_cluster/health/kept?wait_for_status=green&timeout=30s", null);
            HttpResponse<String> doc = send(second, "GET", "/kept/_doc/1", null);
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(doc.body()).getJsonObject("_source").getString("message")).isEqualTo("still here");
        }
        assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();
    }

    private HttpResponse<String> send(String method, String path, JsonObject body) throws IOException, InterruptedException {
        return send(openSearch, method, path, body);
    }

    private static HttpResponse<String> send(EmbeddedOpenSearch node, String method, String path, JsonObject body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
