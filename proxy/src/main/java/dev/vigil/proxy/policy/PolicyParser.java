package dev.vigil.proxy.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Reads and validates the YAML policy format; every error names its place ({@code rules[1] (id "x").verbs}). */
final class PolicyParser {

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final Set<String> TOP_LEVEL = Set.of("defaultEffect", "defaults", "guardrails", "rules");
  private static final Set<String> DEFAULTS = Set.of("record", "recording", "maskResponse");
  private static final Set<String> MATCH_FIELDS = Set.of("subjects", "usernames", "groups", "issuers", "channels",
      "verbs", "apiGroups", "resources", "subresources", "namespaces", "namespaceLabels", "objectLabels",
      "nonResourcePaths");
  private static final Set<String> RULE_FIELDS;

  static {
    Set<String> s = new HashSet<>(MATCH_FIELDS);
    s.addAll(Set.of("id", "description", "effect", "reason", "match", "record", "recording", "maskResponse"));
    RULE_FIELDS = Set.copyOf(s);
  }

  private final List<String> errors = new ArrayList<>();
  /** The defaults' record mode and recording (strict = true), as far as read: what a rule without its own inherits. */
  private RecordMode defaultRecord = RecordMode.FULL;
  private boolean defaultStrict;

  private PolicyParser() {}

  static Policy parse(String yaml) throws InvalidPolicyException {
    JsonNode root;
    try {
      root = MAPPER.readTree(yaml == null ? "" : yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new InvalidPolicyException(List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
    }
    return new PolicyParser().policy(root);
  }

  private Policy policy(JsonNode root) throws InvalidPolicyException {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidPolicyException(List.of("the policy file is empty"));
    }
    if (!root.isObject()) {
      throw new InvalidPolicyException(List.of("the policy must be a mapping with defaultEffect, defaults, guardrails"
          + " and rules"));
    }
    unknownFields(root, TOP_LEVEL, "");
    PolicyEffect defaultEffect = PolicyEffect.DENY;
    if (root.has("defaultEffect")) {
      PolicyEffect e = effect(root.get("defaultEffect"), "defaultEffect");
      defaultEffect = e == null ? defaultEffect : e;
    }
    RecordMode record = RecordMode.FULL;
    boolean strict = false;
    boolean mask = true;
    JsonNode defaults = root.get("defaults");
    if (defaults != null && !defaults.isNull()) {
      if (!defaults.isObject()) {
        errors.add("defaults: must be a mapping");
      } else {
        unknownFields(defaults, DEFAULTS, "defaults.");
        RecordMode r = record(defaults.get("record"), "defaults.record");
        Boolean s = recording(defaults.get("recording"), "defaults.recording");
        Boolean m = bool(defaults.get("maskResponse"), "defaults.maskResponse");
        record = r == null ? record : r;
        strict = s == null ? strict : s;
        mask = m == null ? mask : m;
        if (record == RecordMode.OFF && strict) {
          errors.add("defaults.record: \"off\" cannot be combined with recording: strict; a strict call is forwarded"
              + " only once it was recorded");
        }
      }
    }
    defaultRecord = record;
    defaultStrict = strict;
    Guardrails guardrails = guardrails(root.get("guardrails"));
    List<Rule> rules = rules(root.get("rules"));
    if (!errors.isEmpty()) {
      throw new InvalidPolicyException(errors);
    }
    return new Policy(defaultEffect, record, strict, mask, guardrails, rules);
  }

  private Guardrails guardrails(JsonNode node) {
    Set<Guardrail> enabled = EnumSet.allOf(Guardrail.class);
    Set<String> secretNamespaces = Set.of();
    if (node == null || node.isNull()) {
      return new Guardrails(enabled, secretNamespaces);
    }
    if (!node.isObject()) {
      errors.add("guardrails: must be a mapping of guardrail name to true/false or to its settings");
      return new Guardrails(enabled, secretNamespaces);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String where = "guardrails." + e.getKey();
      Guardrail g = Guardrail.byId(e.getKey()).orElse(null);
      if (g == null) {
        errors.add(where + ": unknown guardrail (known: " + known() + ")");
        continue;
      }
      JsonNode v = e.getValue();
      Boolean on;
      if (v.isBoolean()) {
        on = v.booleanValue();
      } else if (v.isObject()) {
        Set<String> allowed = g == Guardrail.SECRETS_ONLY_IN_ALLOWED_NAMESPACES
            ? Set.of("enabled", "namespaces") : Set.of("enabled");
        unknownFields(v, allowed, where + ".");
        on = v.has("enabled") ? bool(v.get("enabled"), where + ".enabled") : Boolean.TRUE;
        if (g == Guardrail.SECRETS_ONLY_IN_ALLOWED_NAMESPACES && v.has("namespaces")) {
          Set<String> ns = strings(v.get("namespaces"), where + ".namespaces", true);
          secretNamespaces = ns == null ? secretNamespaces : ns;
        }
      } else {
        errors.add(where + ": must be true, false or a mapping of settings");
        continue;
      }
      if (Boolean.FALSE.equals(on)) {
        enabled.remove(g);
      }
    }
    return new Guardrails(enabled, secretNamespaces);
  }

  private static String known() {
    List<String> names = new ArrayList<>();
    for (Guardrail g : Guardrail.values()) {
      names.add(g.id());
    }
    return String.join(", ", names);
  }

  private List<Rule> rules(JsonNode node) {
    List<Rule> rules = new ArrayList<>();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isArray()) {
      errors.add("rules: must be a list of rules");
      return rules;
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode r = node.get(i);
      String where = "rules[" + i + "]";
      if (!r.isObject()) {
        errors.add(where + ": must be a mapping");
        continue;
      }
      JsonNode idNode = r.get("id");
      String id = null;
      if (idNode == null || idNode.isNull()) {
        errors.add(where + ".id: is required");
      } else if (!idNode.isTextual() || idNode.asText().isBlank()) {
        errors.add(where + ".id: must be a non-empty string");
      } else {
        id = idNode.asText();
        where = where + " (id \"" + id + "\")";
        Integer first = ids.putIfAbsent(id, i);
        if (first != null) {
          errors.add(where + ".id: duplicate id, already used by rules[" + first + "]");
        }
        if (PolicyResult.DEFAULT_RULE_ID.equals(id) || id.startsWith("guardrail:")) {
          errors.add(where + ".id: \"default\" and \"guardrail:*\" are reserved");
        }
      }
      Rule rule = rule(r, where, id);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private Rule rule(JsonNode r, String where, String id) {
    int before = errors.size();
    unknownFields(r, RULE_FIELDS, where + ".");
    PolicyEffect effect = null;
    if (!r.has("effect") || r.get("effect").isNull()) {
      errors.add(where + ".effect: is required (allow or deny)");
    } else {
      effect = effect(r.get("effect"), where + ".effect");
    }
    if (r.has("description") && !r.get("description").isTextual()) {
      errors.add(where + ".description: must be a string");
    }
    String reason = null;
    JsonNode reasonNode = r.get("reason");
    if (reasonNode != null && !reasonNode.isNull()) {
      if (!reasonNode.isTextual() || reasonNode.asText().isBlank()) {
        errors.add(where + ".reason: must be a non-empty string (quote values YAML reads as booleans: yes, no, on, off)");
      } else {
        reason = reasonNode.asText();
      }
    } else if (effect == PolicyEffect.DENY) {
      errors.add(where + ".reason: is required for a deny rule");
    }
    boolean matchAll = false;
    if (r.has("match")) {
      JsonNode m = r.get("match");
      if (!m.isTextual() || !"all".equals(m.asText())) {
        errors.add(where + ".match: the only value is \"all\"");
      } else {
        matchAll = true;
      }
    }
    boolean anyMatchField = false;
    for (String f : MATCH_FIELDS) {
      anyMatchField |= r.has(f);
    }
    if (matchAll && anyMatchField) {
      errors.add(where + ".match: \"all\" cannot be combined with match fields");
    } else if (!matchAll && !anyMatchField) {
      errors.add(where + ": has no match fields; write `match: all` to match every request");
    }
    Set<String> channels = strings(r.get("channels"), where + ".channels", false);
    if (channels != null) {
      Set<String> upper = new LinkedHashSet<>();
      for (String c : channels) {
        String u = c.toUpperCase(Locale.ROOT);
        if (!(Rule.WILDCARD.equals(u) || "KUBERNETES".equals(u) || "LLM".equals(u))) {
          errors.add(where + ".channels: must be KUBERNETES, LLM or \"*\" (got \"" + c + "\")");
        }
        upper.add(u);
      }
      channels = upper;
    }
    Set<String> verbs = strings(r.get("verbs"), where + ".verbs", false);
    if (verbs != null) {
      for (String v : verbs) {
        if (!v.equals(v.toLowerCase(Locale.ROOT))) {
          errors.add(where + ".verbs: verbs are lower-case (got \"" + v + "\")");
        }
      }
    }
    List<String> paths = null;
    Set<String> pathSet = strings(r.get("nonResourcePaths"), where + ".nonResourcePaths", false);
    if (pathSet != null) {
      paths = List.copyOf(pathSet);
      for (String p : paths) {
        if (!(Rule.WILDCARD.equals(p) || p.startsWith("/")) || p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1) {
          errors.add(where + ".nonResourcePaths: \"" + p + "\" must start with / and may end with * only");
        }
      }
    }
    Rule rule = new Rule(id, effect, reason, matchAll,
        strings(r.get("subjects"), where + ".subjects", false),
        strings(r.get("usernames"), where + ".usernames", false),
        strings(r.get("groups"), where + ".groups", false),
        strings(r.get("issuers"), where + ".issuers", false),
        channels, verbs,
        strings(r.get("apiGroups"), where + ".apiGroups", true),
        strings(r.get("resources"), where + ".resources", false),
        strings(r.get("subresources"), where + ".subresources", true),
        strings(r.get("namespaces"), where + ".namespaces", true),
        labels(r.get("namespaceLabels"), where + ".namespaceLabels"),
        labels(r.get("objectLabels"), where + ".objectLabels"),
        paths,
        record(r.get("record"), where + ".record"),
        recording(r.get("recording"), where + ".recording"),
        bool(r.get("maskResponse"), where + ".maskResponse"));
    if (paths != null && rule.hasResourceFields()) {
      errors.add(where + ".nonResourcePaths: cannot be combined with apiGroups, resources, subresources, namespaces,"
          + " namespaceLabels or objectLabels");
    }
    offWithStrict(rule, where);
    return errors.size() == before ? rule : null;
  }

  /**
   * {@code record: off} with {@code recording: strict} is contradictory (a strict call is forwarded only once recorded),
   * also when one of them comes from {@code defaults}. Reported at the rule field that brings the contradiction; a rule
   * that sets neither inherits both, and the error is the defaults'.
   */
  private void offWithStrict(Rule rule, String where) {
    boolean off = (rule.record() != null ? rule.record() : defaultRecord) == RecordMode.OFF;
    boolean strict = rule.strict() != null ? rule.strict() : defaultStrict;
    if (!off || !strict || (rule.record() == null && rule.strict() == null)) {
      return;
    }
    String why = "; a strict call is forwarded only once it was recorded";
    if (rule.record() == null) {
      errors.add(where + ".recording: strict cannot be combined with record: \"off\" from defaults" + why);
    } else {
      errors.add(where + ".record: \"off\" cannot be combined with recording: strict"
          + (rule.strict() == null ? " from defaults" : "") + why);
    }
  }

  private void unknownFields(JsonNode obj, Set<String> known, String prefix) {
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      if (!known.contains(e.getKey())) {
        errors.add(prefix + e.getKey() + ": unknown field");
      }
    }
  }

  private PolicyEffect effect(JsonNode v, String where) {
    String s = enumText(v, where, "allow", "deny");
    return s == null ? null : PolicyEffect.valueOf(s.toUpperCase(Locale.ROOT));
  }

  private RecordMode record(JsonNode v, String where) {
    if (v != null && v.isBoolean() && !v.booleanValue()) {
      return RecordMode.OFF; // YAML 1.1 reads an unquoted off as false
    }
    String s = enumText(v, where, "full", "metadata", "off");
    return s == null ? null : RecordMode.valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** True for strict, false for best-effort. */
  private Boolean recording(JsonNode v, String where) {
    String s = enumText(v, where, "strict", "best-effort");
    return s == null ? null : "strict".equals(s);
  }

  private String enumText(JsonNode v, String where, String... allowed) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      for (String a : allowed) {
        if (a.equals(v.asText())) {
          return a;
        }
      }
    }
    errors.add(where + ": must be one of " + String.join(", ", allowed) + " (got " + v + ")");
    return null;
  }

  private Boolean bool(JsonNode v, String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      errors.add(where + ": must be true or false (got " + v + ")");
      return null;
    }
    return v.booleanValue();
  }

  /** A non-empty list of strings; {@code ""} only where it means "none" (core group, no namespace/subresource). */
  private Set<String> strings(JsonNode v, String where, boolean emptyAllowed) {
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      errors.add(where + ": must be a list of strings (got " + v + ")");
      return null;
    }
    if (v.isEmpty()) {
      errors.add(where + ": must not be empty (omit it to match everything, or use [\"*\"])");
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        errors.add(where + ": must be a list of strings (got " + e + ")");
        return null;
      }
      if (e.asText().isEmpty() && !emptyAllowed) {
        errors.add(where + ": must not contain an empty string");
        return null;
      }
      out.add(e.asText());
    }
    return Set.copyOf(out);
  }

  private Map<String, String> labels(JsonNode v, String where) {
    if (v == null) {
      return null;
    }
    if (!v.isObject() || v.isEmpty()) {
      errors.add(where + ": must be a non-empty mapping of label key to value (or \"*\" for any value)");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        errors.add(where + "." + e.getKey() + ": must be a string");
        return null;
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return Map.copyOf(out);
  }
}
