package dev.vigil.ops;

import dev.vigil.common.Settings;

/**
 * Where a service's management server ({@code /healthz}, {@code /readyz}, {@code /metrics}) listens. Port 0 picks a
 * free port, -1 starts no management server.
 *
 * @param host the interface to bind ({@code 0.0.0.0} by default: probes and scrapes come from outside the pod)
 * @param port the port, {@link ManagementServer#DEFAULT_PORT} by default
 */
public record ManagementSettings(String host, int port) {

  public static final String DEFAULT_HOST = "0.0.0.0";

  /** Reads the two keys a service names for its management server. */
  public static ManagementSettings from(Settings s, String hostKey, String portKey) {
    return new ManagementSettings(s.get(hostKey, DEFAULT_HOST), s.getInt(portKey, ManagementServer.DEFAULT_PORT, -1, 65535));
  }

  /** False when the port is -1. */
  public boolean enabled() {
    return port >= 0;
  }
}
