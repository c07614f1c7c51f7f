package dev.vigil.streams.detect;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * The detectors' settings, all under {@code vigil.streams.detect.}: per detector {@code <name>.enabled} (default true)
 * and its thresholds (see the stream-processors README, section Detectors). {@code vigil.streams.detect.grace} is the
 * default out-of-order tolerance of the time-based detectors; each may override it with {@code <name>.grace}. Unknown
 * keys under the prefix are refused, so a misspelt setting does not silently leave a default in force.
 */
public final class DetectorSettings {

  public static final String PREFIX = "vigil.streams.detect.";

  public static final String SECRET_LEAKAGE = "secret-leakage";
  public static final String CROSS_CHANNEL_EXFILTRATION = "cross-channel-exfiltration";
  public static final String PRIVILEGE_ESCALATION = "privilege-escalation";
  public static final String EXEC_INTO_POD = "exec-into-pod";
  public static final String MASS_DELETE = "mass-delete";
  public static final String DENY_BURST = "deny-burst";
  public static final String FIRST_NAMESPACE_ACCESS = "first-namespace-access";

  /** Every detector name, in the order {@link Detectors} builds them. */
  public static final List<String> NAMES = List.of(SECRET_LEAKAGE, CROSS_CHANNEL_EXFILTRATION, PRIVILEGE_ESCALATION,
      EXEC_INTO_POD, MASS_DELETE, DENY_BURST, FIRST_NAMESPACE_ACCESS);

  static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);

  private static final Map<String, Set<String>> KNOWN = Map.of(
      SECRET_LEAKAGE, Set.of("enabled", "ignored-kinds", "critical-kinds", "repeat-suppression"),
      CROSS_CHANNEL_EXFILTRATION, Set.of("enabled", "ttl", "grace", "source-kinds"),
      PRIVILEGE_ESCALATION, Set.of("enabled", "privileged-roles", "verbs"),
      EXEC_INTO_POD, Set.of("enabled", "subresources", "sensitive-namespaces"),
      MASS_DELETE, Set.of("enabled", "threshold", "window", "grace"),
      DENY_BURST, Set.of("enabled", "threshold", "window", "grace"),
      FIRST_NAMESPACE_ACCESS, Set.of("enabled", "learning-period", "sensitive-namespaces", "max-namespaces"));

  /** secret-leakage: credentials sent to an LLM or written where they do not belong. */
  public record SecretLeakage(boolean enabled, Set<String> ignoredKinds, Set<String> criticalKinds,
      Duration repeatSuppression) {}

  /** cross-channel-exfiltration: a Secret value read via Kubernetes, then sent to an LLM by the same identity. */
  public record CrossChannelExfiltration(boolean enabled, Duration ttl, Duration grace, Set<String> sourceKinds) {}

  /** privilege-escalation: RBAC, pod and token requests that widen what the caller can do. */
  public record PrivilegeEscalation(boolean enabled, Set<String> privilegedRoles, Set<String> verbs) {}

  /** exec-into-pod: interactive access to a container. */
  public record ExecIntoPod(boolean enabled, Set<String> subresources, Set<String> sensitiveNamespaces) {}

  /** mass-delete and deny-burst: at least {@code threshold} matching calls of one session key in a tumbling window. */
  public record Burst(boolean enabled, int threshold, Duration window, Duration grace) {}

  /** first-namespace-access: an identity touching a namespace outside its learnt baseline. */
  public record FirstNamespaceAccess(boolean enabled, Duration learningPeriod, Set<String> sensitiveNamespaces,
      int maxNamespaces) {}

  private final Settings source;
  private final SecretLeakage secretLeakage;
  private final CrossChannelExfiltration crossChannelExfiltration;
  private final PrivilegeEscalation privilegeEscalation;
  private final ExecIntoPod execIntoPod;
  private final Burst massDelete;
  private final Burst denyBurst;
  private final FirstNamespaceAccess firstNamespaceAccess;

  private DetectorSettings(Settings s) {
    validateKeys(s);
    this.source = s;
    Duration grace = nonNegative(s, PREFIX + "grace", DEFAULT_GRACE);
    this.secretLeakage = new SecretLeakage(enabled(s, SECRET_LEAKAGE),
        list(s, key(SECRET_LEAKAGE, "ignored-kinds"), "k8s-secret,k8s-secret-body"),
        list(s, key(SECRET_LEAKAGE, "critical-kinds"), "pem-private-key,gcp-service-account"),
        nonNegative(s, key(SECRET_LEAKAGE, "repeat-suppression"), Duration.ofHours(1)));
    this.crossChannelExfiltration = new CrossChannelExfiltration(enabled(s, CROSS_CHANNEL_EXFILTRATION),
        positive(s, key(CROSS_CHANNEL_EXFILTRATION, "ttl"), Duration.ofHours(24)),
        nonNegative(s, key(CROSS_CHANNEL_EXFILTRATION, "grace"), grace),
        list(s, key(CROSS_CHANNEL_EXFILTRATION, "source-kinds"), "k8s-secret"));
    this.privilegeEscalation = new PrivilegeEscalation(enabled(s, PRIVILEGE_ESCALATION),
        list(s, key(PRIVILEGE_ESCALATION, "privileged-roles"), "cluster-admin,admin,edit"),
        list(s, key(PRIVILEGE_ESCALATION, "verbs"), "escalate,bind,impersonate"));
    this.execIntoPod = new ExecIntoPod(enabled(s, EXEC_INTO_POD),
        list(s, key(EXEC_INTO_POD, "subresources"), "exec,attach"),
        list(s, key(EXEC_INTO_POD, "sensitive-namespaces"), "kube-system"));
    this.massDelete = burst(s, MASS_DELETE, grace);
    this.denyBurst = burst(s, DENY_BURST, grace);
    this.firstNamespaceAccess = new FirstNamespaceAccess(enabled(s, FIRST_NAMESPACE_ACCESS),
        nonNegative(s, key(FIRST_NAMESPACE_ACCESS, "learning-period"), Duration.ofHours(24)),
        list(s, key(FIRST_NAMESPACE_ACCESS, "sensitive-namespaces"), "kube-system"),
        s.getInt(key(FIRST_NAMESPACE_ACCESS, "max-namespaces"), 1000, 1, 1_000_000));
  }

  /** The detectors' settings from Vigil's configuration (keys under {@value #PREFIX}). */
  public static DetectorSettings from(Settings s) {
    return new DetectorSettings(s);
  }

  /** Every detector enabled, every threshold at its default. */
  public static DetectorSettings defaults() {
    return new DetectorSettings(Settings.of(Map.of()));
  }

  /** A copy with one setting changed, e.g. {@code with("mass-delete.threshold", "3")}; the prefix is optional. */
  public DetectorSettings with(String key, String value) {
    String full = key.startsWith(PREFIX) ? key : PREFIX + key;
    return new DetectorSettings(source.with(Map.of(full, value)));
  }

  /** A copy with only the named detectors enabled (the others switched off), thresholds unchanged. */
  public DetectorSettings only(String... names) {
    Set<String> on = Set.of(names);
    Map<String, String> m = new HashMap<>();
    for (String n : on) {
      if (!NAMES.contains(n)) {
        throw new ConfigException("Unknown detector " + n + "; known: " + NAMES);
      }
    }
    NAMES.forEach(n -> m.put(key(n, "enabled"), Boolean.toString(on.contains(n))));
    return new DetectorSettings(source.with(m));
  }

  public SecretLeakage secretLeakage() { return secretLeakage; }
  public CrossChannelExfiltration crossChannelExfiltration() { return crossChannelExfiltration; }
  public PrivilegeEscalation privilegeEscalation() { return privilegeEscalation; }
  public ExecIntoPod execIntoPod() { return execIntoPod; }
  public Burst massDelete() { return massDelete; }
  public Burst denyBurst() { return denyBurst; }
  public FirstNamespaceAccess firstNamespaceAccess() { return firstNamespaceAccess; }

  @Override
  public String toString() {
    return "DetectorSettings{" + secretLeakage + ", " + crossChannelExfiltration + ", " + privilegeEscalation + ", "
        + execIntoPod + ", massDelete=" + massDelete + ", denyBurst=" + denyBurst + ", " + firstNamespaceAccess + "}";
  }

  static String key(String detector, String setting) {
    return PREFIX + detector + "." + setting;
  }

  private static void validateKeys(Settings s) {
    for (String k : s.withPrefix(PREFIX).keySet()) {
      if ("grace".equals(k)) {
        continue;
      }
      int dot = k.indexOf('.');
      String detector = dot < 0 ? k : k.substring(0, dot);
      Set<String> known = KNOWN.get(detector);
      if (known == null) {
        throw new ConfigException("Unknown setting " + PREFIX + k + ": no detector named " + detector
            + " (known: " + NAMES + ")");
      }
      if (dot < 0 || !known.contains(k.substring(dot + 1))) {
        throw new ConfigException("Unknown setting " + PREFIX + k + " (detector " + detector + " has "
            + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static boolean enabled(Settings s, String detector) {
    return s.getBoolean(key(detector, "enabled"), true);
  }

  private static Burst burst(Settings s, String detector, Duration grace) {
    Duration window = positive(s, key(detector, "window"), Duration.ofMinutes(1));
    return new Burst(enabled(s, detector), s.getInt(key(detector, "threshold"), 10, 1, 1000), window,
        nonNegative(s, key(detector, "grace"), grace));
  }

  /** A comma-separated list (blank entries ignored); the value {@code none} is the empty list. */
  private static Set<String> list(Settings s, String key, String defaultValue) {
    String v = s.get(key, defaultValue).strip();
    if ("none".equalsIgnoreCase(v)) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(v.split(",")).map(String::strip).filter(e -> !e.isEmpty()).forEach(out::add);
    return Set.copyOf(out);
  }

  /** A duration as {@link Settings#getDuration} reads it, or a bare {@code 0}. */
  private static Duration duration(Settings s, String key, Duration defaultValue) {
    return "0".equals(s.get(key, "").strip()) ? Duration.ZERO : s.getDuration(key, defaultValue);
  }

  private static Duration nonNegative(Settings s, String key, Duration defaultValue) {
    Duration d = duration(s, key, defaultValue);
    if (d.isNegative()) {
      throw new ConfigException("Setting " + key + " must not be negative, was " + d);
    }
    return d;
  }

  private static Duration positive(Settings s, String key, Duration defaultValue) {
    Duration d = duration(s, key, defaultValue);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException("Setting " + key + " must be positive, was " + d);
    }
    return d;
  }
}
