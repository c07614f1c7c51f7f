package dev.vigil.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Kafka is reachable when {@code describeCluster} answers within the timeout. Takes the service's own Kafka client
 * properties (bootstrap servers, security settings); only the connection settings matter, the others are ignored by
 * the admin client with a warning, so callers pass the common subset.
 */
public final class KafkaReachability implements ReadinessCheck {

  private final Map<String, Object> properties;
  private final Duration timeout;
  private Admin admin;

  public KafkaReachability(Map<String, ?> clientProperties, Duration timeout) {
    Map<String, Object> props = new HashMap<>();
    clientProperties.forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        props.put(k, v);
      }
    });
    int millis = (int) Math.max(1, timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-readiness");
    this.properties = Map.copyOf(props);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public synchronized boolean probe() throws Exception {
    if (admin == null) {
      admin = Admin.create(properties);
    }
    String clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
        .clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return clusterId != null;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
      admin = null;
    }
  }
}
