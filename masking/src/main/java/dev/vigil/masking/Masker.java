package dev.vigil.masking;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry point for every recorded body: {@link #mask(String, String, boolean)}.
 * Text that looks like JSON (or a content type with {@code yaml} that parses as YAML) is parsed — one value or a
 * stream of values (watch) — then {@link SecretMasker} runs, then {@link Detectors} over every string value (and
 * high-entropy values of secret-named fields such as {@code password}, {@code apiKey}); the result is compact JSON,
 * one line per value. Any other text gets the detectors only. Input longer than {@code maxInputChars} is cut to
 * that length first (flagged {@code truncated}). A body that should be a Secret but does not parse is withheld:
 * replaced by one {@code masked:k8s-secret-body:<fingerprint>} token. Thread-safe.
 */
public final class Masker {
    public static final int DEFAULT_MAX_INPUT_CHARS = 4 * 1024 * 1024;
    /** At most this many characters of a token split by the input cap are dropped. */
    static final int MAX_PARTIAL_WORD = 1024;
    public static final String WITHHELD_KIND = "k8s-secret-body";
    private static final Pattern SECRET_KIND = Pattern.compile("\"kind\"\\s*:\\s*\"Secret(?:List)?\"");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = new YAMLMapper();

    private final Fingerprinter fp;
    private final SecretMasker secrets;
    private final int maxInputChars;

    public Masker(Fingerprinter fp) {
        this(fp, DEFAULT_MAX_INPUT_CHARS);
    }

    public Masker(Fingerprinter fp, int maxInputChars) {
        this.fp = Objects.requireNonNull(fp, "fingerprinter");
        if (maxInputChars <= 0) {
            throw new IllegalArgumentException("maxInputChars must be positive");
        }
        this.secrets = new SecretMasker(fp);
        this.maxInputChars = maxInputChars;
    }

    /**
     * @param kind           the body's content type (or {@code json}/{@code yaml}/{@code text}); may be null
     * @param text           the body as text (e.g. kube-codec's {@code toRecordableText})
     * @param targetIsSecret the request's resource is {@code secrets} (so patch bodies are Secret fragments)
     */
    public MaskResult mask(String kind, String text, boolean targetIsSecret) {
        if (text == null || text.isEmpty()) {
            return new MaskResult(text == null ? "" : text, List.of(), false, false, false);
        }
        boolean truncated = text.length() > maxInputChars;
        if (truncated) {
            int cut = maxInputChars;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            text = text.substring(0, dropPartialWord(text, cut));
        }
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        String trimmed = text.stripLeading();
        List<JsonNode> docs = null;
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            docs = parse(JSON, text);
        }
        if (docs == null && k.contains("yaml")) {
            docs = parse(YAML, text);
            if (docs != null && !docs.stream().allMatch(JsonNode::isContainerNode)) {
                docs = null; // a bare scalar: keep the text as it is
            }
        }
        if (docs == null) {
            if (looksLikeSecret(text, targetIsSecret, trimmed)) {
                String f = fp.fingerprint(text);
                return new MaskResult(MaskTokens.token(WITHHELD_KIND, f),
                        List.of(new Finding(WITHHELD_KIND, "", f)), false, truncated, true);
            }
            Detectors.Masked m = Detectors.mask(text, "", fp);
            return new MaskResult(m.text(), m.findings(), false, truncated, false);
        }
        List<Finding> findings = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        boolean many = docs.size() > 1;
        for (int i = 0; i < docs.size(); i++) {
            String prefix = many ? "[" + i + "]" : "";
            SecretMasker.Result r = secrets.maskKubernetes(docs.get(i), targetIsSecret);
            for (Finding f : r.findings()) {
                findings.add(prefix.isEmpty() ? f : new Finding(f.kind(), join(prefix, f.location()), f.fingerprint()));
            }
            JsonNode body = detectInTree(r.body(), prefix, findings);
            if (i > 0) {
                out.append('\n');
            }
            try {
                out.append(JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a parsed tree", e);
            }
        }
        return new MaskResult(out.toString(), findings, true, truncated, false);
    }

    /**
     * Where to cut: before the token-like run (base64/base64url/hex characters) that the cap splits, so the first part
     * of a credential too short to be recognised is not recorded; at most {@value #MAX_PARTIAL_WORD} chars are dropped.
     */
    static int dropPartialWord(String text, int cut) {
        int i = cut;
        while (i > 0 && cut - i < MAX_PARTIAL_WORD && isTokenChar(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static boolean isTokenChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '+' || c == '/' || c == '='
                || c == '.');
    }

    private static boolean looksLikeSecret(String text, boolean targetIsSecret, String trimmed) {
        if (SECRET_KIND.matcher(text).find() || text.contains("kind: Secret")) {
            return true;
        }
        // a Secret-targeted request or response that should have been structured (JSON or YAML) but did not parse
        return targetIsSecret && (trimmed.startsWith("{") || trimmed.startsWith("[") || text.contains("data:"));
    }

    /** One value or a stream of values (a root-level array stays one value); null when it does not parse. */
    private static List<JsonNode> parse(ObjectMapper mapper, String text) {
        try (JsonParser p = mapper.createParser(text)) {
            List<JsonNode> docs = new ArrayList<>();
            JsonNode n;
            while ((n = mapper.readTree(p)) != null) {
                if (!n.isMissingNode()) {
                    docs.add(n);
                }
            }
            return docs.isEmpty() ? null : docs;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Runs the detectors over every string value (in place) and secret-named fields' values. */
    private JsonNode detectInTree(JsonNode node, String path, List<Finding> findings) {
        if (node instanceof ObjectNode o) {
            if ("service_account".equals(o.path("type").asText(null)) && o.get("private_key") instanceof TextNode pk
                    && !MaskTokens.isToken(pk.asText())) {
                String f = fp.fingerprint(Detectors.normalisePem(pk.asText()));
                o.put("private_key", MaskTokens.token(Detectors.GCP_SERVICE_ACCOUNT, f));
                findings.add(new Finding(Detectors.GCP_SERVICE_ACCOUNT, join(path, "private_key"), f));
            }
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String loc = join(path, e.getKey());
                JsonNode v = e.getValue();
                if (v.isTextual()) {
                    e.setValue(maskString((TextNode) v, e.getKey(), loc, findings));
                } else if (v.isContainerNode()) {
                    detectInTree(v, loc, findings);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                String loc = path + "[" + i + "]";
                JsonNode v = a.get(i);
                if (v.isTextual()) {
                    a.set(i, maskString((TextNode) v, null, loc, findings));
                } else {
                    detectInTree(v, loc, findings);
                }
            }
        } else if (node instanceof TextNode t) {
            return maskString(t, null, path, findings);
        }
        return node;
    }

    private TextNode maskString(TextNode node, String fieldName, String loc, List<Finding> findings) {
        String s = node.asText();
        if (MaskTokens.isToken(s)) {
            return node;
        }
        Detectors.Masked m = Detectors.mask(s, loc, fp);
        if (m.changed()) {
            findings.addAll(m.findings());
            return TextNode.valueOf(m.text());
        }
        if (fieldName != null && Detectors.isSecretFieldName(fieldName) && Detectors.isGenericSecretValue(s)) {
            String f = fp.fingerprint(s);
            findings.add(new Finding(Detectors.GENERIC_SECRET, loc, f));
            return TextNode.valueOf(MaskTokens.token(Detectors.GENERIC_SECRET, f));
        }
        return node;
    }

    private static String join(String path, String segment) {
        if (path.isEmpty() || segment.isEmpty()) {
            return path + segment;
        }
        return segment.startsWith("[") || segment.startsWith("@") ? path + segment : path + "." + segment;
    }
}
