package dev.vigil.indexer;

import java.io.IOException;
import java.time.Duration;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.HealthStatus;
import org.opensearch.client.opensearch.cluster.HealthResponse;
import org.opensearch.client.transport.OpenSearchTransport;

import dev.vigil.ops.ReadinessCheck;

/**
 * OpenSearch is reachable when {@code GET _cluster/health} answers within the timeout and the cluster is not red.
 * Uses its own transport (the response timeout bounds the probe), closed with the check.
 */
public final class OpenSearchReachability implements ReadinessCheck {

  private final OpenSearchTransport transport;
  private final OpenSearchClient client;

  public OpenSearchReachability(String url, String username, String password, Duration timeout) {
    this.transport = OpenSearchClients.transport(url, username, password, timeout);
    this.client = new OpenSearchClient(transport);
  }

  @Override
  public String name() {
    return "opensearch";
  }

  @Override
  public boolean probe() throws IOException {
    HealthResponse health = client.cluster().health();
    return health.status() != HealthStatus.Red;
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Closing the OpenSearch readiness transport", e);
    }
  }
}
