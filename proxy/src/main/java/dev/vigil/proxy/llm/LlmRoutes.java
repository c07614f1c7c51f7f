package dev.vigil.proxy.llm;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The LLM channel's route table: {@code /llm/<provider>/<path>} goes to {@code <provider url>/<path>} for these paths
 * only (anything else is answered 404, or 405 for a known path with another method, in the provider's format):
 * <ul>
 *   <li>{@code anthropic}: {@code POST v1/messages} (messages), {@code POST v1/messages/count_tokens} (count_tokens),
 *       {@code GET v1/models} and {@code GET v1/models/<id>} (models);</li>
 *   <li>{@code openai}: {@code POST v1/chat/completions} (chat.completions), {@code GET v1/models} (models).</li>
 * </ul>
 * Paths are matched in their canonical form (the gateway's path canonicalisation ran first), exactly: no trailing
 * slash, no other segment. A model id is 1–256 characters of {@code [A-Za-z0-9._:@-]}.
 */
final class LlmRoutes {

  static final String PREFIX = "/llm/";
  static final String ANTHROPIC = "anthropic";
  static final String OPENAI = "openai";
  private static final String ID = "{id}";
  private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,256}");

  /**
   * A route of the table.
   *
   * @param upstreamPath the path below the provider's URL, starting with {@code /}
   * @param model        the model the path names ({@code v1/models/<id>}), else null
   */
  record Route(String provider, String operation, String method, String upstreamPath, String model) {}

  /** The route for a request, or why there is none: status 404, or 405 with the method the path allows. */
  record Match(Route route, int status, String allow) {
    boolean found() {
      return route != null;
    }
  }

  private record Entry(String provider, String method, String path, String operation) {}

  private static final List<Entry> TABLE = List.of(
      new Entry(ANTHROPIC, "POST", "v1/messages", "messages"),
      new Entry(ANTHROPIC, "POST", "v1/messages/count_tokens", "count_tokens"),
      new Entry(ANTHROPIC, "GET", "v1/models", "models"),
      new Entry(ANTHROPIC, "GET", "v1/models/" + ID, "models"),
      new Entry(OPENAI, "POST", "v1/chat/completions", "chat.completions"),
      new Entry(OPENAI, "GET", "v1/models", "models"));

  private LlmRoutes() {}

  /** Whether a canonical path belongs to the LLM channel ({@code /llm} or below). */
  static boolean isLlmPath(String canonicalPath) {
    return canonicalPath.equals("/llm") || canonicalPath.startsWith(PREFIX);
  }

  /** The provider segment of an LLM path ({@code anthropic}, {@code openai}, or whatever the caller wrote), or null. */
  static String provider(String canonicalPath) {
    if (!canonicalPath.startsWith(PREFIX)) {
      return null;
    }
    String rest = canonicalPath.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String p = slash < 0 ? rest : rest.substring(0, slash);
    return p.isEmpty() ? null : p;
  }

  static Match match(String method, String canonicalPath) {
    String provider = provider(canonicalPath);
    if (provider == null) {
      return new Match(null, 404, null);
    }
    String sub = canonicalPath.length() > PREFIX.length() + provider.length() + 1
        ? canonicalPath.substring(PREFIX.length() + provider.length() + 1) : "";
    String allow = null;
    for (Entry e : TABLE) {
      if (!e.provider.equals(provider)) {
        continue;
      }
      String model = matches(e.path, sub);
      if (model == null) {
        continue;
      }
      if (!e.method.equals(method)) {
        allow = e.method;
        continue;
      }
      return new Match(new Route(provider, e.operation, method, "/" + sub, model.isEmpty() ? null : model), 200, null);
    }
    return allow != null ? new Match(null, 405, allow) : new Match(null, 404, null);
  }

  /** "" for an exact match, the id for an {id} match, null for no match. */
  private static String matches(String pattern, String path) {
    if (!pattern.endsWith(ID)) {
      return pattern.equals(path) ? "" : null;
    }
    String prefix = pattern.substring(0, pattern.length() - ID.length());
    if (!path.startsWith(prefix)) {
      return null;
    }
    String id = path.substring(prefix.length());
    return MODEL_ID.matcher(id).matches() ? id : null;
  }
}
