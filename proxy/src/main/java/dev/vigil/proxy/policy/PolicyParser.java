package dev.vigil.proxy.policy;

import java.util.ArrayList;
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
      "nonResourcePaths", "models");
  private static final Set<String> RULE_FIELDS;

  static {
    Set<String> s = new HashSet<>(MATCH_FIELDS);
    s.addAll(Set.of("id", "description", "effect", "reason", "match", "record", "recording", "maskResponse"));
    RULE_FIELDS = Set.copyOf(s);
  }

  private final PolicyFields f = new PolicyFields();
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
    f.unknownFields(root, TOP_LEVEL, "");
    PolicyEffect defaultEffect = PolicyEffect.DENY;
    if (root.has("defaultEffect")) {
      PolicyEffect e = f.effect(root.get("defaultEffect"), "defaultEffect");
      defaultEffect = e == null ? defaultEffect : e;
    }
    RecordMode record = RecordMode.FULL;
    boolean strict = false;
    boolean mask = true;
    JsonNode defaults = root.get("defaults");
    if (defaults != null && !defaults.isNull()) {
      if (!defaults.isObject()) {
        f.error("defaults: must be a mapping");
      } else {
        f.unknownFields(defaults, DEFAULTS, "defaults.");
        RecordMode r = f.record(defaults.get("record"), "defaults.record");
        Boolean s = f.recording(defaults.get("recording"), "defaults.recording");
        Boolean m = f.bool(defaults.get("maskResponse"), "defaults.maskResponse");
        record = r == null ? record : r;
        strict = s == null ? strict : s;
        mask = m == null ? mask : m;
        if (record == RecordMode.OFF && strict) {
          f.error("defaults.record: \"off\" cannot be combined with recording: strict; a strict call is forwarded"
              + " only once it was recorded");
        }
      }
    }
    defaultRecord = record;
    defaultStrict = strict;
    Guardrails guardrails = Guardrails.parse(root.get("guardrails"), f);
    List<Rule> rules = rules(root.get("rules"));
    if (!f.errors().isEmpty()) {
      throw new InvalidPolicyException(f.errors());
    }
    return new Policy(defaultEffect, record, strict, mask, guardrails, rules);
  }

  private List<Rule> rules(JsonNode node) {
    List<Rule> rules = new ArrayList<>();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isArray()) {
      f.error("rules: must be a list of rules");
      return rules;
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode r = node.get(i);
      String where = "rules[" + i + "]";
      if (!r.isObject()) {
        f.error(where + ": must be a mapping");
        continue;
      }
      JsonNode idNode = r.get("id");
      String id = null;
      if (idNode == null || idNode.isNull()) {
        f.error(where + ".id: is required");
      } else if (!idNode.isTextual() || idNode.asText().isBlank()) {
        f.error(where + ".id: must be a non-empty string");
      } else {
        id = idNode.asText();
        where = where + " (id \"" + id + "\")";
        Integer first = ids.putIfAbsent(id, i);
        if (first != null) {
          f.error(where + ".id: duplicate id, already used by rules[" + first + "]");
        }
        if (PolicyResult.DEFAULT_RULE_ID.equals(id) || id.startsWith("guardrail:")) {
          f.error(where + ".id: \"default\" and \"guardrail:*\" are reserved");
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
    int before = f.errors().size();
    f.unknownFields(r, RULE_FIELDS, where + ".");
    PolicyEffect effect = null;
    if (!r.has("effect") || r.get("effect").isNull()) {
      f.error(where + ".effect: is required (allow or deny)");
    } else {
      effect = f.effect(r.get("effect"), where + ".effect");
    }
    if (r.has("description") && !r.get("description").isTextual()) {
      f.error(where + ".description: must be a string");
    }
    String reason = null;
    JsonNode reasonNode = r.get("reason");
    if (reasonNode != null && !reasonNode.isNull()) {
      if (!reasonNode.isTextual() || reasonNode.asText().isBlank()) {
        f.error(where + ".reason: must be a non-empty string (quote values YAML reads as booleans: yes, no, on, off)");
      } else {
        reason = reasonNode.asText();
      }
    } else if (effect == PolicyEffect.DENY) {
      f.error(where + ".reason: is required for a deny rule");
    }
    boolean matchAll = false;
    if (r.has("match")) {
      JsonNode m = r.get("match");
      if (!m.isTextual() || !"all".equals(m.asText())) {
        f.error(where + ".match: the only value is \"all\"");
      } else {
        matchAll = true;
      }
    }
    boolean anyMatchField = false;
    for (String field : MATCH_FIELDS) {
      anyMatchField |= r.has(field);
    }
    if (matchAll && anyMatchField) {
      f.error(where + ".match: \"all\" cannot be combined with match fields");
    } else if (!matchAll && !anyMatchField) {
      f.error(where + ": has no match fields; write `match: all` to match every request");
    }
    Set<String> channels = f.strings(r.get("channels"), where + ".channels", false);
    if (channels != null) {
      Set<String> upper = new LinkedHashSet<>();
      for (String c : channels) {
        String u = c.toUpperCase(Locale.ROOT);
        if (!(Rule.WILDCARD.equals(u) || "KUBERNETES".equals(u) || "LLM".equals(u))) {
          f.error(where + ".channels: must be KUBERNETES, LLM or \"*\" (got \"" + c + "\")");
        }
        upper.add(u);
      }
      channels = upper;
    }
    Set<String> verbs = f.strings(r.get("verbs"), where + ".verbs", false);
    if (verbs != null) {
      for (String v : verbs) {
        if (!v.equals(v.toLowerCase(Locale.ROOT))) {
          f.error(where + ".verbs: verbs are lower-case (got \"" + v + "\")");
        }
      }
    }
    List<String> paths = f.patterns(r.get("nonResourcePaths"), where + ".nonResourcePaths", "/");
    List<String> models = f.patterns(r.get("models"), where + ".models", "");
    Rule rule = new Rule(id, effect, reason, matchAll,
        f.strings(r.get("subjects"), where + ".subjects", false),
        f.strings(r.get("usernames"), where + ".usernames", false),
        f.strings(r.get("groups"), where + ".groups", false),
        f.strings(r.get("issuers"), where + ".issuers", false),
        channels, verbs,
        f.strings(r.get("apiGroups"), where + ".apiGroups", true),
        f.strings(r.get("resources"), where + ".resources", false),
        f.strings(r.get("subresources"), where + ".subresources", true),
        f.strings(r.get("namespaces"), where + ".namespaces", true),
        f.labels(r.get("namespaceLabels"), where + ".namespaceLabels"),
        f.labels(r.get("objectLabels"), where + ".objectLabels"),
        paths, models,
        f.record(r.get("record"), where + ".record"),
        f.recording(r.get("recording"), where + ".recording"),
        f.bool(r.get("maskResponse"), where + ".maskResponse"));
    if (paths != null && rule.hasResourceFields()) {
      f.error(where + ".nonResourcePaths: cannot be combined with apiGroups, resources, subresources, namespaces,"
          + " namespaceLabels or objectLabels");
    }
    if (models != null && rule.hasResourceFields()) {
      f.error(where + ".models: cannot be combined with apiGroups, resources, subresources, namespaces,"
          + " namespaceLabels or objectLabels (models match LLM calls only)");
    }
    if (models != null && channels != null && !channels.contains("LLM") && !channels.contains(Rule.WILDCARD)) {
      f.error(where + ".models: matches LLM calls only, but channels does not include LLM");
    }
    offWithStrict(rule, where);
    return f.errors().size() == before ? rule : null;
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
      f.error(where + ".recording: strict cannot be combined with record: \"off\" from defaults" + why);
    } else {
      f.error(where + ".record: \"off\" cannot be combined with recording: strict"
          + (rule.strict() == null ? " from defaults" : "") + why);
    }
  }
}
