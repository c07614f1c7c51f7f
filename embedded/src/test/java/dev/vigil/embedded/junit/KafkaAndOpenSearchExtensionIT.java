package dev.vigil.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Vert.x 5 (Netty 4.2), the Kafka broker and the OpenSearch node in one JVM, via both extensions. */
@ExtendWith({KafkaExtension.class, OpenSearchExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAndOpenSearchExtensionIT {

    private Vertx vertx;
    private EmbeddedKafka kafkaBeforeEach;
    private EmbeddedOpenSearch openSearchBeforeEach;

    @BeforeAll
    void startVertxBeforeThePlatform() {
        // Vert.x touches Netty first, as in `vigil demo`; the platform is resolved by the test methods.
        vertx = Vertx.vertx();
    }

    @AfterAll
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeEach
    void rememberThePlatform(EmbeddedKafka kafka, EmbeddedOpenSearch openSearch) {
        kafkaBeforeEach = kafka;
        openSearchBeforeEach = openSearch;
    }

    @Test
    void shouldShareOneBrokerAndOneNodePerJvm(EmbeddedKafka kafka, EmbeddedOpenSearch openSearch) {
        assertThat(kafka).isSameAs(kafkaBeforeEach);
        assertThat(openSearch).isSameAs(openSearchBeforeEach);
        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(openSearch.httpUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void shouldServeVertxHttpWhileUsingKafkaAndOpenSearch(EmbeddedKafka kafka, EmbeddedOpenSearch openSearch)
            throws Exception {
        String topic = "it-vertx-" + UUID.randomUUID();
        kafka.createTopic(topic, 3, Map.of());
        HttpClientAgent vertxClient = vertx.createHttpClient();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            // A Vert.x server that records each request body in Kafka and answers with OpenSearch's health.
            HttpServer server = await(vertx.createHttpServer()
                    .requestHandler(request -> request.body()
                            .compose(body -> vertx.executeBlocking(() ->
                                    producer.send(new ProducerRecord<>(topic, "session-1", body.toString())).get()))
                            .compose(sent -> vertxClient.request(HttpMethod.GET, openSearch.httpPort(), "127.0.0.1",
                                    "/_cluster/health"))
                            .compose(healthRequest -> healthRequest.send().compose(response -> response.body()))
                            .onSuccess(health -> request.response()
                                    .putHeader("Content-Type", "application/json")
                                    .end(health))
                            .onFailure(error -> request.response().setStatusCode(500).end(error.toString())))
                    .listen(0, "127.0.0.1"));

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/record"))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("kubectl get pods"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(response.body()).getString("status")).isIn("green", "yellow");
            await(server.close());
        } finally {
            await(vertxClient.close());
        }

        assertThat(consume(kafka, topic)).containsExactly("kubectl get pods");
    }

    private static List<String> consume(EmbeddedKafka kafka, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(
                    new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
