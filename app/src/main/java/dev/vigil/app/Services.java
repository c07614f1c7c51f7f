package dev.vigil.app;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.Settings;
import dev.vigil.indexer.EventIndexer;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.VigilProxy;
import dev.vigil.query.QueryApi;
import dev.vigil.query.QueryApiConfig;
import dev.vigil.streams.StreamProcessors;
import dev.vigil.streams.notify.AlertNotifier;
import dev.vigil.streams.notify.NotifierSettings;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.ops.ManagementServer;
import dev.vigil.ops.VigilMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Starts each Vigil service from {@link Settings}; used by the per-service commands and by the demo. */
final class Services {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private Services() {}

  /** A started service: its port (or -1) and how to stop it. */
  interface Running extends AutoCloseable {
    int port();

    /** Completes exceptionally when the service stopped on its own because of a fatal error. */
    default java.util.concurrent.CompletionStage<Void> terminated() {
      return new java.util.concurrent.CompletableFuture<>();
    }

    /** Stops the service; bounded by the service's own close timeout. */
    @Override
    void close();
  }

  static Running startProxy(Vertx vertx, Settings settings) {
    ProxyConfig config = ProxyConfig.from(settings);
    LOG.info("Starting proxy: {}", config);
    VigilProxy proxy = Demo.await(VigilProxy.start(vertx, config));
    return new Running() {
      @Override
      public int port() {
        return proxy.port();
      }

      @Override
      public void close() {
        Demo.await(proxy.close());
      }
    };
  }

  static Running startIndexer(Vertx vertx, Settings settings) {
    IndexerConfig config = IndexerConfig.from(settings);
    LOG.info("Starting indexer: {}", config);
    EventIndexer indexer = EventIndexer.start(config);
    try {
      indexer.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      indexer.close();
      throw new IllegalStateException("Indexer did not become ready: " + e.getMessage(), e);
    }
    return new Running() {
      @Override
      public int port() {
        return -1;
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> terminated() {
        return indexer.terminated();
      }

      @Override
      public void close() {
        indexer.close();
      }
    };
  }

  static Running startQueryApi(Vertx vertx, Settings settings) {
    QueryApiConfig config = QueryApiConfig.from(settings);
    LOG.info("Starting query API: {}", config);
    QueryApi api = Demo.await(QueryApi.start(vertx, config));
    return new Running() {
      @Override
      public int port() {
        return api.port();
      }

      @Override
      public void close() {
        Demo.await(api.close());
      }
    };
  }

  /**
   * Starts the stream processors and, when webhooks are configured, the alert notifier (its Kafka bootstrap servers
   * default to the processors'); waits until both are ready (bounded). Either one failing ends the service.
   */
  static Running startStreamProcessors(Settings settings) {
    StreamsSettings config = StreamsSettings.from(settings);
    String bootstrap = settings.get(StreamsSettings.KAFKA_PREFIX + "bootstrap.servers", null);
    NotifierSettings notify = NotifierSettings.from(bootstrap == null ? settings
        : settings.withDefaults(java.util.Map.of("vigil.streams.notify.kafka.bootstrap.servers", bootstrap)));
    LOG.info("Starting stream processors: {}", config);
    StreamProcessors processors = StreamProcessors.start(config);
    AlertNotifier notifier = null;
    try {
      processors.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
      if (notify.hasWebhooks()) {
        notifier = AlertNotifier.start(notify);
        notifier.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
      } else {
        LOG.info("No alert webhooks configured (vigil.streams.notify.webhooks.<name>.url): the notifier is not started");
      }
    } catch (Exception e) {
      if (notifier != null) {
        notifier.close();
      }
      processors.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("Stream processors did not become ready: " + cause.getMessage(), cause);
    }
    AlertNotifier started = notifier;
    java.util.concurrent.CompletableFuture<Void> terminated = started == null
        ? processors.terminated().toCompletableFuture()
        : java.util.concurrent.CompletableFuture.anyOf(processors.terminated().toCompletableFuture(),
            started.terminated().toCompletableFuture()).thenApply(v -> null);
    return new Running() {
      @Override
      public int port() {
        return -1;
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> terminated() {
        return terminated;
      }

      @Override
      public void close() {
        if (started != null) {
          started.close();
        }
        processors.close();
      }
    };
  }

  /** {@code vigil proxy|indexer|query-api|stream-processors}: runs one service until the JVM is asked to stop. */
  static int runUntilInterrupted(String command, Settings settings, PrintStream out) {
    Vertx vertx = VigilMetrics.vertx(new VertxOptions());
    Running running;
    ManagementServer management;
    try {
      switch (command) {
        case "proxy": running = startProxy(vertx, settings); break;
        case "indexer": running = startIndexer(vertx, settings); break;
        case "stream-processors": running = startStreamProcessors(settings); break;
        default: running = startQueryApi(vertx, settings); break;
      }
      try {
        management = Management.start(vertx, command, settings);
      } catch (RuntimeException e) {
        running.close();
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("{} failed to start: {}", command, e.getMessage());
      Demo.await(vertx.close());
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (management != null) {
          Demo.await(management.close());
        }
        running.close();
        Demo.await(vertx.close());
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", command, e.getMessage());
      } finally {
        stopped.countDown();
        org.apache.logging.log4j.LogManager.shutdown();
      }
    }, "vigil-shutdown"));
    int[] exit = {0};
    running.terminated().whenComplete((v, e) -> {
      if (e != null) {
        LOG.error("{} stopped after a fatal error: {}", command, e.getMessage());
        exit[0] = 1;
        stopped.countDown();
      }
    });
    out.println("vigil " + command + " running" + (running.port() > 0 ? " on port " + running.port() : ""));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return exit[0];
  }
}
