package dev.vigil.app;

import java.util.List;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.OpenSearchReachability;
import dev.vigil.ops.KafkaReachability;
import dev.vigil.ops.ManagementServer;
import dev.vigil.ops.ManagementSettings;
import dev.vigil.ops.Readiness;
import dev.vigil.ops.ReadinessCheck;
import dev.vigil.ops.VigilMetrics;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.query.QueryApiConfig;
import dev.vigil.streams.StreamsSettings;
import io.vertx.core.Vertx;

/**
 * The management server of a service run on its own ({@code vigil proxy|indexer|query-api|stream-processors}):
 * {@code /healthz}, {@code /readyz} (Kafka and/or OpenSearch, whichever the service uses) and {@code /metrics}. The
 * demo runs every service in one JVM and starts none.
 */
final class Management {

  private Management() {}

  /** Starts the command's management server; null when its port is -1. */
  static ManagementServer start(Vertx vertx, String command, Settings settings) {
    ManagementSettings where = settings(command, settings);
    if (!where.enabled()) {
      return null;
    }
    return Demo.await(ManagementServer.start(vertx, where.host(), where.port(), new Readiness(checks(command, settings)),
        VigilMetrics.prometheus()));
  }

  static ManagementSettings settings(String command, Settings settings) {
    switch (command) {
      case "proxy": return ProxyConfig.from(settings).management();
      case "indexer": return IndexerConfig.from(settings).management();
      case "stream-processors": return StreamsSettings.from(settings).management();
      default: return QueryApiConfig.from(settings).management();
    }
  }

  /** What the command's readiness depends on. */
  static List<ReadinessCheck> checks(String command, Settings settings) {
    switch (command) {
      case "proxy":
        return List.of(new KafkaReachability(ProxyConfig.from(settings).kafkaProducer(), Readiness.DEFAULT_TIMEOUT));
      case "indexer": {
        IndexerConfig c = IndexerConfig.from(settings);
        return List.of(new KafkaReachability(c.adminProperties(), Readiness.DEFAULT_TIMEOUT),
            new OpenSearchReachability(c.openSearchUrl(), c.openSearchUsername(), c.openSearchPassword(),
                Readiness.DEFAULT_TIMEOUT));
      }
      case "stream-processors":
        return List.of(new KafkaReachability(StreamsSettings.from(settings).kafka(), Readiness.DEFAULT_TIMEOUT));
      default: {
        QueryApiConfig c = QueryApiConfig.from(settings);
        return List.of(new OpenSearchReachability(c.openSearchUrl(), c.openSearchUsername(), c.openSearchPassword(),
            Readiness.DEFAULT_TIMEOUT));
      }
    }
  }
}
