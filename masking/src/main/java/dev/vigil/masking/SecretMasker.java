package dev.vigil.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Masks Kubernetes {@code Secret} values in a JSON tree (as kube-codec produces it): every {@code data} value (the
 * base64 is decoded and the decoded bytes fingerprinted) and every {@code stringData} value (its UTF-8 bytes, so the
 * same secret gives the same fingerprint either way) becomes {@code masked:k8s-secret:<fingerprint>}.
 * A multi-line value also gets one finding per non-empty line ({@code data.tls.key#line3}), so a single line seen
 * elsewhere (a log) can be correlated.
 *
 * <p>Where Secrets are found: any object with {@code kind: Secret} at any depth (single objects, {@code List} items,
 * watch events, Table rows with {@code includeObject=Object}); {@code SecretList} items (which carry no kind);
 * and, when the caller says the request targets {@code secrets}: the body itself (merge / strategic-merge / apply
 * patches), watch event objects and Table row objects without a kind, and JSON-patch operations on
 * {@code /data/...} or {@code /stringData/...}. The {@code kubectl.kubernetes.io/last-applied-configuration}
 * annotation of a Secret (which holds the whole Secret as JSON) is masked the same way.
 * Values that already are masked tokens are left alone (idempotent). The input tree is not modified.
 */
public final class SecretMasker {
    public static final String KIND = "k8s-secret";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fingerprinter fp;

    public SecretMasker(Fingerprinter fp) {
        this.fp = Objects.requireNonNull(fp, "fingerprinter");
    }

    /** The masked copy of the tree and the findings. */
    public record Result(JsonNode body, List<Finding> findings) {
    }

    public Result maskKubernetes(JsonNode body, boolean targetIsSecret) {
        if (body == null) {
            return new Result(null, List.of());
        }
        JsonNode copy = body.deepCopy();
        List<Finding> findings = new ArrayList<>();
        if (copy.isArray()) {
            if (targetIsSecret && isJsonPatch((ArrayNode) copy)) {
                maskJsonPatch((ArrayNode) copy, "", findings);
            } else {
                for (int i = 0; i < copy.size(); i++) {
                    top(copy.get(i), "[" + i + "]", targetIsSecret, findings);
                }
            }
        } else {
            top(copy, "", targetIsSecret, findings);
        }
        return new Result(copy, List.copyOf(findings));
    }

    /** One top-level document: an object, a list, a watch event, a Table or a patch. */
    private void top(JsonNode node, String path, boolean targetIsSecret, List<Finding> findings) {
        if (node instanceof ArrayNode a && targetIsSecret && isJsonPatch(a)) {
            maskJsonPatch(a, path, findings);
            return;
        }
        if (!(node instanceof ObjectNode o)) {
            walk(node, path, findings);
            return;
        }
        String kind = o.path("kind").asText("");
        if (targetIsSecret) {
            if (o.has("type") && o.has("object") && kind.isEmpty()) {
                if (o.get("object") instanceof ObjectNode obj && obj.path("kind").asText("").isEmpty()) {
                    maskSecretObject(obj, join(path, "object"), findings);
                }
            } else if ("Table".equals(kind) && o.get("rows") instanceof ArrayNode rows) {
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i).get("object") instanceof ObjectNode obj && obj.path("kind").asText("").isEmpty()) {
                        maskSecretObject(obj, join(path, "rows[" + i + "].object"), findings);
                    }
                }
            } else if (kind.isEmpty()) {
                maskSecretObject(o, path, findings); // a patch body (merge, strategic merge, apply)
            }
        }
        walk(o, path, findings);
    }

    /** Finds Secrets at any depth. */
    private void walk(JsonNode node, String path, List<Finding> findings) {
        if (node instanceof ObjectNode o) {
            String kind = o.path("kind").asText("");
            if ("Secret".equals(kind)) {
                maskSecretObject(o, path, findings);
                return;
            }
            if ("SecretList".equals(kind) && o.get("items") instanceof ArrayNode items) {
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i) instanceof ObjectNode item) {
                        maskSecretObject(item, join(path, "items[" + i + "]"), findings);
                    }
                }
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isContainerNode()) {
                    walk(e.getValue(), join(path, e.getKey()), findings);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                walk(a.get(i), path + "[" + i + "]", findings);
            }
        }
    }

    private void maskSecretObject(ObjectNode secret, String path, List<Finding> findings) {
        if (secret.get("data") instanceof ObjectNode data) {
            maskValues(data, join(path, "data"), true, findings);
        }
        if (secret.get("stringData") instanceof ObjectNode sd) {
            maskValues(sd, join(path, "stringData"), false, findings);
        }
        if (secret.path("metadata").path("annotations") instanceof ObjectNode ann
                && ann.get(LAST_APPLIED) instanceof TextNode t && !MaskTokens.isToken(t.asText())) {
            String loc = join(path, "metadata.annotations." + LAST_APPLIED);
            try {
                JsonNode inner = JSON.readTree(t.asText());
                Result r = maskKubernetes(inner, true);
                List<Finding> innerFindings = new ArrayList<>();
                for (Finding f : r.findings()) {
                    innerFindings.add(new Finding(f.kind(), loc + "/" + f.location(), f.fingerprint()));
                }
                if (!innerFindings.isEmpty()) {
                    ann.put(LAST_APPLIED, JSON.writeValueAsString(r.body()));
                    findings.addAll(innerFindings);
                }
            } catch (JsonProcessingException e) {
                String f = fp.fingerprint(t.asText());
                ann.put(LAST_APPLIED, MaskTokens.token(KIND, f));
                findings.add(new Finding(KIND, loc, f));
            }
        }
    }

    private void maskValues(ObjectNode values, String path, boolean base64, List<Finding> findings) {
        Iterator<Map.Entry<String, JsonNode>> it = values.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull() || (v.isTextual() && MaskTokens.isToken(v.asText()))) {
                continue;
            }
            e.setValue(TextNode.valueOf(maskValue(v.asText(), base64, join(path, e.getKey()), findings)));
        }
    }

    /** Masks one Secret value; returns the token. */
    private String maskValue(String raw, boolean base64, String location, List<Finding> findings) {
        byte[] value = base64 ? decodeBase64(raw) : raw.getBytes(StandardCharsets.UTF_8);
        String f = fp.fingerprint(value);
        findings.add(new Finding(KIND, location, f));
        String text = new String(value, StandardCharsets.UTF_8);
        if (text.indexOf('\n') >= 0) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
                if (!line.isBlank()) {
                    findings.add(new Finding(KIND, location + "#line" + (i + 1), fp.fingerprint(line)));
                }
            }
        }
        return MaskTokens.token(KIND, f);
    }

    /** Decoded bytes; a value that is not valid base64 is fingerprinted as its own UTF-8 bytes. */
    static byte[] decodeBase64(String s) {
        try {
            return Base64.getMimeDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static boolean isJsonPatch(ArrayNode a) {
        if (a.isEmpty()) {
            return false;
        }
        for (JsonNode op : a) {
            if (!op.isObject() || !op.has("op") || !op.has("path")) {
                return false;
            }
        }
        return true;
    }

    /** JSON-patch operations carrying a value into {@code /data} or {@code /stringData}. */
    private void maskJsonPatch(ArrayNode ops, String path, List<Finding> findings) {
        for (int i = 0; i < ops.size(); i++) {
            ObjectNode op = (ObjectNode) ops.get(i);
            String p = op.path("path").asText("");
            JsonNode v = op.get("value");
            if (v == null) {
                continue;
            }
            String loc = join(path, "[" + i + "]") + p;
            boolean data = p.equals("/data") || p.startsWith("/data/");
            boolean stringData = p.equals("/stringData") || p.startsWith("/stringData/");
            if (!data && !stringData) {
                if (v instanceof ObjectNode obj && (p.isEmpty() || p.equals("/"))) {
                    maskSecretObject(obj, loc, findings); // a whole-document replace
                }
                continue;
            }
            boolean whole = p.equals("/data") || p.equals("/stringData");
            if (whole && v instanceof ObjectNode values) {
                maskValues(values, loc, data, findings);
            } else if (!whole && v.isValueNode() && !v.isNull() && !MaskTokens.isToken(v.asText())) {
                op.set("value", TextNode.valueOf(maskValue(v.asText(), data, loc, findings)));
            }
        }
    }

    private static String join(String path, String segment) {
        if (path.isEmpty()) {
            return segment;
        }
        return segment.startsWith("[") ? path + segment : path + "." + segment;
    }
}
