package dev.vigil.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.embedded.junit.FreePorts;
import dev.vigil.embedded.junit.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaExtension.class)
class EmbeddedKafkaIT {

    private static final int RECORDS = 300;

    @Test
    void shouldConsumeEveryRecordProducedRightAfterTopicCreation(EmbeddedKafka kafka) throws Exception {
        String topic = "it-" + UUID.randomUUID();
        kafka.createTopic(topic, 3, Map.of());

        Set<Integer> partitionsWritten = new HashSet<>();
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> future : sent) {
                partitionsWritten.add(future.get().partition());
            }
        }
        assertThat(partitionsWritten).containsExactlyInAnyOrder(0, 1, 2);

        List<ConsumerRecord<String, String>> records = consumeAll(kafka, topic, 3, RECORDS, Map.of());
        assertThat(records).hasSize(RECORDS);
        assertThat(records.stream().map(ConsumerRecord::value).collect(Collectors.toSet()))
                .hasSize(RECORDS)
                .contains("value-0", "value-" + (RECORDS - 1));
    }

    @Test
    void shouldAcceptCreatingAnExistingTopicAgain(EmbeddedKafka kafka) throws Exception {
        String topic = "it-" + UUID.randomUUID();
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(2);
        }
    }

    @Test
    void shouldCommitTransactionsForReadCommittedConsumers(EmbeddedKafka kafka) throws Exception {
        String topic = "it-tx-" + UUID.randomUUID();
        kafka.createTopic(topic, 3, Map.of());

        try (KafkaProducer<String, String> producer = producer(kafka,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "aborted-" + i));
            }
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> records = consumeAll(kafka, topic, 3, 10,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        assertThat(records).extracting(ConsumerRecord::value).allMatch(value -> value.startsWith("committed-"));
        assertThat(records).hasSize(10);
    }

    @Test
    void shouldReleaseItsPortAndDirectoryOnClose() {
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDefaultPartitions(2));
        int port = kafka.port();
        Path dataDir = kafka.dataDir();
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        assertThat(FreePorts.isFree(port)).isFalse();
        kafka.createTopic("default-partitions");

        kafka.close();
        kafka.close();

        assertThat(FreePorts.isFree(port)).isTrue();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void shouldKeepDataInAGivenDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
        String topic = "persisted";
        try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir))) {
            first.createTopic(topic, 1, Map.of());
            try (KafkaProducer<String, String> producer = producer(first, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", "survives a restart")).get();
            }
        }
        assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();

        try (EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir))) {
            second.createTopic(topic, 1, Map.of());
            assertThat(consumeAll(second, topic, 1, 1, Map.of()))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("survives a restart");
        }
        assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();
    }

    static KafkaProducer<String, String> producer(EmbeddedKafka kafka, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static List<ConsumerRecord<String, String>> consumeAll(EmbeddedKafka kafka, String topic, int partitions,
            int expected, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(extra);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> assignment = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything beyond the expected count would be a bug too: give it a last chance to show up.
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
