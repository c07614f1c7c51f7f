package dev.vigil.proxy.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The built-in guardrails. Each is enabled unless the policy file switches it off; a guardrail deny beats every rule. */
public enum Guardrail {
  /** exec, attach and portforward on pods in kube-system, whatever the verb (kubectl's WebSocket exec is a get). */
  NO_EXEC_KUBE_SYSTEM("no-exec-kube-system"),
  /** delete and deletecollection of namespaces, customresourcedefinitions and nodes. */
  NO_DELETE_CRITICAL("no-delete-critical"),
  /** deletecollection of anything. */
  NO_DELETECOLLECTION("no-deletecollection"),
  /** (cluster)role bindings to cluster-admin, and (cluster)roles granting {@code *} verbs or resources. */
  NO_ADMIN_BINDINGS("no-admin-bindings"),
  /** get/list/watch of secrets only in the configured namespaces; never across all namespaces. */
  SECRETS_ONLY_IN_ALLOWED_NAMESPACES("secrets-only-in-allowed-namespaces"),
  /** pods and workload templates with privileged containers, hostPath volumes, hostNetwork, hostPID or hostIPC. */
  NO_PRIVILEGED_PODS("no-privileged-pods"),
  /** LLM calls carrying a value of a Secret the session read through Kubernetes (LLM channel only). */
  NO_SECRET_IN_LLM_PROMPT("no-secret-in-llm-prompt", true);

  static final Set<String> CONNECT_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  private final String id;
  private final boolean llm;

  Guardrail(String id) {
    this(id, false);
  }

  Guardrail(String id, boolean llm) {
    this.id = id;
    this.llm = llm;
  }

  /** True for a guardrail of LLM calls, false for one of Kubernetes resource requests. */
  public boolean llm() {
    return llm;
  }

  /** The name used in the policy file; the deciding rule id is {@code guardrail:<name>}. */
  public String id() {
    return id;
  }

  public String ruleId() {
    return "guardrail:" + id;
  }

  public static Optional<Guardrail> byId(String id) {
    return Arrays.stream(values()).filter(g -> g.id.equals(id)).findFirst();
  }
}
