package dev.vigil.proxy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.Topics;

/**
 * The gateway's configuration, read from {@link Settings} (keys {@code vigil.proxy.*}) and validated up front: every
 * problem is reported as a {@link ConfigException} naming the offending key. {@link #toString()} never shows secrets.
 */
public final class ProxyConfig {

  public static final String HOST = "vigil.proxy.host";
  public static final String PORT = "vigil.proxy.port";
  public static final String TLS_CERT_FILE = "vigil.proxy.tls.cert-file";
  public static final String TLS_KEY_FILE = "vigil.proxy.tls.key-file";
  public static final String UPSTREAM_KUBECONFIG = "vigil.proxy.upstream.kubeconfig";
  public static final String UPSTREAM_CONNECT_TIMEOUT = "vigil.proxy.upstream.connect-timeout";
  public static final String UPSTREAM_IDLE_TIMEOUT = "vigil.proxy.upstream.idle-timeout";
  public static final String UPSTREAM_MAX_CONNECTIONS = "vigil.proxy.upstream.max-connections";
  public static final String OIDC_ISSUER = "vigil.proxy.oidc.issuer";
  public static final String OIDC_AUDIENCE = "vigil.proxy.oidc.audience";
  public static final String OIDC_USERNAME_CLAIM = "vigil.proxy.oidc.username-claim";
  public static final String OIDC_GROUPS_CLAIM = "vigil.proxy.oidc.groups-claim";
  public static final String OIDC_CLOCK_SKEW = "vigil.proxy.oidc.clock-skew";
  public static final String OIDC_CA_FILE = "vigil.proxy.oidc.ca-file";
  public static final String GATEWAY_ID = "vigil.proxy.gateway-id";
  public static final String MAX_REQUEST_BODY_BYTES = "vigil.proxy.max-request-body-bytes";
  public static final String RECORD_MAX_BODY_BYTES = "vigil.proxy.record.max-body-bytes";
  public static final String SESSIONS_MAX_TRACKED = "vigil.proxy.sessions.max-tracked";
  public static final String SESSIONS_IDLE_TIMEOUT = "vigil.proxy.sessions.idle-timeout";
  public static final String EVENTS_TOPIC = "vigil.proxy.events.topic";
  public static final String KAFKA_PRODUCER_PREFIX = "vigil.proxy.kafka.producer";

  private final String host;
  private final int port;
  private final Path tlsCertFile;
  private final Path tlsKeyFile;
  private final Path upstreamKubeconfig;
  private final Duration upstreamConnectTimeout;
  private final Duration upstreamIdleTimeout;
  private final int upstreamMaxConnections;
  private final URI oidcIssuer;
  private final String oidcAudience;
  private final String usernameClaim;
  private final String groupsClaim;
  private final Duration clockSkew;
  private final Path oidcCaFile;
  private final String gatewayId;
  private final long maxRequestBodyBytes;
  private final int recordMaxBodyBytes;
  private final int sessionsMaxTracked;
  private final Duration sessionsIdleTimeout;
  private final String eventsTopic;
  private final Map<String, Object> kafkaProducer;

  private ProxyConfig(Settings s) {
    this.host = s.get(HOST, "127.0.0.1");
    this.port = s.getPort(PORT, 8443);
    this.tlsCertFile = readableFile(s, TLS_CERT_FILE, true);
    this.tlsKeyFile = readableFile(s, TLS_KEY_FILE, true);
    this.upstreamKubeconfig = readableFile(s, UPSTREAM_KUBECONFIG, true);
    this.upstreamConnectTimeout = positive(s, UPSTREAM_CONNECT_TIMEOUT, Duration.ofSeconds(10));
    this.upstreamIdleTimeout = s.getDuration(UPSTREAM_IDLE_TIMEOUT, Duration.ofSeconds(60));
    if (upstreamIdleTimeout.isNegative()) {
      throw new ConfigException("Setting " + UPSTREAM_IDLE_TIMEOUT + " must not be negative");
    }
    this.upstreamMaxConnections = s.getInt(UPSTREAM_MAX_CONNECTIONS, 256, 1, 100_000);
    this.oidcIssuer = issuer(s.required(OIDC_ISSUER));
    this.oidcAudience = s.get(OIDC_AUDIENCE, "vigil");
    this.usernameClaim = s.get(OIDC_USERNAME_CLAIM, "sub");
    this.groupsClaim = s.get(OIDC_GROUPS_CLAIM, "groups");
    this.clockSkew = s.getDuration(OIDC_CLOCK_SKEW, Duration.ofSeconds(30));
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ConfigException("Setting " + OIDC_CLOCK_SKEW + " must be between 0 and 10m");
    }
    this.oidcCaFile = readableFile(s, OIDC_CA_FILE, false);
    this.gatewayId = s.get(GATEWAY_ID, defaultGatewayId());
    this.maxRequestBodyBytes = s.getLong(MAX_REQUEST_BODY_BYTES, 3L * 1024 * 1024, 0, Long.MAX_VALUE);
    this.recordMaxBodyBytes = s.getInt(RECORD_MAX_BODY_BYTES, 64 * 1024, 0, 16 * 1024 * 1024);
    this.sessionsMaxTracked = s.getInt(SESSIONS_MAX_TRACKED, 100_000, 1, 10_000_000);
    this.sessionsIdleTimeout = positive(s, SESSIONS_IDLE_TIMEOUT, Duration.ofHours(1));
    this.eventsTopic = s.get(EVENTS_TOPIC, Topics.EVENTS);
    this.kafkaProducer = Map.copyOf(s.withPrefix(KAFKA_PRODUCER_PREFIX));
  }

  /** Reads and validates the {@code vigil.proxy.*} keys of {@code settings}. */
  public static ProxyConfig from(Settings settings) {
    return new ProxyConfig(Objects.requireNonNull(settings, "settings"));
  }

  private static Path readableFile(Settings s, String key, boolean required) {
    if (!s.has(key)) {
      if (required) {
        s.required(key); // throws, naming the key and its environment variable
      }
      return null;
    }
    Path p = s.getPath(key, null);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException("Setting " + key + " names a file that does not exist or is not readable: " + p);
    }
    return p;
  }

  private static Duration positive(Settings s, String key, Duration def) {
    Duration d = s.getDuration(key, def);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException("Setting " + key + " must be a positive duration");
    }
    return d;
  }

  private static URI issuer(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
        throw new ConfigException("Setting " + OIDC_ISSUER + " must be an http(s) URL, was '" + value + "'");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("Setting " + OIDC_ISSUER + " is not a valid URL: '" + value + "'");
    }
  }

  private static String defaultGatewayId() {
    try {
      return "vigil-proxy@" + InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "vigil-proxy";
    }
  }

  public String host() { return host; }
  public int port() { return port; }
  public Path tlsCertFile() { return tlsCertFile; }
  public Path tlsKeyFile() { return tlsKeyFile; }
  public Path upstreamKubeconfig() { return upstreamKubeconfig; }
  public Duration upstreamConnectTimeout() { return upstreamConnectTimeout; }
  /** Zero disables it. Never applied to watch and follow streams, which are legitimately idle. */
  public Duration upstreamIdleTimeout() { return upstreamIdleTimeout; }
  public int upstreamMaxConnections() { return upstreamMaxConnections; }
  public URI oidcIssuer() { return oidcIssuer; }
  public String oidcAudience() { return oidcAudience; }
  public String usernameClaim() { return usernameClaim; }
  public String groupsClaim() { return groupsClaim; }
  public Duration clockSkew() { return clockSkew; }
  /** Extra CA (PEM) to trust for the issuer's discovery and JWKS endpoints; null uses the JVM's trust store. */
  public Path oidcCaFile() { return oidcCaFile; }
  public String gatewayId() { return gatewayId; }
  public long maxRequestBodyBytes() { return maxRequestBodyBytes; }
  public int recordMaxBodyBytes() { return recordMaxBodyBytes; }
  public int sessionsMaxTracked() { return sessionsMaxTracked; }
  public Duration sessionsIdleTimeout() { return sessionsIdleTimeout; }
  public String eventsTopic() { return eventsTopic; }
  /** The {@code vigil.proxy.kafka.producer.*} keys with the prefix removed, as given (before defaults). */
  public Map<String, Object> kafkaProducer() { return kafkaProducer; }

  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    kafkaProducer.forEach((k, v) -> shown.put(k, Settings.isSecretKey(k) ? "****" : v));
    return "ProxyConfig{host=" + host + ", port=" + port + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile=" + tlsKeyFile
        + ", upstreamKubeconfig=" + upstreamKubeconfig + ", upstreamConnectTimeout=" + upstreamConnectTimeout
        + ", upstreamIdleTimeout=" + upstreamIdleTimeout + ", upstreamMaxConnections=" + upstreamMaxConnections
        + ", oidcIssuer=" + oidcIssuer + ", oidcAudience=" + oidcAudience + ", usernameClaim=" + usernameClaim
        + ", groupsClaim=" + groupsClaim + ", clockSkew=" + clockSkew + ", oidcCaFile=" + oidcCaFile
        + ", gatewayId=" + gatewayId + ", maxRequestBodyBytes=" + maxRequestBodyBytes
        + ", recordMaxBodyBytes=" + recordMaxBodyBytes + ", sessionsMaxTracked=" + sessionsMaxTracked
        + ", sessionsIdleTimeout=" + sessionsIdleTimeout + ", eventsTopic=" + eventsTopic
        + ", kafkaProducer=" + shown + "}";
  }
}
