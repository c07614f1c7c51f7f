package dev.vigil.kubesim.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiPathTest {

  @Test
  void shouldParseCoreAndGroupPaths() {
    assertThat(ApiPath.parse("/api/v1/namespaces/payments/pods/p1/log"))
        .isEqualTo(new ApiPath("", "v1", "payments", "pods", "p1", "log", false));
    assertThat(ApiPath.parse("/apis/apps/v1/namespaces/payments/deployments"))
        .isEqualTo(new ApiPath("apps", "v1", "payments", "deployments", null, null, false));
    assertThat(ApiPath.parse("/api/v1/pods")).isEqualTo(new ApiPath("", "v1", null, "pods", null, null, false));
    assertThat(ApiPath.parse("/apis/rbac.authorization.k8s.io/v1"))
        .isEqualTo(new ApiPath("rbac.authorization.k8s.io", "v1", null, null, null, null, false));
  }

  @Test
  void shouldTreatNamespacesThemselvesAsAResource() {
    assertThat(ApiPath.parse("/api/v1/namespaces/payments"))
        .isEqualTo(new ApiPath("", "v1", null, "namespaces", "payments", null, false));
    assertThat(ApiPath.parse("/api/v1/namespaces/payments/status"))
        .isEqualTo(new ApiPath("", "v1", null, "namespaces", "payments", "status", false));
  }

  @Test
  void shouldRecogniseTheLegacyWatchPrefix() {
    assertThat(ApiPath.parse("/api/v1/watch/namespaces/payments/pods"))
        .isEqualTo(new ApiPath("", "v1", "payments", "pods", null, null, true));
  }

  @Test
  void shouldIgnoreNonApiPaths() {
    assertThat(ApiPath.parse("/version")).isNull();
    assertThat(ApiPath.parse("/apis")).isNull();
  }
}
