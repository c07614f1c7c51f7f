package dev.vigil.kubesim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.Selector;

/**
 * A small, plausible cluster for tests and the demo: namespaces {@code default}, {@code payments},
 * {@code kube-system}; a node; deployments with their running pods; services; configmaps; secrets
 * (base64 {@code data}); a service account, role and role binding; a standalone pod
 * {@code default/nginx}. The {@code payments-api} pods are meant for {@code kubectl exec}: env
 * from values, a secret, a config map and the downward API; the config map mounted at
 * {@code /app/config} and the database secret at {@code /var/run/secrets/payments-db}.
 * Idempotent (upserts).
 */
public final class DemoSeed {

  private static final String NAMESPACES = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: default}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: kube-system}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: payments, labels: {team: payments, env: prod, compliance: pci}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: kube-sim-node-1, labels: {kubernetes.io/hostname: kube-sim-node-1, kubernetes.io/os: linux}}
      """;

  private static final String PAYMENTS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: payments-api, namespace: payments, labels: {app: payments-api, tier: backend}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: payments-api}}
        template:
          metadata: {labels: {app: payments-api, tier: backend}}
          spec:
            serviceAccountName: payments-api
            containers:
            - name: api
              image: registry.example.com/payments/api:1.14.2
              ports: [{containerPort: 8080, name: http}]
              env:
              - {name: DB_HOST, value: payments-db.payments.svc}
              - name: DB_PASSWORD
                valueFrom: {secretKeyRef: {name: payments-db, key: password}}
              - name: LOG_LEVEL
                valueFrom: {configMapKeyRef: {name: payments-config, key: LOG_LEVEL}}
              - {name: SPRING_PROFILES_ACTIVE, value: prod}
              - name: POD_NAME
                valueFrom: {fieldRef: {fieldPath: metadata.name}}
              volumeMounts:
              - {name: config, mountPath: /app/config, readOnly: true}
              - {name: db-credentials, mountPath: /var/run/secrets/payments-db, readOnly: true}
            volumes:
            - name: config
              configMap: {name: payments-config}
            - name: db-credentials
              secret: {secretName: payments-db}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ledger-worker, namespace: payments, labels: {app: ledger-worker, tier: worker}}
      spec:
        replicas: 1
        selector: {matchLabels: {app: ledger-worker}}
        template:
          metadata: {labels: {app: ledger-worker, tier: worker}}
          spec:
            containers:
            - name: worker
              image: "registry.example.com/payments/ledger:3.2.0"
              env: [{name: LEDGER_BATCH_SIZE, value: "500"}, {name: DB_HOST, value: payments-db.payments.svc}]
            - name: metrics
              image: "prom/statsd-exporter:v0.26.0"
              ports: [{containerPort: 9102, name: metrics}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: payments-api, namespace: payments, labels: {app: payments-api}}
      spec:
        selector: {app: payments-api}
        ports: [{name: http, port: 80, targetPort: 8080}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: payments-config, namespace: payments, labels: {app: payments-api}}
      data:
        LOG_LEVEL: info
        FEATURE_FLAGS: "instant-refunds=false,3ds=true"
        application.yaml: |
          server:
            port: 8080
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: payments-db, namespace: payments, labels: {app: payments-api}}
      type: Opaque
      data:
        username: cGF5bWVudHM=
        password: czNjcjN0LXBAc3N3MHJk
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: stripe-api-key, namespace: payments}
      type: Opaque
      stringData:
        api-key: sk_test_51DemoOnlyNotARealKey000000000000
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: payments-api, namespace: payments}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: payments-reader, namespace: payments}
      rules:
      - apiGroups: [""]
        resources: [pods, pods/log, configmaps, services]
        verbs: [get, list, watch]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: payments-reader-binding, namespace: payments}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: payments-reader}
      subjects:
      - {kind: Group, apiGroup: rbac.authorization.k8s.io, name: payments-oncall}
      - {kind: ServiceAccount, name: payments-api, namespace: payments}
      """;

  private static final String KUBE_SYSTEM = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
      spec:
        replicas: 1
        selector: {matchLabels: {k8s-app: kube-dns}}
        template:
          metadata: {labels: {k8s-app: kube-dns}}
          spec:
            containers: [{name: coredns, image: "registry.k8s.io/coredns/coredns:v1.11.3"}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
      spec:
        selector: {k8s-app: kube-dns}
        clusterIP: 10.96.0.10
        ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: coredns, namespace: kube-system}
      data:
        Corefile: |
          .:53 {
              kubernetes cluster.local in-addr.arpa ip6.arpa
              forward . /etc/resolv.conf
          }
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: view}
      rules:
      - apiGroups: ["", apps]
        resources: [pods, services, configmaps, deployments, replicasets]
        verbs: [get, list, watch]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: sre-view}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
      subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: sre}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: nginx, namespace: default, labels: {app: nginx}}
      spec:
        containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
      """;

  private DemoSeed() {}

  /**
   * Upserts the demo objects into the store. With the simulated controllers the deployments get
   * their replica sets and pods from them; without, pods are created directly.
   */
  public static void apply(ObjectStore store) {
    store.apply(NAMESPACES);
    store.apply(PAYMENTS);
    store.apply(KUBE_SYSTEM);
    for (ObjectNode d : store.list("deployments", null)) {
      String ns = Json.textAt(d, "metadata", "namespace");
      Selector selector = Selector.labels(matchLabels(d.path("spec").path("selector").path("matchLabels")));
      if (store.list("pods", ns).stream().noneMatch(selector::matches)) {
        JsonNode template = d.path("spec").path("template");
        for (int i = 0; i < d.path("spec").path("replicas").asInt(1); i++) {
          pod(store, ns, Json.textAt(d, "metadata", "name") + "-" + i, template.path("metadata"), template.path("spec"));
        }
      }
    }
  }

  private static String matchLabels(JsonNode labels) {
    StringBuilder sb = new StringBuilder();
    labels.fields().forEachRemaining(e -> sb.append(sb.length() == 0 ? "" : ",").append(e.getKey()).append('=')
        .append(e.getValue().asText()));
    return sb.toString();
  }

  private static void pod(ObjectStore store, String ns, String name, JsonNode templateMeta, JsonNode spec) {
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", ns);
    meta.set("labels", templateMeta.path("labels").deepCopy());
    pod.set("spec", spec.deepCopy());
    store.upsert(pod);
  }
}
