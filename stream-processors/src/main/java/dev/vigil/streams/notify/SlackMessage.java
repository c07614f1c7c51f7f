package dev.vigil.streams.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.schema.Alert;

/**
 * The Slack-compatible body ({@code {"text": ..., "blocks": [...]}}, Block Kit) for incoming webhooks. Everything an
 * alert carries may come from recorded traffic, i.e. from the agent being watched, so every value is escaped for
 * Slack's mrkdwn ({@code &}, {@code <}, {@code >} become {@code &amp;}, {@code &lt;}, {@code &gt;}): recorded content can
 * then neither mention ({@code <!channel>}, {@code <@U123>}) nor link ({@code <https://evil|click here>}). Values are cut
 * to Slack's limits (never inside an escape) and marked with {@code …}.
 */
public final class SlackMessage {

  static final int TEXT_MAX = 300;
  static final int HEADER_MAX = 150;
  static final int FIELD_MAX = 2000;
  static final int SECTION_MAX = 3000;

  private SlackMessage() {}

  /** The body as an ordered map, ready for a JSON writer. */
  public static Map<String, Object> toMap(Alert alert) {
    String severity = alert.getSeverity().name();
    String who = alert.getIdentity().getUsername();
    String session = alert.getSessionId() != null ? alert.getSessionId() : alert.getSessionKey();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", escape("[" + severity + "] " + alert.getType() + " by " + who + ": " + alert.getDescription(), TEXT_MAX));
    m.put("blocks", List.of(
        obj("type", "header", "text", plain(cut(severity + " · " + alert.getType(), HEADER_MAX))),
        obj("type", "section", "fields", List.of(
            field("Severity", severity), field("Type", alert.getType()), field("Who", who), field("Session", session))),
        obj("type", "section", "text", mrkdwn(escape(alert.getDescription(), SECTION_MAX))),
        obj("type", "context", "elements", List.of(
            mrkdwn(escape("Vigil alert " + alert.getAlertId() + " · " + AlertJson.time(alert), SECTION_MAX))))));
    return m;
  }

  private static Map<String, Object> field(String label, String value) {
    String title = "*" + label + "*\n";
    return mrkdwn(title + escape(value == null ? "-" : value, FIELD_MAX - title.length()));
  }

  private static Map<String, Object> mrkdwn(String text) {
    return obj("type", "mrkdwn", "text", text);
  }

  private static Map<String, Object> plain(String text) {
    return obj("type", "plain_text", "text", text, "emoji", false);
  }

  /** An object whose keys keep their order in the JSON (Map.of's order varies from run to run). */
  private static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Escapes {@code &}, {@code <}, {@code >} and keeps the result within {@code max} characters (ending in … if cut). */
  public static String escape(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length() + 16, max));
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String piece = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : String.valueOf(c);
      if (sb.length() + piece.length() > max - 1 && i < s.length() - 1
          || sb.length() + piece.length() > max) {
        return cutSurrogate(sb).append('…').toString();
      }
      sb.append(piece);
    }
    return sb.toString();
  }

  /** Plain text cut to {@code max} characters (ending in … if cut). */
  static String cut(String s, int max) {
    return s.length() <= max ? s : cutSurrogate(new StringBuilder(s.substring(0, max - 1))).append('…').toString();
  }

  private static StringBuilder cutSurrogate(StringBuilder sb) {
    if (sb.length() > 0 && Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
      sb.setLength(sb.length() - 1);
    }
    return sb;
  }
}
