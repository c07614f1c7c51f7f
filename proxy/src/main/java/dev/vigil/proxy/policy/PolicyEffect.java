package dev.vigil.proxy.policy;

/** What the policy decided for a call. */
public enum PolicyEffect {
  ALLOW, DENY
}
