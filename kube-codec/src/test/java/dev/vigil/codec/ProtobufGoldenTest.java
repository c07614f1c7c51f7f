package dev.vigil.codec;

import static dev.vigil.codec.Protos.envelope;
import static dev.vigil.codec.Protos.intOrString;
import static dev.vigil.codec.Protos.json;
import static dev.vigil.codec.Protos.meta;
import static dev.vigil.codec.Protos.quantity;
import static dev.vigil.codec.Protos.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Rbac;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Golden comparisons: an object built with the client-java-proto builders (as client-go marshals it) decodes to the
 * same JSON tree as the JSON the API server writes for that object.
 */
class ProtobufGoldenTest {

  private static JsonNode decode(byte[] body) {
    DecodeResult r = KubeContent.decode("application/vnd.kubernetes.protobuf", body);
    assertThat(r.problem()).as(r.message()).isNull();
    assertThat(r.warnings()).isEmpty();
    return r.json();
  }

  /** The same JSON through the JSON path of the codec, so both sides went through {@link KubeContent#decode}. */
  private static JsonNode fromJson(String text) {
    DecodeResult r = KubeContent.decode("application/json", text.getBytes(StandardCharsets.UTF_8));
    assertThat(r.decoded()).isTrue();
    return r.json();
  }

  @Test
  void configMapAsProtobufEqualsItsJson() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("app-config", "payments").putLabels("app", "api"))
        .putData("LOG_LEVEL", "debug").putData("empty", "").build();

    assertThat(decode(envelope("v1", "ConfigMap", cm))).isEqualTo(fromJson("""
        {"kind": "ConfigMap", "apiVersion": "v1",
         "metadata": {"name": "app-config", "namespace": "payments", "labels": {"app": "api"}},
         "data": {"LOG_LEVEL": "debug", "empty": ""}}
        """));
  }

  @Test
  void secretDataBytesAreBase64AsInJson() {
    V1.Secret s = V1.Secret.newBuilder().setMetadata(meta("db", "payments")).setType("Opaque").setImmutable(false)
        .putData("password", ByteString.copyFrom("s3cr\u00e9t\n", StandardCharsets.UTF_8))
        .putData("binary", ByteString.copyFrom(new byte[] {0, (byte) 0xff, 0x10}))
        .putStringData("user", "admin").build();

    assertThat(decode(envelope("v1", "Secret", s))).isEqualTo(fromJson("""
        {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "db", "namespace": "payments"},
         "immutable": false,
         "data": {"password": "czNjcsOpdAo=", "binary": "AP8Q"},
         "stringData": {"user": "admin"},
         "type": "Opaque"}
        """));
  }

  @Test
  void podWithQuantitiesIntOrStringPortsProbesAndInlineSources() {
    V1.Container c = V1.Container.newBuilder().setName("api").setImage("registry.example/api:1.2")
        .addArgs("--port=8080").addArgs("")
        .addPorts(V1.ContainerPort.newBuilder().setName("http").setContainerPort(8080).setProtocol("TCP").setHostPort(0))
        .setResources(V1.ResourceRequirements.newBuilder()
            .putLimits("cpu", quantity("500m")).putLimits("memory", quantity("128Mi"))
            .putRequests("cpu", quantity("0.1")))
        .addEnv(V1.EnvVar.newBuilder().setName("DB_PASSWORD").setValue("").setValueFrom(V1.EnvVarSource.newBuilder()
            .setSecretKeyRef(V1.SecretKeySelector.newBuilder()
                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("db")).setKey("password"))))
        .setReadinessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
                .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz").setPort(intOrString("http")).setHost("")))
            .setInitialDelaySeconds(0).setPeriodSeconds(10).setTimeoutSeconds(0))
        .setLivenessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
            .setTcpSocket(V1.TCPSocketAction.newBuilder().setPort(intOrString(8080)))))
        .addVolumeMounts(V1.VolumeMount.newBuilder().setName("cache").setMountPath("/cache").setReadOnly(false))
        .setTerminationMessagePath("/dev/termination-log").setImagePullPolicy("IfNotPresent")
        .setStdin(false).setTty(false).build();
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(stored("api-0", "payments"))
        .setSpec(V1.PodSpec.newBuilder().addContainers(c).setRestartPolicy("Always")
            .setTerminationGracePeriodSeconds(30).setDnsPolicy("ClusterFirst").setHostNetwork(false)
            .putNodeSelector("disk", "ssd")
            .addVolumes(V1.Volume.newBuilder().setName("cache").setVolumeSource(V1.VolumeSource.newBuilder()
                .setEmptyDir(V1.EmptyDirVolumeSource.newBuilder())))
            .addVolumes(V1.Volume.newBuilder().setName("config").setVolumeSource(V1.VolumeSource.newBuilder()
                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                    .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("app-config"))
                    .setDefaultMode(420))))
            .addTolerations(V1.Toleration.newBuilder().setKey("node.kubernetes.io/not-ready").setOperator("Exists")
                .setEffect("NoExecute").setTolerationSeconds(300)))
        .setStatus(V1.PodStatus.newBuilder().setPhase("Running").setPodIP("10.0.0.7")
            .setStartTime(Meta.Time.newBuilder().setSeconds(1_767_225_660L))
            .addContainerStatuses(V1.ContainerStatus.newBuilder().setName("api").setReady(false).setRestartCount(0)
                .setImage("registry.example/api:1.2")
                .setState(V1.ContainerState.newBuilder().setRunning(V1.ContainerStateRunning.newBuilder()
                    .setStartedAt(Meta.Time.newBuilder().setSeconds(1_767_225_661L).setNanos(500_000_000))))))
        .build();

    assertThat(decode(envelope("v1", "Pod", pod))).isEqualTo(fromJson("""
        {"kind": "Pod", "apiVersion": "v1",
         "metadata": {"name": "api-0", "namespace": "payments", "uid": "6b1e3c1a-0000-4000-8000-000000000001",
                      "resourceVersion": "42", "creationTimestamp": "2026-01-01T00:00:00Z"},
         "spec": {
           "volumes": [
             {"name": "cache", "emptyDir": {}},
             {"name": "config", "configMap": {"name": "app-config", "defaultMode": 420}}],
           "containers": [{
             "name": "api", "image": "registry.example/api:1.2", "args": ["--port=8080", ""],
             "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
             "env": [{"name": "DB_PASSWORD",
                      "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
             "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "0.1"}},
             "volumeMounts": [{"name": "cache", "mountPath": "/cache"}],
             "livenessProbe": {"tcpSocket": {"port": 8080}},
             "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
             "terminationMessagePath": "/dev/termination-log",
             "imagePullPolicy": "IfNotPresent"}],
           "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
           "nodeSelector": {"disk": "ssd"},
           "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                            "tolerationSeconds": 300}]},
         "status": {
           "phase": "Running", "podIP": "10.0.0.7", "startTime": "2026-01-01T00:01:00Z",
           "containerStatuses": [{"name": "api", "state": {"running": {"startedAt": "2026-01-01T00:01:01Z"}},
                                  "ready": false, "restartCount": 0, "image": "registry.example/api:1.2"}]}}
        """));
  }

  @Test
  void deploymentWithReplicasStrategyAndTemplate() {
    V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
        .setMetadata(stored("payments-api", "payments").setGeneration(3)
            .putAnnotations("deployment.kubernetes.io/revision", "2"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0).setPaused(false)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "payments-api"))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(intOrString("25%")).setMaxUnavailable(intOrString(0))))
            .setRevisionHistoryLimit(10).setProgressDeadlineSeconds(600)
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(meta("", "").putLabels("app", "payments-api"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("api")
                    .setImage("api:2").setResources(V1.ResourceRequirements.newBuilder())))))
        .setStatus(V1Apps.DeploymentStatus.newBuilder().setObservedGeneration(3).setReplicas(2)
            .addConditions(V1Apps.DeploymentCondition.newBuilder().setType("Available").setStatus("True")
                .setLastUpdateTime(Meta.Time.newBuilder().setSeconds(1_767_225_600L))
                .setLastTransitionTime(Meta.Time.newBuilder().setSeconds(1_767_225_600L))
                .setReason("MinimumReplicasAvailable").setMessage("")))
        .build();

    assertThat(decode(envelope("apps/v1", "Deployment", d))).isEqualTo(fromJson("""
        {"kind": "Deployment", "apiVersion": "apps/v1",
         "metadata": {"name": "payments-api", "namespace": "payments", "uid": "6b1e3c1a-0000-4000-8000-000000000001",
                      "resourceVersion": "42", "generation": 3, "creationTimestamp": "2026-01-01T00:00:00Z",
                      "annotations": {"deployment.kubernetes.io/revision": "2"}},
         "spec": {
           "replicas": 0,
           "selector": {"matchLabels": {"app": "payments-api"}},
           "template": {"metadata": {"labels": {"app": "payments-api"}},
                        "spec": {"containers": [{"name": "api", "image": "api:2", "resources": {}}]}},
           "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}},
           "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
         "status": {"observedGeneration": 3, "replicas": 2,
                    "conditions": [{"type": "Available", "status": "True",
                                    "lastUpdateTime": "2026-01-01T00:00:00Z",
                                    "lastTransitionTime": "2026-01-01T00:00:00Z",
                                    "reason": "MinimumReplicasAvailable"}]}}
        """));
  }

  @Test
  void podListWithListMeta() {
    V1.PodList list = V1.PodList.newBuilder()
        .setMetadata(Meta.ListMeta.newBuilder().setResourceVersion("99").setContinue("").setSelfLink(""))
        .addItems(V1.Pod.newBuilder().setMetadata(stored("a", "default")).setSpec(V1.PodSpec.newBuilder()
            .addContainers(V1.Container.newBuilder().setName("c").setImage("nginx"))))
        .addItems(V1.Pod.newBuilder().setMetadata(stored("b", "default")))
        .build();

    assertThat(decode(envelope("v1", "PodList", list))).isEqualTo(fromJson("""
        {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "99"},
         "items": [
           {"metadata": {"name": "a", "namespace": "default", "uid": "6b1e3c1a-0000-4000-8000-000000000001",
                         "resourceVersion": "42", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
           {"metadata": {"name": "b", "namespace": "default", "uid": "6b1e3c1a-0000-4000-8000-000000000001",
                         "resourceVersion": "42", "creationTimestamp": "2026-01-01T00:00:00Z"}}]}
        """));
  }

  @Test
  void statusFromTheMetaGroup() {
    Meta.Status st = Meta.Status.newBuilder().setMetadata(Meta.ListMeta.newBuilder())
        .setStatus("Failure").setMessage("configmaps \"x\" not found").setReason("NotFound")
        .setDetails(Meta.StatusDetails.newBuilder().setName("x").setGroup("").setKind("configmaps").setUid("")
            .setRetryAfterSeconds(0))
        .setCode(404).build();

    assertThat(decode(envelope("v1", "Status", st))).isEqualTo(fromJson("""
        {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
         "message": "configmaps \\"x\\" not found", "reason": "NotFound",
         "details": {"name": "x", "kind": "configmaps"}, "code": 404}
        """));
  }

  @Test
  void deleteOptionsKeepAZeroGracePeriod() {
    Meta.DeleteOptions opts = Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0)
        .setPropagationPolicy("Foreground").setPreconditions(Meta.Preconditions.newBuilder().setUid("u-1"))
        .addDryRun("All").build();
    JsonNode expected = fromJson("""
        {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0,
         "preconditions": {"uid": "u-1"}, "propagationPolicy": "Foreground", "dryRun": ["All"]}
        """);

    assertThat(decode(envelope("v1", "DeleteOptions", opts))).isEqualTo(expected);
    // also sent with a group version of the client, or meta.k8s.io/v1
    assertThat(decode(envelope("apps/v1", "DeleteOptions", opts)).path("gracePeriodSeconds").asInt(-1)).isZero();
    assertThat(decode(envelope("meta.k8s.io/v1", "DeleteOptions", opts)).path("propagationPolicy").asText())
        .isEqualTo("Foreground");
  }

  @Test
  void namespaceServiceAccountAndService() {
    V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(meta("payments", "").putLabels("team", "pay"))
        .setSpec(V1.NamespaceSpec.newBuilder().addFinalizers("kubernetes"))
        .setStatus(V1.NamespaceStatus.newBuilder().setPhase("Active")).build();
    assertThat(decode(envelope("v1", "Namespace", ns))).isEqualTo(fromJson("""
        {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "payments", "labels": {"team": "pay"}},
         "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
        """));

    V1.ServiceAccount sa = V1.ServiceAccount.newBuilder().setMetadata(meta("deployer", "payments"))
        .setAutomountServiceAccountToken(false)
        .addImagePullSecrets(V1.LocalObjectReference.newBuilder().setName("regcred")).build();
    assertThat(decode(envelope("v1", "ServiceAccount", sa))).isEqualTo(fromJson("""
        {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": "deployer", "namespace": "payments"},
         "imagePullSecrets": [{"name": "regcred"}], "automountServiceAccountToken": false}
        """));

    V1.Service svc = V1.Service.newBuilder().setMetadata(meta("api", "payments"))
        .setSpec(V1.ServiceSpec.newBuilder().putSelector("app", "api").setType("ClusterIP").setClusterIP("")
            .addPorts(V1.ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80).setNodePort(0)
                .setTargetPort(intOrString("http")))
            .addPorts(V1.ServicePort.newBuilder().setName("metrics").setPort(9090).setTargetPort(intOrString(9091))))
        .setStatus(V1.ServiceStatus.newBuilder().setLoadBalancer(V1.LoadBalancerStatus.newBuilder())).build();
    assertThat(decode(envelope("v1", "Service", svc))).isEqualTo(fromJson("""
        {"kind": "Service", "apiVersion": "v1", "metadata": {"name": "api", "namespace": "payments"},
         "spec": {"ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": "http"},
                            {"name": "metrics", "port": 9090, "targetPort": 9091}],
                  "selector": {"app": "api"}, "type": "ClusterIP"},
         "status": {"loadBalancer": {}}}
        """));
  }

  @Test
  void replicaSetWithOwnerReference() {
    V1Apps.ReplicaSet rs = V1Apps.ReplicaSet.newBuilder()
        .setMetadata(meta("api-7d9f", "payments").addOwnerReferences(Meta.OwnerReference.newBuilder()
            .setApiVersion("apps/v1").setKind("Deployment").setName("api").setUid("u-2").setController(true)
            .setBlockOwnerDeletion(true)))
        .setSpec(V1Apps.ReplicaSetSpec.newBuilder().setReplicas(2)
            .setSelector(Meta.LabelSelector.newBuilder().addMatchExpressions(Meta.LabelSelectorRequirement.newBuilder()
                .setKey("app").setOperator("In").addValues("api"))))
        .setStatus(V1Apps.ReplicaSetStatus.newBuilder().setReplicas(2).setReadyReplicas(2)).build();
    assertThat(decode(envelope("apps/v1", "ReplicaSet", rs))).isEqualTo(fromJson("""
        {"kind": "ReplicaSet", "apiVersion": "apps/v1",
         "metadata": {"name": "api-7d9f", "namespace": "payments",
                      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "api", "uid": "u-2",
                                           "controller": true, "blockOwnerDeletion": true}]},
         "spec": {"replicas": 2,
                  "selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]}},
         "status": {"replicas": 2, "readyReplicas": 2}}
        """));
  }

  @Test
  void rbacKinds() {
    V1Rbac.PolicyRule rule = V1Rbac.PolicyRule.newBuilder().addApiGroups("").addResources("pods")
        .addVerbs("get").addVerbs("list").build();
    assertThat(decode(envelope("rbac.authorization.k8s.io/v1", "Role",
        V1Rbac.Role.newBuilder().setMetadata(meta("reader", "payments")).addRules(rule).build())))
        .isEqualTo(fromJson("""
            {"kind": "Role", "apiVersion": "rbac.authorization.k8s.io/v1",
             "metadata": {"name": "reader", "namespace": "payments"},
             "rules": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}]}
            """));
    assertThat(decode(envelope("rbac.authorization.k8s.io/v1", "ClusterRole",
        V1Rbac.ClusterRole.newBuilder().setMetadata(meta("view-all", "")).addRules(rule)
            .setAggregationRule(V1Rbac.AggregationRule.newBuilder().addClusterRoleSelectors(
                Meta.LabelSelector.newBuilder().putMatchLabels("agg", "true"))).build())))
        .isEqualTo(fromJson("""
            {"kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "view-all"},
             "rules": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}],
             "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"agg": "true"}}]}}
            """));
    V1Rbac.RoleRef ref = V1Rbac.RoleRef.newBuilder().setApiGroup("rbac.authorization.k8s.io").setKind("ClusterRole")
        .setName("view-all").build();
    V1Rbac.Subject sa = V1Rbac.Subject.newBuilder().setKind("ServiceAccount").setApiGroup("").setName("deployer")
        .setNamespace("payments").build();
    assertThat(decode(envelope("rbac.authorization.k8s.io/v1", "RoleBinding",
        V1Rbac.RoleBinding.newBuilder().setMetadata(meta("rb", "payments")).addSubjects(sa).setRoleRef(ref).build())))
        .isEqualTo(fromJson("""
            {"kind": "RoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
             "metadata": {"name": "rb", "namespace": "payments"},
             "subjects": [{"kind": "ServiceAccount", "name": "deployer", "namespace": "payments"}],
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view-all"}}
            """));
    assertThat(decode(envelope("rbac.authorization.k8s.io/v1", "ClusterRoleBinding",
        V1Rbac.ClusterRoleBinding.newBuilder().setMetadata(meta("crb", "")).addSubjects(V1Rbac.Subject.newBuilder()
            .setKind("Group").setApiGroup("rbac.authorization.k8s.io").setName("ai-agents")).setRoleRef(ref).build())))
        .isEqualTo(fromJson("""
            {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "crb"},
             "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "ai-agents"}],
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view-all"}}
            """));
  }

  @Test
  void managedFieldsKeepTheirEmbeddedJson() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("x", "default").addManagedFields(
        Meta.ManagedFieldsEntry.newBuilder().setManager("kubectl-create").setOperation("Update")
            .setApiVersion("v1").setTime(Meta.Time.newBuilder().setSeconds(1_767_225_600L)).setFieldsType("FieldsV1")
            .setFieldsV1(Meta.FieldsV1.newBuilder().setRaw(ByteString.copyFromUtf8("{\"f:data\":{\".\":{}}}")))))
        .build();
    assertThat(decode(envelope("v1", "ConfigMap", cm))).isEqualTo(fromJson("""
        {"kind": "ConfigMap", "apiVersion": "v1",
         "metadata": {"name": "x", "namespace": "default",
                      "managedFields": [{"manager": "kubectl-create", "operation": "Update", "apiVersion": "v1",
                                         "time": "2026-01-01T00:00:00Z", "fieldsType": "FieldsV1",
                                         "fieldsV1": {"f:data": {".": {}}}}]}}
        """));
  }

  @Test
  void theSameObjectAsJsonAsYamlAndAsProtobufIsOneTree() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("app-config", "payments"))
        .putData("port", "8080").build();
    JsonNode fromProto = decode(envelope("v1", "ConfigMap", cm));
    JsonNode fromYaml = KubeContent.decode("application/yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-config
          namespace: payments
        data:
          port: "8080"
        """.getBytes(StandardCharsets.UTF_8)).json();
    JsonNode fromJson = json("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app-config","namespace":"payments"},
         "data":{"port":"8080"}}
        """);
    assertThat(fromProto).isEqualTo(fromJson).isEqualTo(fromYaml);
  }
}
