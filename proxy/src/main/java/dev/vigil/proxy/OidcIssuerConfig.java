package dev.vigil.proxy;

import dev.vigil.common.LoopbackHosts;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * One trusted OIDC issuer and how its tokens map to a Kubernetes identity, like kube-apiserver's
 * {@code --oidc-issuer-url}, {@code --oidc-client-id}, {@code --oidc-username-claim}, {@code --oidc-username-prefix},
 * {@code --oidc-groups-claim}, {@code --oidc-groups-prefix} and {@code --oidc-ca-file}.
 *
 * <p>The <em>default issuer</em> comes from the single-issuer keys ({@code vigil.proxy.oidc.issuer} …); its prefixes
 * default to none. <em>Named issuers</em> are listed in {@code vigil.proxy.oidc.issuers} and configured under
 * {@code vigil.proxy.oidc.issuer.<name>.*}; their username and groups prefixes default to {@code <name>:}. A prefix of
 * {@code -} means none. When several issuers are trusted, every prefix must be non-empty and none may be a prefix of
 * another (for usernames, and separately for groups), so no issuer can mint an identity belonging to another.
 *
 * @param name           {@value #DEFAULT_NAME} for the default issuer, else the name listed in {@code issuers}
 * @param url            the issuer URL ({@code iss} must equal what its discovery document announces)
 * @param usernamePrefix prepended to the username claim; empty for none
 * @param groupsPrefix   prepended to each group; empty for none
 * @param caFile         extra PEM CA for an https issuer, or null for the JVM trust store
 */
public record OidcIssuerConfig(String name, URI url, String audience, String usernameClaim, String usernamePrefix,
    String groupsClaim, String groupsPrefix, Path caFile) {

  public static final String DEFAULT_NAME = "default";
  /** Names are lower-case so that {@code VIGIL_PROXY_OIDC_ISSUER_<NAME>_URL} maps back to the same key. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");

  /** The per-issuer key {@code vigil.proxy.oidc.issuer.<name>.<suffix>}. */
  public static String key(String name, String suffix) {
    return ProxyConfig.OIDC_ISSUER + "." + name + "." + suffix;
  }

  /** Every trusted issuer: the default one (if {@code vigil.proxy.oidc.issuer} is set), then the named ones. */
  static List<OidcIssuerConfig> parseAll(Settings s, boolean allowInsecureHttp) {
    List<OidcIssuerConfig> out = new ArrayList<>();
    String defaultAudience = s.get(ProxyConfig.OIDC_AUDIENCE, "vigil");
    if (s.has(ProxyConfig.OIDC_ISSUER)) {
      out.add(new OidcIssuerConfig(DEFAULT_NAME,
          url(s, ProxyConfig.OIDC_ISSUER, allowInsecureHttp),
          defaultAudience,
          nonBlank(s, ProxyConfig.OIDC_USERNAME_CLAIM, "sub"),
          prefix(s, ProxyConfig.OIDC_USERNAME_PREFIX, ""),
          nonBlank(s, ProxyConfig.OIDC_GROUPS_CLAIM, "groups"),
          prefix(s, ProxyConfig.OIDC_GROUPS_PREFIX, ""),
          readableFile(s, ProxyConfig.OIDC_CA_FILE)));
    }
    for (String name : names(s)) {
      out.add(new OidcIssuerConfig(name,
          url(s, key(name, "url"), allowInsecureHttp),
          s.get(key(name, "audience"), defaultAudience),
          nonBlank(s, key(name, "username-claim"), "sub"),
          prefix(s, key(name, "username-prefix"), name + ":"),
          nonBlank(s, key(name, "groups-claim"), "groups"),
          prefix(s, key(name, "groups-prefix"), name + ":"),
          readableFile(s, key(name, "ca-file"))));
    }
    if (out.isEmpty()) {
      throw new ConfigException("Missing required setting " + ProxyConfig.OIDC_ISSUER + " (env "
          + Settings.keyToEnv(ProxyConfig.OIDC_ISSUER) + "), or a list of issuers in " + ProxyConfig.OIDC_ISSUERS);
    }
    checkDistinct(out);
    return List.copyOf(out);
  }

  private static Set<String> names(Settings s) {
    Set<String> names = new LinkedHashSet<>();
    for (String raw : s.get(ProxyConfig.OIDC_ISSUERS, "").split(",")) {
      String name = raw.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (!NAME.matcher(name).matches() || name.equals(DEFAULT_NAME)) {
        throw new ConfigException("Setting " + ProxyConfig.OIDC_ISSUERS + ": '" + name + "' is not a valid issuer name "
            + "(lower-case letters, digits and '-', at most 40 characters, not '" + DEFAULT_NAME + "')");
      }
      if (!names.add(name)) {
        throw new ConfigException("Setting " + ProxyConfig.OIDC_ISSUERS + " lists '" + name + "' twice");
      }
    }
    return names;
  }

  private static void checkDistinct(List<OidcIssuerConfig> issuers) {
    for (int i = 0; i < issuers.size(); i++) {
      for (int j = i + 1; j < issuers.size(); j++) {
        OidcIssuerConfig a = issuers.get(i);
        OidcIssuerConfig b = issuers.get(j);
        if (strip(a.url.toString()).equals(strip(b.url.toString()))) {
          throw new ConfigException("Setting " + a.key("url") + " and " + b.key("url") + " name the same issuer " + a.url);
        }
        if (overlap(a.usernamePrefix, b.usernamePrefix)) {
          throw new ConfigException("Settings " + a.key("username-prefix") + " ('" + a.usernamePrefix + "') and "
              + b.key("username-prefix") + " ('" + b.usernamePrefix + "') overlap: with several issuers, every username "
              + "prefix must be non-empty and none may start another, or one issuer could mint another's users");
        }
        if (overlap(a.groupsPrefix, b.groupsPrefix)) {
          throw new ConfigException("Settings " + a.key("groups-prefix") + " ('" + a.groupsPrefix + "') and "
              + b.key("groups-prefix") + " ('" + b.groupsPrefix + "') overlap: with several issuers, every groups "
              + "prefix must be non-empty and none may start another, or one issuer could claim another's groups");
        }
      }
    }
  }

  private static boolean overlap(String p, String q) {
    return p.startsWith(q) || q.startsWith(p); // also true when either is empty
  }

  /** The name of this issuer's key with {@code suffix} (the single-issuer key for the default issuer). */
  public String key(String suffix) {
    if (!DEFAULT_NAME.equals(name)) {
      return key(name, suffix);
    }
    return suffix.equals("url") ? ProxyConfig.OIDC_ISSUER : "vigil.proxy.oidc." + suffix;
  }

  private static URI url(Settings s, String key, boolean allowInsecureHttp) {
    String value = s.required(key).strip();
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException("Setting " + key + " is not a valid URL: '" + value + "'");
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
      throw new ConfigException("Setting " + key + " must be an http(s) URL, was '" + value + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException("Setting " + key + " must not have user info, a query or a fragment");
    }
    if ("http".equals(scheme) && !allowInsecureHttp && !LoopbackHosts.isLoopback(uri.getHost())) {
      throw new ConfigException("Setting " + key + " is '" + value + "': the issuer's keys decide who may call the "
          + "cluster, so they are fetched over https only (plain http is allowed for a loopback issuer, or with "
          + ProxyConfig.OIDC_ALLOW_INSECURE_HTTP + "=true)");
    }
    return uri;
  }

  private static String nonBlank(Settings s, String key, String def) {
    String v = s.get(key, def).strip();
    if (v.isEmpty()) {
      throw new ConfigException("Setting " + key + " must not be empty");
    }
    return v;
  }

  private static String prefix(Settings s, String key, String def) {
    if (!s.has(key)) {
      return def;
    }
    String v = s.get(key, def).strip();
    return v.equals("-") ? "" : v;
  }

  private static Path readableFile(Settings s, String key) {
    if (!s.has(key)) {
      return null;
    }
    Path p = s.getPath(key, null);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException("Setting " + key + " names a file that does not exist or is not readable: " + p);
    }
    return p;
  }

  private static String strip(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
