package dev.vigil.query;

import java.time.Duration;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * The query API's explicit limits (keys {@code vigil.query.limits.*} and {@code vigil.query.tail.*}): how much one
 * request may read, so that no request can make the API or OpenSearch hold an unbounded result.
 *
 * @param pageSizeMax largest {@code size} of a session or alert search page
 * @param sessionEvents events returned by a session's detail and transcript (more: {@code eventsTruncated})
 * @param sessionAlerts alerts returned with a session's detail and transcript
 * @param exportEvents events written by one export (more: {@code X-Vigil-Truncated: true})
 * @param verifyEvents events one verification reads (a longer session is reported as not verified)
 * @param castFrames exec/attach frames one asciicast replays
 * @param fullTextSessionKeys session keys a session search's {@code q} may match (those with the most recent matches
 *     are kept; the answer says it is partial)
 * @param fullTextSessions candidate sessions a session search's {@code q} may match (more: the answer is partial)
 * @param tailPollInterval how often a live tail polls OpenSearch for new events
 * @param tailHeartbeat a comment line is sent after this long without an event
 * @param tailMaxDuration a live tail ends after this long (the client reconnects with {@code Last-Event-ID})
 * @param tailMaxStreams live tails open at once (more: 503)
 */
public record QueryLimits(int pageSizeMax, int sessionEvents, int sessionAlerts, int exportEvents, int verifyEvents,
    int castFrames, int fullTextSessionKeys, int fullTextSessions, Duration tailPollInterval, Duration tailHeartbeat,
    Duration tailMaxDuration, int tailMaxStreams) {

  public static final String LIMITS = QueryApiConfig.PREFIX + "limits.";
  public static final String PAGE_SIZE_MAX = LIMITS + "page-size-max";
  public static final String SESSION_EVENTS = LIMITS + "session-events";
  public static final String SESSION_ALERTS = LIMITS + "session-alerts";
  public static final String EXPORT_EVENTS = LIMITS + "export-events";
  public static final String VERIFY_EVENTS = LIMITS + "verify-events";
  public static final String CAST_FRAMES = LIMITS + "cast-frames";
  public static final String FULL_TEXT_SESSION_KEYS = LIMITS + "full-text-session-keys";
  public static final String FULL_TEXT_SESSIONS = LIMITS + "full-text-sessions";
  public static final String TAIL_POLL_INTERVAL = QueryApiConfig.PREFIX + "tail.poll-interval";
  public static final String TAIL_HEARTBEAT = QueryApiConfig.PREFIX + "tail.heartbeat-interval";
  public static final String TAIL_MAX_DURATION = QueryApiConfig.PREFIX + "tail.max-duration";
  public static final String TAIL_MAX_STREAMS = QueryApiConfig.PREFIX + "tail.max-streams";

  /** OpenSearch's default {@code index.max_result_window}: a page can never be larger. */
  public static final int MAX_RESULT_WINDOW = 10_000;

  static QueryLimits from(Settings s) {
    return new QueryLimits(
        s.getInt(PAGE_SIZE_MAX, 200, 1, MAX_RESULT_WINDOW - 1),
        s.getInt(SESSION_EVENTS, 2_000, 1, 100_000),
        s.getInt(SESSION_ALERTS, 500, 1, MAX_RESULT_WINDOW),
        s.getInt(EXPORT_EVENTS, 100_000, 1, 10_000_000),
        s.getInt(VERIFY_EVENTS, 100_000, 1, 10_000_000),
        s.getInt(CAST_FRAMES, 50_000, 1, 1_000_000),
        s.getInt(FULL_TEXT_SESSION_KEYS, 1_000, 1, 1_000),
        s.getInt(FULL_TEXT_SESSIONS, 10_000, 1, MAX_RESULT_WINDOW),
        duration(s, TAIL_POLL_INTERVAL, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMinutes(1)),
        duration(s, TAIL_HEARTBEAT, Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(5)),
        duration(s, TAIL_MAX_DURATION, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofHours(24)),
        s.getInt(TAIL_MAX_STREAMS, 100, 1, 10_000));
  }

  private static Duration duration(Settings s, String key, Duration def, Duration min, Duration max) {
    Duration d = s.getDuration(key, def);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException("Setting " + key + " must be between " + min + " and " + max + ", was " + d);
    }
    return d;
  }
}
