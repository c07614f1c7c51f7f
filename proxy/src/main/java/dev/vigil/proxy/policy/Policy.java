package dev.vigil.proxy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A loaded, validated policy (see proxy/POLICY.md). Immutable and thread-safe. Evaluation order: enabled guardrails
 * (a guardrail deny wins), then deny rules (the first matching deny rule in file order), then allow rules (the first
 * matching allow rule), then {@code defaultEffect} with rule id {@code default}.
 */
public final class Policy {

  private final PolicyEffect defaultEffect;
  private final RecordMode record;
  private final boolean strict;
  private final boolean maskResponse;
  private final Guardrails guardrails;
  private final List<Rule> denyRules;
  private final List<Rule> allowRules;
  private final boolean usesNamespaceLabels;
  private final boolean usesObjectLabels;

  Policy(PolicyEffect defaultEffect, RecordMode record, boolean strict, boolean maskResponse, Guardrails guardrails,
      List<Rule> rules) {
    this.defaultEffect = defaultEffect;
    this.record = record;
    this.strict = strict;
    this.maskResponse = maskResponse;
    this.guardrails = guardrails;
    this.denyRules = rules.stream().filter(r -> r.effect() == PolicyEffect.DENY).toList();
    this.allowRules = rules.stream().filter(r -> r.effect() == PolicyEffect.ALLOW).toList();
    this.usesNamespaceLabels = rules.stream().anyMatch(r -> r.namespaceLabels() != null);
    this.usesObjectLabels = rules.stream().anyMatch(r -> r.objectLabels() != null);
  }

  /** Which labels a decision needs: those the gateway should look up for one request. */
  public record LabelsNeeded(boolean namespaceLabels, boolean objectLabels) {
    public static final LabelsNeeded NONE = new LabelsNeeded(false, false);

    public boolean any() {
      return namespaceLabels || objectLabels;
    }
  }

  /** Parses and validates a policy document. */
  public static Policy parse(String yaml) throws InvalidPolicyException {
    return PolicyParser.parse(yaml);
  }

  /** Reads (UTF-8), parses and validates a policy file. */
  public static Policy load(Path file) throws IOException, InvalidPolicyException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  public PolicyEffect defaultEffect() {
    return defaultEffect;
  }

  /** The guardrails this policy enforces. */
  public Set<Guardrail> guardrails() {
    return guardrails.enabled();
  }

  /** Whether any rule has a {@code namespaceLabels} selector. */
  public boolean usesNamespaceLabels() {
    return usesNamespaceLabels;
  }

  /** Whether any rule has an {@code objectLabels} selector. */
  public boolean usesObjectLabels() {
    return usesObjectLabels;
  }

  /**
   * The labels whose values can change the decision of {@code request} (evaluated as if its labels were unknown):
   * those of the label rules that match it in every other field and are reached in evaluation order, i.e. before a
   * guardrail denies it or a rule without label selectors decides it. A namespace selector needs nothing on a
   * cluster-scoped request (its namespace labels are known to be empty). {@link LabelsNeeded#NONE} when the policy has
   * no label rules.
   */
  public LabelsNeeded labelsNeeded(PolicyRequest request) {
    if (!usesNamespaceLabels && !usesObjectLabels) {
      return LabelsNeeded.NONE;
    }
    if (guardrails.check(request) != null) {
      return LabelsNeeded.NONE;
    }
    boolean namespaceLabels = false;
    boolean objectLabels = false;
    for (List<Rule> rules : List.of(denyRules, allowRules)) {
      for (Rule rule : rules) {
        if (!rule.matchesIgnoringLabels(request)) {
          continue;
        }
        boolean ns = rule.namespaceLabels() != null && request.namespace() != null;
        boolean obj = rule.objectLabels() != null;
        if (!ns && !obj) {
          if (rule.matches(request)) {
            return new LabelsNeeded(namespaceLabels, objectLabels); // this rule decides whatever the labels are
          }
          continue;
        }
        namespaceLabels |= ns;
        objectLabels |= obj;
      }
    }
    return new LabelsNeeded(namespaceLabels, objectLabels);
  }

  /** Decides a request. */
  public PolicyResult evaluate(PolicyRequest request) {
    Guardrails.Denial denial = guardrails.check(request);
    if (denial != null) {
      return new PolicyResult(PolicyEffect.DENY, denial.guardrail().ruleId(), denial.reason(), record, strict,
          maskResponse);
    }
    for (Rule rule : denyRules) {
      if (rule.matches(request)) {
        return result(rule);
      }
    }
    for (Rule rule : allowRules) {
      if (rule.matches(request)) {
        return result(rule);
      }
    }
    String reason = defaultEffect == PolicyEffect.DENY ? "no policy rule allows this request" : null;
    return new PolicyResult(defaultEffect, PolicyResult.DEFAULT_RULE_ID, reason, record, strict, maskResponse);
  }

  private PolicyResult result(Rule rule) {
    return new PolicyResult(rule.effect(), rule.id(), rule.reason(),
        rule.record() != null ? rule.record() : record,
        rule.strict() != null ? rule.strict() : strict,
        rule.maskResponse() != null ? rule.maskResponse() : maskResponse);
  }
}
