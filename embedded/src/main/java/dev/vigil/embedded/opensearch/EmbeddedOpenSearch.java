package dev.vigil.embedded.opensearch;

import dev.vigil.embedded.DataDirs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.node.NodeValidationException;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single OpenSearch 2.19 node running in this JVM on 127.0.0.1 (HTTP only matters; the
 * transport port is ephemeral), for tests and {@code vigil demo}.
 *
 * <p>Plugins: Netty 4 transport, common analysis, mapper extras (no Painless: no scripts). The disk
 * watermarks are disabled and the cluster's default replica count is set to 0, so new indices are
 * green on this single node. Several nodes may run in one JVM.
 */
public final class EmbeddedOpenSearch implements AutoCloseable {

    /** Bound on the wait for the cluster to be at least yellow after start. */
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(90);

    /**
     * OpenSearch's Netty transport sets Netty's available processors unless this is false, and that
     * fails when something else (Vert.x) touched Netty first.
     */
    public static final String NETTY_PROCESSORS_PROPERTY = "opensearch.set.netty.runtime.available.processors";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedOpenSearch.class);
    private static final String HOST = "127.0.0.1";
    private static final List<Class<? extends Plugin>> PLUGINS =
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class);

    private final Node node;
    private final Path homeDir;
    private final boolean deleteHomeOnClose;
    private final int httpPort;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedOpenSearch(Node node, Path homeDir, boolean deleteHomeOnClose, int httpPort) {
        this.node = node;
        this.homeDir = homeDir;
        this.deleteHomeOnClose = deleteHomeOnClose;
        this.httpPort = httpPort;
    }

    /**
     * Start options.
     *
     * @param dataDir     node home ({@code data/}, {@code logs/}, {@code config/} inside); {@code null} =
     *                    a fresh temporary directory deleted on close
     * @param httpPort    HTTP port on 127.0.0.1; 0 = an ephemeral port (see {@link #httpPort()})
     * @param clusterName the cluster name
     * @param settings    extra node settings, applied last (they override the defaults)
     */
    public record Options(Path dataDir, int httpPort, String clusterName, Map<String, String> settings) {

        public Options {
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("httpPort must be within 0..65535: " + httpPort);
            }
            if (clusterName == null || clusterName.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }

        /** Temporary directory, ephemeral HTTP port, cluster {@code vigil-embedded}. */
        public static Options defaults() {
            return new Options(null, 0, "vigil-embedded", Map.of());
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(newDataDir, httpPort, clusterName, settings);
        }

        public Options withHttpPort(int port) {
            return new Options(dataDir, port, clusterName, settings);
        }

        public Options withClusterName(String name) {
            return new Options(dataDir, httpPort, name, settings);
        }

        /** Adds (or replaces) the given node settings. */
        public Options withSettings(Map<String, String> extra) {
            Map<String, String> merged = new HashMap<>(settings);
            merged.putAll(extra);
            return new Options(dataDir, httpPort, clusterName, merged);
        }

        public Options withSetting(String key, String value) {
            return withSettings(Map.of(key, value));
        }
    }

    /** Starts a node and returns once its cluster is at least yellow and its HTTP port is known. */
    public static EmbeddedOpenSearch start(Options options) {
        long startNanos = System.nanoTime();
        if (System.getProperty(NETTY_PROCESSORS_PROPERTY) == null) {
            System.setProperty(NETTY_PROCESSORS_PROPERTY, "false");
        }
        boolean tempDir = options.dataDir() == null;
        Path home = tempDir ? DataDirs.createTemp("opensearch") : DataDirs.create(options.dataDir(), "OpenSearch");
        Node node = null;
        try {
            Settings.Builder settings = Settings.builder()
                    .put("cluster.name", options.clusterName())
                    .put("node.name", "vigil-embedded")
                    .put("path.home", home.toAbsolutePath().toString())
                    .put("path.data", home.resolve("data").toAbsolutePath().toString())
                    .put("path.logs", home.resolve("logs").toAbsolutePath().toString())
                    .put("discovery.type", "single-node")
                    .put("network.host", HOST)
                    .put("http.port", Integer.toString(options.httpPort()))
                    .put("transport.port", "0")
                    .put("cluster.routing.allocation.disk.threshold_enabled", "false");
            options.settings().forEach(settings::put);
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                    settings.build(), Map.of(), null, () -> "vigil-embedded");
            node = new EmbeddedNode(environment, PLUGINS);
            node.start();
            awaitAtLeastYellow(node);
            node.client().admin().cluster().prepareUpdateSettings()
                    .setPersistentSettings(Settings.builder().put("cluster.default_number_of_replicas", "0"))
                    .get(TimeValue.timeValueSeconds(30));
            int port = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress().getPort();
            EmbeddedOpenSearch openSearch = new EmbeddedOpenSearch(node, home, tempDir, port);
            LOG.info("Embedded OpenSearch started at {} in {} ms (data in {})", openSearch.httpUrl(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), home);
            return openSearch;
        } catch (NodeValidationException e) {
            closeQuietly(node);
            cleanUp(home, tempDir);
            throw new IllegalStateException("embedded OpenSearch node failed validation: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(node);
            cleanUp(home, tempDir);
            throw e;
        }
    }

    private static void awaitAtLeastYellow(Node node) {
        ClusterHealthResponse health = node.client().admin().cluster().prepareHealth()
                .setWaitForYellowStatus()
                .setTimeout(TimeValue.timeValueMillis(HEALTH_TIMEOUT.toMillis()))
                .get();
        if (health.isTimedOut()) {
            throw new IllegalStateException("embedded OpenSearch not yellow or green within " + HEALTH_TIMEOUT
                    + ": status " + health.getStatus());
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String httpUrl() {
        return "http://" + HOST + ":" + httpPort;
    }

    /** The bound HTTP port. */
    public int httpPort() {
        return httpPort;
    }

    /** The node home directory ({@code data/} inside). */
    public Path dataDir() {
        return homeDir;
    }

    /** Closes the node, waits for its threads, deletes the temporary directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        closeQuietly(node);
        cleanUp(homeDir, deleteHomeOnClose);
        LOG.info("Embedded OpenSearch at {} stopped in {} ms", httpUrl(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedOpenSearch[" + httpUrl() + (closed.get() ? ", closed" : "") + "]";
    }

    private static void closeQuietly(Node node) {
        if (node == null) {
            return;
        }
        try {
            node.close();
            if (!node.awaitClose(30, TimeUnit.SECONDS)) {
                LOG.warn("Embedded OpenSearch threads did not stop within 30 s");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Embedded OpenSearch did not close cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for embedded OpenSearch to close");
        }
    }

    private static void cleanUp(Path home, boolean delete) {
        if (delete) {
            DataDirs.deleteQuietly(home);
        }
    }

    /** A node that allows several instances per JVM. */
    private static final class EmbeddedNode extends Node {

        EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }

        /**
         * The default sets a JVM-wide set-once holder for the log pattern converter
         * ({@code NodeAndClusterIdConverter}); a second node in the JVM would fail on it. The
         * converter is only used by OpenSearch's own log4j layouts, which we do not use.
         */
        @Override
        protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
            // intentionally empty
        }
    }
}
