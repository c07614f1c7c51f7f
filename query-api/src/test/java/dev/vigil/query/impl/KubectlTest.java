package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

class KubectlTest {

  private static JsonObject call(String verb, String resource, String sub, String namespace, String name, String query) {
    JsonObject k8s = new JsonObject().put("verb", verb).put("apiGroup", "").put("resource", resource)
        .put("resourceRequest", true);
    if (sub != null) {
      k8s.put("subresource", sub);
    }
    if (namespace != null) {
      k8s.put("namespace", namespace);
    }
    if (name != null) {
      k8s.put("name", name);
    }
    JsonObject e = new JsonObject().put("method", "GET").put("path", "/api/v1/x").put("k8s", k8s);
    if (query != null) {
      e.put("query", query);
    }
    return e;
  }

  @Test
  void shouldRenderReadsAndWrites() {
    assertThat(Kubectl.render(call("list", "pods", null, "payments", null, null))).isEqualTo("kubectl get pods -n payments");
    assertThat(Kubectl.render(call("get", "pods", null, "payments", "web-1", null)))
        .isEqualTo("kubectl get pods web-1 -n payments");
    assertThat(Kubectl.render(call("list", "pods", null, null, null, "labelSelector=app%3Dweb")))
        .isEqualTo("kubectl get pods -l app=web -A");
    assertThat(Kubectl.render(call("list", "nodes", null, null, null, null))).isEqualTo("kubectl get nodes");
    assertThat(Kubectl.render(call("watch", "pods", null, "payments", null, "watch=true")))
        .isEqualTo("kubectl get pods --watch -n payments");
    assertThat(Kubectl.render(call("delete", "secrets", null, "payments", "db-creds", null)))
        .isEqualTo("kubectl delete secrets db-creds -n payments");
    assertThat(Kubectl.render(call("deletecollection", "configmaps", null, "default", null, null)))
        .isEqualTo("kubectl delete configmaps --all -n default");
    assertThat(Kubectl.render(call("update", "deployments", null, "payments", "api", null)))
        .isEqualTo("kubectl replace deployments api -n payments");
  }

  @Test
  void shouldRenderExecWithItsCommandFromTheQueryString() {
    assertThat(Kubectl.render(call("create", "pods", "exec", "payments", "payments-api-x",
        "command=env&stdout=true&stderr=true"))).isEqualTo("kubectl exec payments-api-x -n payments -- env");
    assertThat(Kubectl.render(call("get", "pods", "exec", "payments", "payments-api-x",
        "command=%2Fbin%2Fsh&command=-c&command=echo+%27hi+there%27&container=app&stdin=true&tty=true&stdout=true")))
        .isEqualTo("kubectl exec payments-api-x -n payments -c app -i -t -- /bin/sh -c 'echo '\\''hi there'\\'''");
    assertThat(Kubectl.render(call("create", "pods", "attach", "payments", "web", "container=app&stdin=true")))
        .isEqualTo("kubectl attach web -n payments -c app -i");
  }

  @Test
  void shouldRenderOtherSubresources() {
    assertThat(Kubectl.render(call("get", "pods", "log", "payments", "web", "follow=true&tailLines=10&container=app")))
        .isEqualTo("kubectl logs web -n payments -c app -f --tail=10");
    assertThat(Kubectl.render(call("create", "pods", "portforward", "payments", "web", "ports=8080")))
        .isEqualTo("kubectl port-forward web -n payments 8080");
    assertThat(Kubectl.render(call("create", "serviceaccounts", "token", "payments", "payments-api", null)))
        .isEqualTo("kubectl create token payments-api -n payments");
    assertThat(Kubectl.render(call("patch", "deployments", "scale", "payments", "api", null)))
        .isEqualTo("kubectl scale deployments/api -n payments");
    assertThat(Kubectl.render(call("get", "deployments", "status", "payments", "api", null)))
        .isEqualTo("kubectl get deployments api --subresource=status -n payments");
  }

  @Test
  void shouldUseTheBodyNameOfACreateAndTheGroupOfACustomResource() {
    JsonObject create = call("create", "configmaps", null, "default", null, null)
        .put("body", new JsonObject().put("encoding", "TEXT").put("content", "{\"metadata\":{\"name\":\"leak\"}}"));
    assertThat(Kubectl.render(create)).isEqualTo("kubectl create configmaps leak -n default");
    JsonObject crd = call("list", "widgets", null, "default", null, null);
    crd.getJsonObject("k8s").put("apiGroup", "example.com");
    assertThat(Kubectl.render(crd)).isEqualTo("kubectl get widgets.example.com -n default");
    JsonObject apply = call("patch", "deployments", null, "payments", "api", null)
        .put("body", new JsonObject().put("contentType", "application/apply-patch+yaml"));
    assertThat(Kubectl.render(apply)).isEqualTo("kubectl apply deployments api --server-side -n payments");
  }

  @Test
  void shouldRenderNonResourceAndOtherCalls() {
    JsonObject version = new JsonObject().put("method", "GET").put("path", "/version")
        .put("k8s", new JsonObject().put("verb", "get").put("resourceRequest", false));
    assertThat(Kubectl.render(version)).isEqualTo("kubectl get --raw /version");
    assertThat(Kubectl.render(new JsonObject().put("method", "POST").put("path", "/v1/messages")))
        .isEqualTo("POST /v1/messages");
  }
}
