package dev.vigil.embedded.kafka;

import dev.vigil.embedded.DataDirs;

import dev.vigil.embedded.junit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.4 broker (combined broker + KRaft controller) running in this JVM on
 * 127.0.0.1, for tests and {@code vigil demo}.
 *
 * <p>Everything is configured for one node: replication factor 1 and min ISR 1 for the offsets,
 * transaction-state and share-state topics (so transactions and {@code exactly_once_v2} work), no
 * initial rebalance delay. The broker registers no shutdown hook and runs non-daemon threads:
 * always {@link #close()} it.
 *
 * <p>Create topics with {@link #createTopics(Collection)} before producing: it waits until every
 * partition answers {@code listOffsets}, which works around KAFKA-15591 (records produced right
 * after topic creation can be lost in 4.4.0).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How long {@link #createTopics(Collection)} waits for the partitions to become usable. */
    public static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int START_ATTEMPTS_ON_PORT_CLASH = 3;

    private final KafkaRaftServer server;
    private final Admin admin;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int port;
    private final int defaultPartitions;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, Admin admin, Path dataDir, boolean deleteDataDirOnClose, int port,
            int defaultPartitions) {
        this.server = server;
        this.admin = admin;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.port = port;
        this.defaultPartitions = defaultPartitions;
    }

    /**
     * Start options.
     *
     * @param dataDir           log directory (metadata and data); {@code null} = a fresh temporary
     *                          directory deleted on close. An existing, formatted directory is reused.
     * @param port              client listener port on 127.0.0.1; 0 = pick a free port
     * @param defaultPartitions {@code num.partitions}, also used by {@link #createTopic(String)}
     * @param brokerProperties  extra broker properties, applied last (they override the defaults)
     */
    public record Options(Path dataDir, int port, int defaultPartitions, Map<String, String> brokerProperties) {

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535: " + port);
            }
            if (defaultPartitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be at least 1: " + defaultPartitions);
            }
            brokerProperties = brokerProperties == null ? Map.of() : Map.copyOf(brokerProperties);
        }

        /** Temporary directory, free port, 1 partition per topic, no extra properties. */
        public static Options defaults() {
            return new Options(null, 0, 1, Map.of());
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(newDataDir, port, defaultPartitions, brokerProperties);
        }

        public Options withPort(int newPort) {
            return new Options(dataDir, newPort, defaultPartitions, brokerProperties);
        }

        public Options withDefaultPartitions(int partitions) {
            return new Options(dataDir, port, partitions, brokerProperties);
        }

        /** Adds (or replaces) the given broker properties. */
        public Options withBrokerProperties(Map<String, String> properties) {
            Map<String, String> merged = new HashMap<>(brokerProperties);
            merged.putAll(properties);
            return new Options(dataDir, port, defaultPartitions, merged);
        }

        public Options withBrokerProperty(String key, String value) {
            return withBrokerProperties(Map.of(key, value));
        }
    }

    /** Formats the storage if needed, starts the broker and returns once it is unfenced and answers. */
    public static EmbeddedKafka start(Options options) {
        long startNanos = System.nanoTime();
        boolean tempDir = options.dataDir() == null;
        Path dataDir = tempDir ? DataDirs.createTemp("kafka") : DataDirs.create(options.dataDir(), "Kafka");
        try {
            EmbeddedKafka kafka = startWithRetries(options, dataDir, tempDir);
            LOG.info("Embedded Kafka started at {} in {} ms (data in {})", kafka.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir);
            return kafka;
        } catch (RuntimeException | Error e) {
            if (tempDir) {
                DataDirs.deleteQuietly(dataDir);
            }
            throw e;
        }
    }

    private static EmbeddedKafka startWithRetries(Options options, Path dataDir, boolean tempDir) {
        for (int attempt = 1; ; attempt++) {
            int brokerPort = options.port() == 0 ? FreePorts.pick() : options.port();
            int controllerPort = pickOtherThan(brokerPort);
            try {
                return startOnce(options, dataDir, tempDir, brokerPort, controllerPort);
            } catch (RuntimeException e) {
                boolean portClash = hasCause(e, BindException.class);
                if (!portClash || attempt >= START_ATTEMPTS_ON_PORT_CLASH) {
                    throw e;
                }
                LOG.warn("Embedded Kafka could not bind port {} or {} (attempt {}), retrying with other ports",
                        brokerPort, controllerPort, attempt);
            }
        }
    }

    private static EmbeddedKafka startOnce(Options options, Path dataDir, boolean tempDir, int brokerPort,
            int controllerPort) {
        Properties props = brokerProperties(options, dataDir, brokerPort, controllerPort);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        formatIfNeeded(dataDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Admin admin = null;
        try {
            server.startup();
            String bootstrap = HOST + ":" + brokerPort;
            admin = Admin.create(adminConfig(bootstrap));
            // startup() returns once the broker is unfenced; make sure it also answers clients.
            admin.describeCluster().nodes().get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new EmbeddedKafka(server, admin, dataDir, tempDir, brokerPort, options.defaultPartitions());
        } catch (InterruptedException e) {
            shutdownQuietly(server, admin);
            throw new InterruptException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            shutdownQuietly(server, admin);
            throw new KafkaException("embedded Kafka started but does not answer on " + HOST + ":" + brokerPort, e);
        } catch (RuntimeException | Error e) {
            shutdownQuietly(server, admin);
            throw e;
        }
    }

    private static Properties brokerProperties(Options options, Path dataDir, int brokerPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        p.put("num.partitions", Integer.toString(options.defaultPartitions()));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Internal topics: one replica, and few partitions so that the first group or transaction is quick.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        // Small segments (compaction can run in a demo) and a small cleaner buffer (the default is 128 MiB of heap).
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.putAll(options.brokerProperties());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private static void formatIfNeeded(Path dataDir) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            LOG.debug("Kafka storage in {} is already formatted", dataDir);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            String directory = dataDir.toAbsolutePath().toString();
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(directory)
                    .setMetadataLogDirectory(directory)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new KafkaException("cannot format Kafka storage in " + dataDir, e);
        }
        LOG.debug("Kafka storage formatted: {}", out.toString(StandardCharsets.UTF_8).trim());
    }

    private static Map<String, Object> adminConfig(String bootstrap) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "vigil-embedded-kafka-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
    }

    /** The client bootstrap address, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client listener port. */
    public int port() {
        return port;
    }

    /** The broker's log directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates a topic with {@link Options#defaultPartitions()} partitions and no specific configuration. */
    public void createTopic(String name) {
        createTopic(name, defaultPartitions, Map.of());
    }

    /** Creates a topic (replication factor 1) and waits until it is usable; an existing topic is fine. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
    }

    /**
     * Creates the topics (existing ones are fine, whatever their partition count) and returns only
     * once every partition of each topic answers a {@code listOffsets(latest)} request.
     *
     * @throws TimeoutException when the partitions are not usable within {@link #TOPIC_READY_TIMEOUT}
     */
    public void createTopics(Collection<NewTopic> topics) {
        ensureOpen();
        TopicCreator.createAndAwait(admin, topics, TOPIC_READY_TIMEOUT);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("embedded Kafka at " + bootstrapServers() + " is closed");
        }
    }

    /** Shuts the broker down cleanly, waits for it, deletes the temporary directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        shutdownQuietly(server, admin);
        if (deleteDataDirOnClose) {
            DataDirs.deleteQuietly(dataDir);
        }
        LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private static void shutdownQuietly(KafkaRaftServer server, Admin admin) {
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Cannot close the embedded Kafka admin client", e);
            }
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka did not shut down cleanly", e);
        }
    }

    private static int pickOtherThan(int port) {
        int candidate = FreePorts.pick();
        while (candidate == port) {
            candidate = FreePorts.pick();
        }
        return candidate;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + (closed.get() ? ", closed" : "") + "]";
    }
}
