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

  Policy(PolicyEffect defaultEffect, RecordMode record, boolean strict, boolean maskResponse, Guardrails guardrails,
      List<Rule> rules) {
    this.defaultEffect = defaultEffect;
    this.record = record;
    this.strict = strict;
    this.maskResponse = maskResponse;
    this.guardrails = guardrails;
    this.denyRules = rules.stream().filter(r -> r.effect() == PolicyEffect.DENY).toList();
    this.allowRules = rules.stream().filter(r -> r.effect() == PolicyEffect.ALLOW).toList();
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
