package dev.vigil.proxy.policy;

import java.util.List;

/**
 * A policy file that cannot be used. {@link #errors()} lists every problem found, each naming where it is
 * ({@code rules[2] (id "read-pods").verbs: ...}).
 */
public final class InvalidPolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  InvalidPolicyException(List<String> errors) {
    super("invalid policy: " + String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, in file order. */
  public List<String> errors() {
    return errors;
  }
}
