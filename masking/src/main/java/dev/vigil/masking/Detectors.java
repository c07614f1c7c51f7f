package dev.vigil.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credential detectors over free text. Each match is replaced in place by {@code masked:<kind>:<fingerprint>} and
 * reported as a {@link Finding}. Text that already holds our tokens is left as is (masking is idempotent).
 * Overlapping matches: the earliest start wins, then the longest, then the more specific detector.
 * See the module README for the detector list and thresholds.
 */
public final class Detectors {
    public static final String PEM_PRIVATE_KEY = "pem-private-key";
    public static final String AWS_ACCESS_KEY = "aws-access-key";
    public static final String AWS_SECRET_KEY = "aws-secret-key";
    public static final String GCP_SERVICE_ACCOUNT = "gcp-service-account";
    public static final String GITHUB_TOKEN = "github-token";
    public static final String GITLAB_TOKEN = "gitlab-token";
    public static final String SLACK_TOKEN = "slack-token";
    public static final String JWT = "jwt";
    public static final String BEARER_TOKEN = "bearer-token";
    public static final String GENERIC_SECRET = "generic-secret";

    /** Minimum Shannon entropy (bits per character) of a value assigned to a secret-looking key. */
    public static final double MIN_ENTROPY_BITS_PER_CHAR = 3.0;
    /** Minimum length of such a value. */
    public static final int MIN_GENERIC_LENGTH = 8;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?)-----[\\s\\S]*?(?:-----END \\1-----|\\z)");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    private static final Pattern AWS_SECRET = Pattern.compile(
            "(?i)aws_?secret_?access_?key[\"']?[ \\t]*[:=][ \\t]*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])");
    private static final Pattern GCP_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"service_account\"");
    private static final Pattern GCP_KEY = Pattern.compile(
            "\"private_key\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)++)\"");
    private static final Pattern GITHUB = Pattern.compile(
            "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])");
    private static final Pattern GITLAB = Pattern.compile("(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,255}");
    private static final Pattern SLACK = Pattern.compile("(?<![A-Za-z0-9_-])xox[baprs]-[A-Za-z0-9-]{10,255}");
    private static final Pattern JWT_CANDIDATE = Pattern.compile(
            "(?<![A-Za-z0-9_-])(ey[A-Za-z0-9_-]{6,})\\.([A-Za-z0-9_-]{2,})\\.([A-Za-z0-9_-]*)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/=-]{16,})");
    private static final Pattern GENERIC = Pattern.compile(
            "(?i)(?:password|passwd|token|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key)"
                    + "[\"']?[ \\t]*[:=][ \\t]*[\"']?([^\\s\"',;&<>]{" + MIN_GENERIC_LENGTH + ",512})");
    /** JSON field names whose string value is a credential when it is high-entropy (see {@link #isSecretFieldName}). */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?i)[a-z0-9_.-]{0,64}(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Detectors() {
    }

    /** One detected span of the text; {@code fingerprintInput} is what is fingerprinted (normalised value). */
    public record Match(String kind, int start, int end, String fingerprintInput, int priority) {
    }

    /** The masked text and what was found; locations are {@code <base>@<offset in the original text>}. */
    public record Masked(String text, List<Finding> findings) {
        public boolean changed() {
            return !findings.isEmpty();
        }
    }

    /** Masks every detected credential in {@code text}. {@code location} prefixes finding locations (may be ""). */
    public static Masked mask(String text, String location, Fingerprinter fp) {
        Objects.requireNonNull(fp, "fingerprinter");
        if (text == null || text.isEmpty()) {
            return new Masked(text, List.of());
        }
        List<Match> matches = scan(text);
        if (matches.isEmpty()) {
            return new Masked(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<Finding> findings = new ArrayList<>();
        int pos = 0;
        for (Match m : matches) {
            String f = fp.fingerprint(m.fingerprintInput());
            out.append(text, pos, m.start()).append(MaskTokens.token(m.kind(), f));
            pos = m.end();
            findings.add(new Finding(m.kind(), (location == null ? "" : location) + "@" + m.start(), f));
        }
        out.append(text, pos, text.length());
        return new Masked(out.toString(), List.copyOf(findings));
    }

    /** All non-overlapping credential spans, in text order, outside our own {@code masked:} tokens. */
    public static List<Match> scan(String text) {
        List<Match> all = new ArrayList<>();
        List<int[]> taken = new ArrayList<>();
        if (text.contains(MaskTokens.PREFIX)) {
            Matcher t = MaskTokens.TOKEN.matcher(text);
            while (t.find()) {
                taken.add(new int[] {t.start(), t.end()});
            }
        }
        if (text.contains("PRIVATE KEY")) {
            Matcher m = PEM.matcher(text);
            while (m.find()) {
                all.add(new Match(PEM_PRIVATE_KEY, m.start(), m.end(), normalisePem(m.group()), 1));
            }
        }
        if (text.contains("service_account") && GCP_TYPE.matcher(text).find()) {
            Matcher m = GCP_KEY.matcher(text);
            while (m.find()) {
                all.add(new Match(GCP_SERVICE_ACCOUNT, m.start(1), m.end(1), normalisePem(m.group(1)), 0));
            }
        }
        // Each detector runs only when the text holds a literal every one of its matches must contain: most strings
        // hold none, and a regex pass per detector over every string of every body was the gateway's hottest path.
        // The case-insensitive detectors are ASCII-only ((?i) without UNICODE_CASE): a lower-cased copy holds their
        // literals whenever they could match (extra characters lowered to ASCII only let a detector run needlessly).
        String lower = text.toLowerCase(Locale.ROOT);
        boolean assignment = text.indexOf(':') >= 0 || text.indexOf('=') >= 0;
        if (text.contains("AKIA") || text.contains("ASIA")) {
            simple(all, AWS_KEY_ID.matcher(text), AWS_ACCESS_KEY, 2);
        }
        if (assignment && lower.contains("secret") && lower.contains("aws")) {
            Matcher aws = AWS_SECRET.matcher(text);
            while (aws.find()) {
                all.add(new Match(AWS_SECRET_KEY, aws.start(1), aws.end(1), aws.group(1), 2));
            }
        }
        if (text.contains("gh") || text.contains("github_pat_")) {
            simple(all, GITHUB.matcher(text), GITHUB_TOKEN, 2);
        }
        if (text.contains("glpat-")) {
            simple(all, GITLAB.matcher(text), GITLAB_TOKEN, 2);
        }
        if (text.contains("xox")) {
            simple(all, SLACK.matcher(text), SLACK_TOKEN, 2);
        }
        if (text.contains("ey")) {
            Matcher m = JWT_CANDIDATE.matcher(text);
            while (m.find()) {
                if (isJwtHeader(m.group(1))) {
                    all.add(new Match(JWT, m.start(), m.end(), m.group(), 3));
                }
            }
        }
        if (lower.contains("bearer")) {
            Matcher b = BEARER.matcher(text);
            while (b.find()) {
                if (highEntropy(b.group(1))) {
                    all.add(new Match(BEARER_TOKEN, b.start(1), b.end(1), b.group(1), 4));
                }
            }
        }
        if (assignment && (lower.contains("passw") || lower.contains("token") || lower.contains("secret")
                || lower.contains("key"))) {
            Matcher g = GENERIC.matcher(text);
            while (g.find()) {
                String v = g.group(1);
                if (isGenericSecretValue(v)) {
                    all.add(new Match(GENERIC_SECRET, g.start(1), g.end(1), v, 5));
                }
            }
        }
        all.sort(Comparator.comparingInt(Match::start)
                .thenComparing(Comparator.comparingInt((Match m) -> m.end() - m.start()).reversed())
                .thenComparingInt(Match::priority));
        List<Match> chosen = new ArrayList<>();
        int end = 0;
        for (Match m : all) {
            if (m.start() < end || overlaps(taken, m)) {
                continue;
            }
            chosen.add(m);
            end = m.end();
        }
        return chosen;
    }

    private static void simple(List<Match> all, Matcher m, String kind, int priority) {
        while (m.find()) {
            all.add(new Match(kind, m.start(), m.end(), m.group(), priority));
        }
    }

    private static boolean overlaps(List<int[]> taken, Match m) {
        for (int[] t : taken) {
            if (m.start() < t[1] && t[0] < m.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * PEM blocks and service-account private keys are fingerprinted with all whitespace and JSON {@code \n} escapes
     * removed, so the same key gives the same fingerprint in a log line, a JSON string or a service-account file.
     */
    static String normalisePem(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && "nrt".indexOf(s.charAt(i + 1)) >= 0) {
                i++;
            } else if (!Character.isWhitespace(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean isJwtHeader(String segment) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(stripPadding(segment));
            JsonNode h = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
            return h != null && h.isObject() && h.hasNonNull("alg");
        } catch (IllegalArgumentException | java.io.IOException e) {
            return false;
        }
    }

    private static String stripPadding(String s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == '=') {
            n--;
        }
        return s.substring(0, n);
    }

    /** A value assigned to a secret-looking key is masked when long enough, high-entropy and not a placeholder. */
    static boolean isGenericSecretValue(String v) {
        if (v.length() < MIN_GENERIC_LENGTH || v.startsWith(MaskTokens.PREFIX)) {
            return false;
        }
        if (v.startsWith("${") || v.startsWith("{{") || v.startsWith("$(")) {
            return false;
        }
        return highEntropy(v);
    }

    private static boolean highEntropy(String v) {
        return v.length() >= MIN_GENERIC_LENGTH && shannonEntropy(v) >= MIN_ENTROPY_BITS_PER_CHAR;
    }

    /** True for JSON field names such as {@code password}, {@code DB_PASSWORD}, {@code apiKey}, {@code clientSecret}. */
    public static boolean isSecretFieldName(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return (lower.contains("passw") || lower.contains("secret") || lower.contains("token") || lower.contains("key"))
                && SECRET_FIELD.matcher(lower).matches();
    }

    /** Shannon entropy in bits per character. */
    public static double shannonEntropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            counts.merge(s.charAt(i), 1, Integer::sum);
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / s.length();
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }
}
