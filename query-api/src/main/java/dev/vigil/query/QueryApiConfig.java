package dev.vigil.query;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * The query API's configuration, read from {@link Settings} (keys {@code vigil.query.*}) and validated at start; a bad
 * value fails with a {@link ConfigException} naming the key. {@link #toString()} hides the OpenSearch password.
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

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_OPENSEARCH_URL = "http://localhost:9200";
  public static final String DEFAULT_INDEX_PATTERN = "vigil-events-*";
  public static final String DEFAULT_AUDIENCE = "vigil";
  public static final String DEFAULT_GROUPS_CLAIM = "groups";
  public static final String DEFAULT_ANALYST_GROUP = "vigil-analysts";

  private static final Pattern INDEX_PATTERN_SYNTAX = Pattern.compile("[a-z0-9*][a-z0-9*._-]*(,[a-z0-9*][a-z0-9*._-]*)*");
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

  private QueryApiConfig(Settings s) {
    this.host = nonBlank(HOST, s.get(HOST, DEFAULT_HOST));
    this.port = s.getPort(PORT, DEFAULT_PORT);
    this.openSearchUrl = httpUrl(OPENSEARCH_URL, s.get(OPENSEARCH_URL, DEFAULT_OPENSEARCH_URL));
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
    String issuer = httpUrl(OIDC_ISSUER, s.required(OIDC_ISSUER));
    // vertx-auth compares the discovered issuer without a trailing slash
    this.oidcIssuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.oidcAudience = nonBlank(OIDC_AUDIENCE, s.get(OIDC_AUDIENCE, DEFAULT_AUDIENCE));
    this.groupsClaim = s.get(GROUPS_CLAIM, DEFAULT_GROUPS_CLAIM);
    if (!CLAIM_PATH.matcher(groupsClaim).matches()) {
      throw new ConfigException("Setting " + GROUPS_CLAIM + " must be a claim name or dotted path such as groups or realm_access.roles, was '"
          + groupsClaim + "'");
    }
    this.analystGroup = nonBlank(ANALYST_GROUP, s.get(ANALYST_GROUP, DEFAULT_ANALYST_GROUP));
  }

  /** Reads and validates the {@code vigil.query.*} keys. */
  public static QueryApiConfig from(Settings settings) {
    return new QueryApiConfig(settings);
  }

  private static String httpUrl(String key, String value) {
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return value.strip();
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException("Setting " + key + " must be an http(s) URL, was '" + value + "'");
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

  @Override
  public String toString() {
    return "QueryApiConfig{listen=" + host + ":" + port + ", opensearch=" + openSearchUrl
        + (openSearchUsername == null ? "" : ", opensearchUser=" + openSearchUsername + ", opensearchPassword=****")
        + ", indexPattern=" + indexPattern + ", issuer=" + oidcIssuer + ", audience=" + oidcAudience
        + ", groupsClaim=" + groupsClaim + ", analystGroup=" + analystGroup + '}';
  }
}
