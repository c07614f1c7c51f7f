package dev.vigil.proxy;

import dev.vigil.ops.ManagementSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.proxy.llm.LlmConfig;
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
  public static final String UPSTREAM_SERVICE_ACCOUNT_DIR = "vigil.proxy.upstream.service-account-dir";
  public static final String UPSTREAM_TOKEN_RELOAD_INTERVAL = "vigil.proxy.upstream.token-reload-interval";
  public static final String UPSTREAM_TOKEN_REQUEST_SERVICE_ACCOUNT = "vigil.proxy.upstream.token-request.service-account";
  public static final String UPSTREAM_TOKEN_REQUEST_AUDIENCES = "vigil.proxy.upstream.token-request.audiences";
  public static final String UPSTREAM_TOKEN_REQUEST_EXPIRATION = "vigil.proxy.upstream.token-request.expiration";
  public static final String HTTP2_ENABLED = "vigil.proxy.http2.enabled";
  public static final String IMPERSONATION_ENABLED = "vigil.proxy.impersonation.enabled";
  /** The default issuer's URL; named issuers use {@code vigil.proxy.oidc.issuer.<name>.*}, see {@link OidcIssuerConfig}. */
  public static final String OIDC_ISSUER = "vigil.proxy.oidc.issuer";
  public static final String OIDC_ISSUERS = "vigil.proxy.oidc.issuers";
  public static final String OIDC_AUDIENCE = "vigil.proxy.oidc.audience";
  public static final String OIDC_USERNAME_CLAIM = "vigil.proxy.oidc.username-claim";
  public static final String OIDC_USERNAME_PREFIX = "vigil.proxy.oidc.username-prefix";
  public static final String OIDC_GROUPS_CLAIM = "vigil.proxy.oidc.groups-claim";
  public static final String OIDC_GROUPS_PREFIX = "vigil.proxy.oidc.groups-prefix";
  public static final String OIDC_CLOCK_SKEW = "vigil.proxy.oidc.clock-skew";
  public static final String OIDC_CA_FILE = "vigil.proxy.oidc.ca-file";
  public static final String OIDC_ALLOW_INSECURE_HTTP = "vigil.proxy.oidc.allow-insecure-http";
  public static final String OIDC_JWKS_REFRESH_INTERVAL = "vigil.proxy.oidc.jwks-refresh-interval";
  public static final String OIDC_JWKS_MIN_REFRESH_INTERVAL = "vigil.proxy.oidc.jwks-min-refresh-interval";
  static final String DEFAULT_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
  public static final String GATEWAY_ID = "vigil.proxy.gateway-id";
  public static final String MAX_REQUEST_BODY_BYTES = "vigil.proxy.max-request-body-bytes";
  public static final String RECORD_MAX_BODY_BYTES = "vigil.proxy.record.max-body-bytes";
  public static final String MAX_MASKED_RESPONSE_BYTES = "vigil.proxy.max-masked-response-bytes";
  public static final String SESSIONS_MAX_TRACKED = "vigil.proxy.sessions.max-tracked";
  public static final String SESSIONS_IDLE_TIMEOUT = "vigil.proxy.sessions.idle-timeout";
  public static final String EVENTS_TOPIC = "vigil.proxy.events.topic";
  public static final String KAFKA_PRODUCER_PREFIX = "vigil.proxy.kafka.producer";
  public static final String SERVER_IDLE_TIMEOUT = "vigil.proxy.server.idle-timeout";
  public static final String SERVER_MAX_HEADER_BYTES = "vigil.proxy.server.max-header-bytes";
  public static final String SERVER_MAX_INITIAL_LINE_BYTES = "vigil.proxy.server.max-initial-line-bytes";
  public static final String SERVER_REQUEST_HEADER_TIMEOUT = "vigil.proxy.server.request-header-timeout";
  public static final String SERVER_REQUEST_BODY_TIMEOUT = "vigil.proxy.server.request-body-timeout";
  public static final String STREAMS_MAX_FRAMES = "vigil.proxy.streams.max-frames";
  public static final String STREAMS_MAX_FRAME_BYTES = "vigil.proxy.streams.max-frame-bytes";
  public static final String STREAMS_LOG_COALESCE_DELAY = "vigil.proxy.streams.logs.coalesce-delay";
  public static final String STREAMS_LOG_COALESCE_BYTES = "vigil.proxy.streams.logs.coalesce-bytes";
  public static final String RECORDING_QUEUE_MAX_EVENTS = "vigil.proxy.recording.queue.max-events";
  public static final String RECORDING_QUEUE_MAX_BYTES = "vigil.proxy.recording.queue.max-bytes";
  public static final String RECORDING_STRICT_TIMEOUT = "vigil.proxy.recording.strict-timeout";
  public static final String POLICY_FILE = "vigil.proxy.policy.file";
  public static final String POLICY_RELOAD_INTERVAL = "vigil.proxy.policy.reload-interval";
  /** Interface of the management server ({@code /healthz}, {@code /readyz}, {@code /metrics}); default {@code 0.0.0.0}. */
  public static final String MANAGEMENT_HOST = "vigil.proxy." + "management.host";
  /** Port of the management server; default 9404, 0 picks a free port, -1 starts none. */
  public static final String MANAGEMENT_PORT = "vigil.proxy." + "management.port";
  public static final String POLICY_LABEL_CACHE_TTL = "vigil.proxy.policy.label-cache-ttl";
  public static final String POLICY_LABEL_CACHE_MAX_ENTRIES = "vigil.proxy.policy.label-cache-max-entries";
  public static final String POLICY_LABEL_LOOKUP_TIMEOUT = "vigil.proxy.policy.label-lookup-timeout";
  public static final String MASKING_KEY_FILE = "vigil.proxy.masking.key-file";
  public static final String LLM_SECRET_FINGERPRINTS_TTL = "vigil.proxy.llm.secret-fingerprints.ttl";
  public static final String LLM_SECRET_FINGERPRINTS_MAX_PER_SESSION = "vigil.proxy.llm.secret-fingerprints.max-per-session";
  public static final String LLM_SECRET_FINGERPRINTS_MAX_SESSIONS = "vigil.proxy.llm.secret-fingerprints.max-sessions";

  private final String host;
  private final int port;
  private final Path tlsCertFile;
  private final Path tlsKeyFile;
  private final Path upstreamKubeconfig;
  private final Duration upstreamConnectTimeout;
  private final Duration upstreamIdleTimeout;
  private final int upstreamMaxConnections;
  private final Path serviceAccountDir;
  private final Duration tokenReloadInterval;
  private final TokenRequestConfig tokenRequest;
  private final boolean http2;
  private final boolean impersonation;
  private final List<OidcIssuerConfig> oidcIssuers;
  private final Duration clockSkew;
  private final boolean oidcAllowInsecureHttp;
  private final Duration jwksRefreshInterval;
  private final Duration jwksMinRefreshInterval;
  private final String gatewayId;
  private final long maxRequestBodyBytes;
  private final int recordMaxBodyBytes;
  private final int maxMaskedResponseBytes;
  private final int sessionsMaxTracked;
  private final Duration sessionsIdleTimeout;
  private final String eventsTopic;
  private final Map<String, Object> kafkaProducer;
  private final Duration serverIdleTimeout;
  private final int serverMaxHeaderBytes;
  private final int serverMaxInitialLineBytes;
  private final Duration serverRequestHeaderTimeout;
  private final Duration serverRequestBodyTimeout;
  private final int streamsMaxFrames;
  private final int streamsMaxFrameBytes;
  private final Duration streamsLogCoalesceDelay;
  private final int streamsLogCoalesceBytes;
  private final int recordingQueueMaxEvents;
  private final long recordingQueueMaxBytes;
  private final Duration recordingStrictTimeout;
  private final java.nio.file.Path policyFile;
  private final Duration policyReloadInterval;
  private final Duration labelCacheTtl;
  private final int labelCacheMaxEntries;
  private final Duration labelLookupTimeout;
  private final java.nio.file.Path maskingKeyFile;
  private final LlmConfig llm;
  private final SecretFingerprintsConfig secretFingerprints;
  private final ManagementSettings management;

  private ProxyConfig(Settings s) {
    this.host = s.get(HOST, "127.0.0.1");
    this.port = s.getPort(PORT, 8443);
    this.tlsCertFile = readableFile(s, TLS_CERT_FILE, true);
    this.tlsKeyFile = readableFile(s, TLS_KEY_FILE, true);
    this.upstreamKubeconfig = readableFile(s, UPSTREAM_KUBECONFIG, false);
    this.serviceAccountDir = s.getPath(UPSTREAM_SERVICE_ACCOUNT_DIR, Path.of(DEFAULT_SERVICE_ACCOUNT_DIR));
    if (upstreamKubeconfig == null && !Files.isReadable(serviceAccountDir.resolve("token"))) {
      throw new ConfigException("Missing required setting " + UPSTREAM_KUBECONFIG + " (env "
          + Settings.keyToEnv(UPSTREAM_KUBECONFIG) + "): without it the gateway uses the in-cluster service account, "
          + "but " + serviceAccountDir.resolve("token") + " is not readable (" + UPSTREAM_SERVICE_ACCOUNT_DIR + ")");
    }
    this.tokenReloadInterval = positive(s, UPSTREAM_TOKEN_RELOAD_INTERVAL, Duration.ofMinutes(1));
    this.tokenRequest = TokenRequestConfig.parse(s);
    this.http2 = s.getBoolean(HTTP2_ENABLED, true);
    this.impersonation = s.getBoolean(IMPERSONATION_ENABLED, true);
    this.upstreamConnectTimeout = positive(s, UPSTREAM_CONNECT_TIMEOUT, Duration.ofSeconds(10));
    this.upstreamIdleTimeout = s.getDuration(UPSTREAM_IDLE_TIMEOUT, Duration.ofSeconds(60));
    if (upstreamIdleTimeout.isNegative()) {
      throw new ConfigException("Setting " + UPSTREAM_IDLE_TIMEOUT + " must not be negative");
    }
    this.upstreamMaxConnections = s.getInt(UPSTREAM_MAX_CONNECTIONS, 256, 1, 100_000);
    this.oidcAllowInsecureHttp = s.getBoolean(OIDC_ALLOW_INSECURE_HTTP, false);
    this.oidcIssuers = OidcIssuerConfig.parseAll(s, oidcAllowInsecureHttp);
    this.jwksRefreshInterval = positive(s, OIDC_JWKS_REFRESH_INTERVAL, Duration.ofMinutes(10));
    this.jwksMinRefreshInterval = s.getDuration(OIDC_JWKS_MIN_REFRESH_INTERVAL, Duration.ofSeconds(10));
    if (jwksMinRefreshInterval.isNegative() || jwksMinRefreshInterval.compareTo(jwksRefreshInterval) > 0) {
      throw new ConfigException("Setting " + OIDC_JWKS_MIN_REFRESH_INTERVAL + " must be between 0 and "
          + OIDC_JWKS_REFRESH_INTERVAL);
    }
    this.clockSkew = s.getDuration(OIDC_CLOCK_SKEW, Duration.ofSeconds(30));
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ConfigException("Setting " + OIDC_CLOCK_SKEW + " must be between 0 and 10m");
    }
    this.gatewayId = s.get(GATEWAY_ID, defaultGatewayId());
    this.maxRequestBodyBytes = s.getLong(MAX_REQUEST_BODY_BYTES, 3L * 1024 * 1024, 0, Long.MAX_VALUE);
    this.recordMaxBodyBytes = s.getInt(RECORD_MAX_BODY_BYTES, 64 * 1024, 0, 16 * 1024 * 1024);
    this.maxMaskedResponseBytes = s.getInt(MAX_MASKED_RESPONSE_BYTES, 16 * 1024 * 1024, 0, 512 * 1024 * 1024);
    this.sessionsMaxTracked = s.getInt(SESSIONS_MAX_TRACKED, 100_000, 1, 10_000_000);
    this.sessionsIdleTimeout = positive(s, SESSIONS_IDLE_TIMEOUT, Duration.ofHours(1));
    this.eventsTopic = s.get(EVENTS_TOPIC, Topics.EVENTS);
    this.kafkaProducer = Map.copyOf(s.withPrefix(KAFKA_PRODUCER_PREFIX));
    this.serverIdleTimeout = s.getDuration(SERVER_IDLE_TIMEOUT, Duration.ofMinutes(2));
    if (serverIdleTimeout.isNegative()) {
      throw new ConfigException("Setting " + SERVER_IDLE_TIMEOUT + " must not be negative");
    }
    this.serverMaxHeaderBytes = s.getInt(SERVER_MAX_HEADER_BYTES, 64 * 1024, 1024, 16 * 1024 * 1024);
    this.serverMaxInitialLineBytes = s.getInt(SERVER_MAX_INITIAL_LINE_BYTES, 16 * 1024, 256, 1024 * 1024);
    this.serverRequestHeaderTimeout = notNegative(s, SERVER_REQUEST_HEADER_TIMEOUT, Duration.ofSeconds(10));
    this.serverRequestBodyTimeout = notNegative(s, SERVER_REQUEST_BODY_TIMEOUT, Duration.ofSeconds(60));
    this.streamsMaxFrames = s.getInt(STREAMS_MAX_FRAMES, 10_000, 0, 100_000_000);
    this.streamsMaxFrameBytes = s.getInt(STREAMS_MAX_FRAME_BYTES, 16 * 1024, 0, 16 * 1024 * 1024);
    this.streamsLogCoalesceDelay = positive(s, STREAMS_LOG_COALESCE_DELAY, Duration.ofMillis(100));
    this.streamsLogCoalesceBytes = s.getInt(STREAMS_LOG_COALESCE_BYTES, 4096, 1, 16 * 1024 * 1024);
    this.recordingQueueMaxEvents = s.getInt(RECORDING_QUEUE_MAX_EVENTS, 10_000, 1, 10_000_000);
    this.recordingQueueMaxBytes = s.getLong(RECORDING_QUEUE_MAX_BYTES, 64L * 1024 * 1024, 1, Long.MAX_VALUE);
    this.recordingStrictTimeout = positive(s, RECORDING_STRICT_TIMEOUT, Duration.ofSeconds(5));
    this.policyFile = s.getPath(POLICY_FILE, null);
    this.policyReloadInterval = positive(s, POLICY_RELOAD_INTERVAL, Duration.ofSeconds(5));
    this.labelCacheTtl = s.getDuration(POLICY_LABEL_CACHE_TTL, Duration.ofSeconds(5));
    if (labelCacheTtl.isNegative()) {
      throw new ConfigException("Setting " + POLICY_LABEL_CACHE_TTL + " must not be negative");
    }
    this.labelCacheMaxEntries = s.getInt(POLICY_LABEL_CACHE_MAX_ENTRIES, 10_000, 1, 10_000_000);
    this.labelLookupTimeout = positive(s, POLICY_LABEL_LOOKUP_TIMEOUT, Duration.ofSeconds(2));
    this.maskingKeyFile = s.getPath(MASKING_KEY_FILE, null);
    this.llm = LlmConfig.from(s);
    this.secretFingerprints = SecretFingerprintsConfig.parse(s);
    this.management = ManagementSettings.from(s, MANAGEMENT_HOST, MANAGEMENT_PORT);
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

  private static Duration notNegative(Settings s, String key, Duration def) {
    Duration d = s.getDuration(key, def);
    if (d.isNegative()) {
      throw new ConfigException("Setting " + key + " must not be negative");
    }
    return d;
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
  public Duration upstreamConnectTimeout() { return upstreamConnectTimeout; }
  /** Zero disables it. Never applied to watch and follow streams, which are legitimately idle. */
  public Duration upstreamIdleTimeout() { return upstreamIdleTimeout; }
  public int upstreamMaxConnections() { return upstreamMaxConnections; }
  /** Null: the in-cluster service account ({@link #serviceAccountDir()}, {@code KUBERNETES_SERVICE_HOST/PORT}). */
  public Path upstreamKubeconfig() { return upstreamKubeconfig; }
  /** Where the in-cluster token, {@code ca.crt} and {@code namespace} are (used without a kubeconfig). */
  public Path serviceAccountDir() { return serviceAccountDir; }
  /** How often a token file (in-cluster, or a kubeconfig {@code tokenFile}) is re-read: projected tokens rotate. */
  public Duration tokenReloadInterval() { return tokenReloadInterval; }
  /** Short-lived upstream tokens via the TokenRequest API, or null to use the base credential as is. */
  public TokenRequestConfig tokenRequest() { return tokenRequest; }
  /** Whether the TLS listener offers HTTP/2 (ALPN {@code h2}) besides HTTP/1.1. */
  public boolean http2() { return http2; }
  /** Whether calls are forwarded as the caller (Impersonate-User/Group/Extra) or as the gateway itself. */
  public boolean impersonation() { return impersonation; }
  /** Every trusted issuer, the default one ({@code vigil.proxy.oidc.issuer}) first if configured. Never empty. */
  public List<OidcIssuerConfig> oidcIssuers() { return oidcIssuers; }
  public Duration clockSkew() { return clockSkew; }
  public boolean oidcAllowInsecureHttp() { return oidcAllowInsecureHttp; }
  /** Every issuer's JWKS is re-read this often and replaces the previous key set (removed keys stop verifying). */
  public Duration jwksRefreshInterval() { return jwksRefreshInterval; }
  /** A token with an unknown key id re-reads the JWKS at most once per this interval (per issuer). */
  public Duration jwksMinRefreshInterval() { return jwksMinRefreshInterval; }
  public String gatewayId() { return gatewayId; }
  public long maxRequestBodyBytes() { return maxRequestBodyBytes; }
  public int recordMaxBodyBytes() { return recordMaxBodyBytes; }
  /**
   * The largest response body (and stream frame) the gateway masks for a caller under {@code maskResponse}; a larger
   * one is refused (fail closed), never relayed unmasked.
   */
  public int maxMaskedResponseBytes() { return maxMaskedResponseBytes; }
  public int sessionsMaxTracked() { return sessionsMaxTracked; }
  public Duration sessionsIdleTimeout() { return sessionsIdleTimeout; }
  public String eventsTopic() { return eventsTopic; }
  /** The {@code vigil.proxy.kafka.producer.*} keys with the prefix removed, as given (before defaults). */
  public Map<String, Object> kafkaProducer() { return kafkaProducer; }
  /** A caller connection with no call in progress is closed after this long; 0 disables. Never cuts streams. */
  public Duration serverIdleTimeout() { return serverIdleTimeout; }
  /** The HTTP/1.1 header lines of a request (CRLF not counted), or an HTTP/2 header list, at most; more is 431. */
  public int serverMaxHeaderBytes() { return serverMaxHeaderBytes; }
  /** The HTTP/1.1 request line at most (CRLF not counted); longer is 414. */
  public int serverMaxInitialLineBytes() { return serverMaxInitialLineBytes; }
  /** From a request head's first byte to its last (HTTP/1.1): past it the caller gets a 408 and is disconnected; 0 disables. */
  public Duration serverRequestHeaderTimeout() { return serverRequestHeaderTimeout; }
  /** From a request head's end to its body's end: past it the call is refused with 408 (or cut); 0 disables. */
  public Duration serverRequestBodyTimeout() { return serverRequestBodyTimeout; }
  /** Frames recorded per stream (watch, followed logs, exec/attach/port-forward); the rest are counted. */
  public int streamsMaxFrames() { return streamsMaxFrames; }
  /** Bytes kept per recorded frame; the rest is counted and flagged truncated. */
  public int streamsMaxFrameBytes() { return streamsMaxFrameBytes; }
  /** A followed log's frame is recorded at most this long after its first byte arrived. */
  public Duration streamsLogCoalesceDelay() { return streamsLogCoalesceDelay; }
  /** Complete log lines arriving together are coalesced into one frame up to this many bytes. */
  public int streamsLogCoalesceBytes() { return streamsLogCoalesceBytes; }
  /** Events waiting for the Kafka sender thread at most; a full queue drops (and counts) events. */
  public int recordingQueueMaxEvents() { return recordingQueueMaxEvents; }
  /** Serialized bytes waiting for the Kafka sender thread at most. */
  public long recordingQueueMaxBytes() { return recordingQueueMaxBytes; }

  /** How long a strict call (or frame) waits for the broker's acknowledgement before it is refused (or ended). */
  public Duration recordingStrictTimeout() { return recordingStrictTimeout; }
  /** The policy file, or null (every authenticated request allowed). */
  public java.nio.file.Path policyFile() { return policyFile; }
  public Duration policyReloadInterval() { return policyReloadInterval; }
  /** How long looked-up namespace/object labels are reused (the staleness window); 0 = not cached. */
  public Duration labelCacheTtl() { return labelCacheTtl; }
  /** Looked-up label sets kept at most (least recently used beyond). */
  public int labelCacheMaxEntries() { return labelCacheMaxEntries; }
  /** The longest a label lookup may take; past it the labels are unknown. */
  public Duration labelLookupTimeout() { return labelLookupTimeout; }
  /** The file holding the fingerprint HMAC key (at least 32 bytes), or null (random key per process). */
  public java.nio.file.Path maskingKeyFile() { return maskingKeyFile; }
  /** The LLM channel's settings ({@code vigil.proxy.llm.*}); no provider enabled unless configured. */
  public LlmConfig llm() { return llm; }
  /** The bounds of the per-session Secret fingerprints behind the guardrail {@code no-secret-in-llm-prompt}. */
  public SecretFingerprintsConfig secretFingerprints() { return secretFingerprints; }

  /** Where the proxy management server listens ({@link #MANAGEMENT_HOST}, {@link #MANAGEMENT_PORT}). */
  public ManagementSettings management() { return management; }

  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    kafkaProducer.forEach((k, v) -> shown.put(k, Settings.isSecretKey(k) ? "****" : v));
    return "ProxyConfig{host=" + host + ", port=" + port + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile=" + tlsKeyFile
        + ", upstreamKubeconfig=" + (upstreamKubeconfig != null ? upstreamKubeconfig : "in-cluster:" + serviceAccountDir)
        + ", upstreamConnectTimeout=" + upstreamConnectTimeout
        + ", upstreamIdleTimeout=" + upstreamIdleTimeout + ", upstreamMaxConnections=" + upstreamMaxConnections
        + ", tokenReloadInterval=" + tokenReloadInterval + ", tokenRequest=" + tokenRequest
        + ", http2=" + http2 + ", impersonation=" + impersonation
        + ", oidcIssuers=" + oidcIssuers + ", clockSkew=" + clockSkew + ", oidcAllowInsecureHttp=" + oidcAllowInsecureHttp
        + ", jwksRefreshInterval=" + jwksRefreshInterval + ", jwksMinRefreshInterval=" + jwksMinRefreshInterval
        + ", gatewayId=" + gatewayId + ", maxRequestBodyBytes=" + maxRequestBodyBytes
        + ", recordMaxBodyBytes=" + recordMaxBodyBytes + ", maxMaskedResponseBytes=" + maxMaskedResponseBytes
        + ", sessionsMaxTracked=" + sessionsMaxTracked
        + ", sessionsIdleTimeout=" + sessionsIdleTimeout + ", eventsTopic=" + eventsTopic
        + ", serverIdleTimeout=" + serverIdleTimeout + ", serverMaxHeaderBytes=" + serverMaxHeaderBytes
        + ", serverMaxInitialLineBytes=" + serverMaxInitialLineBytes
        + ", serverRequestHeaderTimeout=" + serverRequestHeaderTimeout
        + ", serverRequestBodyTimeout=" + serverRequestBodyTimeout + ", streamsMaxFrames=" + streamsMaxFrames
        + ", streamsMaxFrameBytes=" + streamsMaxFrameBytes + ", streamsLogCoalesceDelay=" + streamsLogCoalesceDelay
        + ", streamsLogCoalesceBytes=" + streamsLogCoalesceBytes + ", recordingQueueMaxEvents=" + recordingQueueMaxEvents
        + ", recordingQueueMaxBytes=" + recordingQueueMaxBytes
        + ", policyFile=" + policyFile + ", labelCacheTtl=" + labelCacheTtl
        + ", labelCacheMaxEntries=" + labelCacheMaxEntries + ", labelLookupTimeout=" + labelLookupTimeout
        + ", maskingKeyFile=" + maskingKeyFile + ", secretFingerprints=" + secretFingerprints + ", llm=" + llm
        + ", kafkaProducer=" + shown + "}";
  }
}
