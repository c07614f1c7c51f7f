package dev.vigil.query;

import dev.vigil.ops.ManagementSettings;
import dev.vigil.common.LoopbackHosts;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.OpenSearchClients;

/**
 * The query API's configuration, read from {@link Settings} (keys {@code vigil.query.*}) and validated at start; a bad
 * value fails with a {@link ConfigException} naming the key. {@link #toString()} hides the OpenSearch password; URLs
 * with credentials in them are refused.
 *
 * <p>Transport security: the OIDC issuer must be {@code https://} unless it is on a loopback host (its keys decide who
 * is an analyst); the listener serves HTTPS when {@code tls.cert-file}/{@code tls.key-file} are set, and refuses to
 * listen on a non-loopback host in plain HTTP unless {@code allow-insecure-http=true} (TLS terminated in front of it).
 */
public final class QueryApiConfig {

  public static final String PREFIX = "vigil.query.";
  public static final String HOST = PREFIX + "host";
  public static final String PORT = PREFIX + "port";
  public static final String OPENSEARCH_URL = PREFIX + "opensearch.url";
  public static final String OPENSEARCH_USERNAME = PREFIX + "opensearch.username";
  public static final String OPENSEARCH_PASSWORD = PREFIX + "opensearch.password";
  public static final String INDEX_PATTERN = PREFIX + "index-pattern";
  public static final String OIDC_ISSUER = PREFIX + "oidc.issuer";
  public static final String OIDC_AUDIENCE = PREFIX + "oidc.audience";
  public static final String GROUPS_CLAIM = PREFIX + "oidc.groups-claim";
  public static final String ANALYST_GROUP = PREFIX + "analyst-group";
  public static final String TLS_CERT_FILE = PREFIX + "tls.cert-file";
  public static final String TLS_KEY_FILE = PREFIX + "tls.key-file";
  public static final String ALLOW_INSECURE_HTTP = PREFIX + "allow-insecure-http";
  public static final String SESSIONS_INDEX = PREFIX + "sessions-index";
  public static final String ALERTS_INDEX = PREFIX + "alerts-index";
  public static final String USERNAME_CLAIM = PREFIX + "oidc.username-claim";
  public static final String USERNAME_PREFIX = PREFIX + "oidc.username-prefix";
  public static final String VERIFY_MAX_BODY_CHARS = PREFIX + "verify.max-body-chars";
  /** Interface of the management server ({@code /healthz}, {@code /readyz}, {@code /metrics}); default {@code 0.0.0.0}. */
  public static final String MANAGEMENT_HOST = PREFIX + "management.host";
  /** Port of the management server; default 9404, 0 picks a free port, -1 starts none. */
  public static final String MANAGEMENT_PORT = PREFIX + "management.port";

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_OPENSEARCH_URL = "http://localhost:9200";
  public static final String DEFAULT_INDEX_PATTERN = "vigil-events-*";
  public static final String DEFAULT_AUDIENCE = "vigil";
  public static final String DEFAULT_GROUPS_CLAIM = "groups";
  public static final String DEFAULT_ANALYST_GROUP = "vigil-analysts";
  public static final String DEFAULT_SESSIONS_INDEX = "vigil-sessions";
  public static final String DEFAULT_ALERTS_INDEX = "vigil-alerts";
  /** The gateway's default username claim ({@code vigil.proxy.oidc.username-claim}). */
  public static final String DEFAULT_USERNAME_CLAIM = "sub";

  private static final Pattern INDEX_PATTERN_SYNTAX = Pattern.compile("[a-z0-9*][a-z0-9*._-]*(,[a-z0-9*][a-z0-9*._-]*)*");
  private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,254}");
  private static final Pattern CLAIM_PATH = Pattern.compile("[A-Za-z0-9_:/-]+(\\.[A-Za-z0-9_:/-]+)*");

  private final String host;
  private final int port;
  private final String openSearchUrl;
  private final String openSearchUsername;
  private final String openSearchPassword;
  private final String indexPattern;
  private final String oidcIssuer;
  private final String oidcAudience;
  private final String groupsClaim;
  private final String analystGroup;
  private final Path tlsCertFile;
  private final Path tlsKeyFile;
  private final boolean allowInsecureHttp;
  private final String sessionsIndex;
  private final String alertsIndex;
  private final String usernameClaim;
  private final String usernamePrefix;
  private final int verifyMaxBodyChars;
  private final ManagementSettings management;
  private final QueryLimits limits;
  private final SigningKeys signingKeys;

  private QueryApiConfig(Settings s) {
    this.host = nonBlank(HOST, s.get(HOST, DEFAULT_HOST));
    this.port = s.getPort(PORT, DEFAULT_PORT);
    this.tlsCertFile = readableFile(TLS_CERT_FILE, s);
    this.tlsKeyFile = readableFile(TLS_KEY_FILE, s);
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw new ConfigException("Settings " + TLS_CERT_FILE + " and " + TLS_KEY_FILE + " must be set together (PEM "
          + "certificate chain and PEM private key)");
    }
    this.allowInsecureHttp = s.getBoolean(ALLOW_INSECURE_HTTP, false);
    if (tlsCertFile == null && !allowInsecureHttp && !LoopbackHosts.isLoopback(host)) {
      throw new ConfigException("Setting " + HOST + " is '" + host + "', not a loopback address, and TLS is not configured: "
          + "set " + TLS_CERT_FILE + " and " + TLS_KEY_FILE + " to serve HTTPS (bearer tokens must not cross the network in "
          + "clear), or set " + ALLOW_INSECURE_HTTP + "=true if TLS is terminated in front of the query API");
    }
    this.openSearchUrl = OpenSearchClients.validateUrl(OPENSEARCH_URL, s.get(OPENSEARCH_URL, DEFAULT_OPENSEARCH_URL));
    this.openSearchUsername = s.get(OPENSEARCH_USERNAME, null);
    this.openSearchPassword = s.get(OPENSEARCH_PASSWORD, null);
    if (openSearchUsername != null && openSearchPassword == null) {
      throw new ConfigException("Setting " + OPENSEARCH_PASSWORD + " is required when " + OPENSEARCH_USERNAME + " is set");
    }
    this.indexPattern = s.get(INDEX_PATTERN, DEFAULT_INDEX_PATTERN);
    if (indexPattern.length() > 1000 || !INDEX_PATTERN_SYNTAX.matcher(indexPattern).matches()) {
      throw new ConfigException("Setting " + INDEX_PATTERN + " must be a lower-case index name or pattern such as vigil-events-*, was '"
          + indexPattern + "'");
    }
    String issuer = issuerUrl(s.required(OIDC_ISSUER));
    // vertx-auth compares the discovered issuer without a trailing slash
    this.oidcIssuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.oidcAudience = nonBlank(OIDC_AUDIENCE, s.get(OIDC_AUDIENCE, DEFAULT_AUDIENCE));
    this.groupsClaim = s.get(GROUPS_CLAIM, DEFAULT_GROUPS_CLAIM);
    if (!CLAIM_PATH.matcher(groupsClaim).matches()) {
      throw new ConfigException("Setting " + GROUPS_CLAIM + " must be a claim name or dotted path such as groups or realm_access.roles, was '"
          + groupsClaim + "'");
    }
    this.analystGroup = nonBlank(ANALYST_GROUP, s.get(ANALYST_GROUP, DEFAULT_ANALYST_GROUP));
    this.usernameClaim = s.get(USERNAME_CLAIM, DEFAULT_USERNAME_CLAIM).strip();
    if (!CLAIM_PATH.matcher(usernameClaim).matches() || usernameClaim.contains(".")) {
      throw new ConfigException("Setting " + USERNAME_CLAIM + " must be a claim name such as sub or preferred_username, was '"
          + usernameClaim + "'");
    }
    String prefix = s.get(USERNAME_PREFIX, "");
    this.usernamePrefix = prefix.equals("-") ? "" : prefix;
    this.sessionsIndex = indexName(SESSIONS_INDEX, s.get(SESSIONS_INDEX, DEFAULT_SESSIONS_INDEX));
    this.alertsIndex = indexName(ALERTS_INDEX, s.get(ALERTS_INDEX, DEFAULT_ALERTS_INDEX));
    // the indexer's body cap, needed to re-derive a stored document from its raw record (same settings file)
    int indexerCap = s.getInt(IndexerConfig.MAX_BODY_CHARS, IndexerConfig.DEFAULT_MAX_BODY_CHARS, 0, 10_000_000);
    this.verifyMaxBodyChars = s.getInt(VERIFY_MAX_BODY_CHARS, indexerCap, 0, 10_000_000);
    this.limits = QueryLimits.from(s);
    this.signingKeys = SigningKeys.from(s);
    this.management = ManagementSettings.from(s, MANAGEMENT_HOST, MANAGEMENT_PORT);
  }

  /** Reads and validates the {@code vigil.query.*} keys. */
  public static QueryApiConfig from(Settings settings) {
    return new QueryApiConfig(settings);
  }

  /** An https:// URL, or http:// on a loopback host (a development issuer on the same machine). */
  private static String issuerUrl(String value) {
    String v = value.strip();
    String redacted = OpenSearchClients.redactUserInfo(v);
    if (!redacted.equals(v)) {
      throw new ConfigException("Setting " + OIDC_ISSUER + " must not contain credentials, was '" + redacted + "'");
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new ConfigException("Setting " + OIDC_ISSUER + " must be an https:// URL, was '" + v + "'");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new ConfigException("Setting " + OIDC_ISSUER + " must be an https:// URL, was '" + v + "'");
    }
    if (scheme.equals("http") && !LoopbackHosts.isLoopback(uri.getHost())) {
      throw new ConfigException("Setting " + OIDC_ISSUER + " must be an https:// URL: its signing keys decide who is an "
          + "analyst, so they are not fetched over plain HTTP (allowed only for a loopback issuer such as "
          + "http://127.0.0.1:8180), was '" + v + "'");
    }
    return v;
  }

  private static String indexName(String key, String value) {
    String v = value.strip();
    if (!INDEX_NAME.matcher(v).matches()) {
      throw new ConfigException("Setting " + key + " must be a lower-case index name, was '" + v + "'");
    }
    return v;
  }

  private static Path readableFile(String key, Settings s) {
    if (!s.has(key)) {
      return null;
    }
    Path p = s.getPath(key, null);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException("Setting " + key + " must name a readable PEM file, was '" + p + "'");
    }
    return p;
  }

  private static String nonBlank(String key, String v) {
    if (v == null || v.isBlank()) {
      throw new ConfigException("Setting " + key + " must not be blank");
    }
    return v.strip();
  }

  public String host() { return host; }

  /** The port to listen on; 0 means any free port (see {@link QueryApi#port()}). */
  public int port() { return port; }

  public String openSearchUrl() { return openSearchUrl; }

  public String openSearchUsername() { return openSearchUsername; }

  public String openSearchPassword() { return openSearchPassword; }

  /** Index name or wildcard pattern searched, default {@code vigil-events-*}. */
  public String indexPattern() { return indexPattern; }

  /** The OIDC issuer URL, without a trailing slash; discovery reads {@code <issuer>/.well-known/openid-configuration}. */
  public String oidcIssuer() { return oidcIssuer; }

  public String oidcAudience() { return oidcAudience; }

  /** The claim (or dotted path into nested claims) holding the caller's groups. */
  public String groupsClaim() { return groupsClaim; }

  public String analystGroup() { return analystGroup; }

  /** Whether the listener serves HTTPS ({@link #tlsCertFile()} and {@link #tlsKeyFile()} are set). */
  public boolean tls() { return tlsCertFile != null; }

  /** PEM certificate chain (leaf first) of the HTTPS listener, or null. */
  public Path tlsCertFile() { return tlsCertFile; }

  /** PEM private key (PKCS#8 or PKCS#1) of the HTTPS listener, or null. */
  public Path tlsKeyFile() { return tlsKeyFile; }

  /** Plain HTTP was explicitly allowed on a non-loopback host (TLS terminated in front). */
  public boolean allowInsecureHttp() { return allowInsecureHttp; }

  /** The sessions index (one document per session, id = sessionId), default {@code vigil-sessions}. */
  public String sessionsIndex() { return sessionsIndex; }

  /** The alerts index (id = alertId), default {@code vigil-alerts}. */
  public String alertsIndex() { return alertsIndex; }

  /**
   * The claim that, with {@link #usernamePrefix()}, gives the caller's username as the gateway maps it: a caller outside
   * the analyst group sees the sessions, events and alerts whose {@code identity.username} is that name.
   */
  public String usernameClaim() { return usernameClaim; }

  /** Prepended to the username claim, as the gateway's {@code oidc.username-prefix} does; empty by default. */
  public String usernamePrefix() { return usernamePrefix; }

  /** The indexer's body cap ({@code vigil.indexer.max-body-chars}) with which stored documents are re-derived. */
  public int verifyMaxBodyChars() { return verifyMaxBodyChars; }

  public QueryLimits limits() { return limits; }

  /** Public keys verifying closed sessions' signatures, by key id. */
  public SigningKeys signingKeys() { return signingKeys; }

  /** Where the query API management server listens ({@link #MANAGEMENT_HOST}, {@link #MANAGEMENT_PORT}). */
  public ManagementSettings management() { return management; }

  @Override
  public String toString() {
    return "QueryApiConfig{listen=" + (tls() ? "https://" : "http://") + host + ":" + port
        + (tls() ? ", tlsCert=" + tlsCertFile + ", tlsKey=" + tlsKeyFile : "")
        + (allowInsecureHttp ? ", allowInsecureHttp=true" : "") + ", opensearch=" + openSearchUrl
        + (openSearchUsername == null ? "" : ", opensearchUser=" + openSearchUsername + ", opensearchPassword=****")
        + ", indexPattern=" + indexPattern + ", issuer=" + oidcIssuer + ", audience=" + oidcAudience
        + ", groupsClaim=" + groupsClaim + ", analystGroup=" + analystGroup + ", usernameClaim=" + usernameClaim
        + (usernamePrefix.isEmpty() ? "" : ", usernamePrefix=" + usernamePrefix) + ", sessionsIndex=" + sessionsIndex
        + ", alertsIndex=" + alertsIndex + ", verifyMaxBodyChars=" + verifyMaxBodyChars + ", " + limits
        + ", signingKeys=" + signingKeys + '}';
  }
}
