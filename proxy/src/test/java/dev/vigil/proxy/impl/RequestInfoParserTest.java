package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.vigil.schema.KubernetesRequestInfo;

class RequestInfoParserTest {

  private final RequestInfoParser parser = new RequestInfoParser();

  private KubernetesRequestInfo info(String method, String path, String query) throws Exception {
    return parser.parse(method, path, query).info();
  }

  @ParameterizedTest(name = "{0} {1}?{2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      // method, path, query, verb, group, version, resource, subresource, namespace, name
      "GET,/api/v1/namespaces/payments/pods,-,list,'',v1,pods,-,payments,-",
      "GET,/api/v1/namespaces/payments/pods,watch=true,watch,'',v1,pods,-,payments,-",
      "GET,/api/v1/namespaces/payments/pods,watch=1&resourceVersion=5,watch,'',v1,pods,-,payments,-",
      "GET,/api/v1/namespaces/payments/pods,watch=false,list,'',v1,pods,-,payments,-",
      "GET,/api/v1/namespaces/payments/pods/api-0,-,get,'',v1,pods,-,payments,api-0",
      "HEAD,/api/v1/namespaces/payments/pods/api-0,-,get,'',v1,pods,-,payments,api-0",
      "GET,/api/v1/namespaces/payments/pods/api-0/log,follow=true,get,'',v1,pods,log,payments,api-0",
      "POST,/api/v1/namespaces/payments/pods/api-0/exec,command=sh,create,'',v1,pods,exec,payments,api-0",
      "POST,/api/v1/namespaces/payments/configmaps,-,create,'',v1,configmaps,-,payments,-",
      "PUT,/api/v1/namespaces/payments/configmaps/cm,-,update,'',v1,configmaps,-,payments,cm",
      "PATCH,/apis/apps/v1/namespaces/payments/deployments/api,-,patch,apps,v1,deployments,-,payments,api",
      "PATCH,/apis/apps/v1/namespaces/payments/deployments/api/scale,-,patch,apps,v1,deployments,scale,payments,api",
      "DELETE,/api/v1/namespaces/payments/pods/api-0,-,delete,'',v1,pods,-,payments,api-0",
      "DELETE,/api/v1/namespaces/payments/pods,labelSelector=app%3Dx,deletecollection,'',v1,pods,-,payments,-",
      "GET,/api/v1/pods,-,list,'',v1,pods,-,-,-",
      "GET,/api/v1/nodes/n1,-,get,'',v1,nodes,-,-,n1",
      "GET,/api/v1/namespaces,-,list,'',v1,namespaces,-,-,-",
      "GET,/api/v1/namespaces/payments,-,get,'',v1,namespaces,-,payments,payments",
      "PUT,/api/v1/namespaces/payments/finalize,-,update,'',v1,namespaces,finalize,payments,payments",
      "PUT,/api/v1/namespaces/payments/status,-,update,'',v1,namespaces,status,payments,payments",
      "GET,/apis/rbac.authorization.k8s.io/v1/clusterroles,-,list,rbac.authorization.k8s.io,v1,clusterroles,-,-,-",
      "GET,/api/v1/watch/namespaces/payments/pods,-,watch,'',v1,pods,-,payments,-",
      "GET,/api/v1/watch/namespaces/payments/pods/api-0,-,watch,'',v1,pods,-,payments,api-0",
      "GET,/api/v1/namespaces/payments/pods,fieldSelector=metadata.name%3Dapi-0,list,'',v1,pods,-,payments,api-0",
      "GET,/api/v1/namespaces/payments/services/web:80/proxy/x,-,get,'',v1,services,proxy,payments,web:80",
  })
  void shouldParseResourceRequestsLikeKubeApiserver(String method, String path, String query, String verb, String group,
      String version, String resource, String subresource, String namespace, String name) throws Exception {
    KubernetesRequestInfo i = info(method, path, query);

    assertThat(i.getResourceRequest()).isTrue();
    assertThat(i.getVerb()).isEqualTo(verb);
    assertThat(i.getApiGroup()).isEqualTo(group);
    assertThat(i.getApiVersion()).isEqualTo(version);
    assertThat(i.getResource()).isEqualTo(resource);
    assertThat(i.getSubresource()).isEqualTo(subresource);
    assertThat(i.getNamespace()).isEqualTo(namespace);
    assertThat(i.getName()).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0} {1} is non-resource")
  @CsvSource({
      "GET,/version,get", "GET,/api,get", "GET,/apis,get", "GET,/apis/apps,get", "GET,/api/v1,get",
      "GET,/apis/apps/v1,get", "GET,/openapi/v3,get", "GET,/openapi/v3/api/v1,get", "GET,/healthz,get",
      "POST,/logs,post", "GET,/,get"})
  void shouldTreatDiscoveryAndOtherUrlsAsNonResourceRequests(String method, String path, String verb) throws Exception {
    KubernetesRequestInfo i = info(method, path, null);

    assertThat(i.getResourceRequest()).isFalse();
    assertThat(i.getVerb()).isEqualTo(verb);
    assertThat(i.getResource()).isNull();
  }

  @Test
  void shouldKeepGroupAndVersionOfDiscoveryDocuments() throws Exception {
    KubernetesRequestInfo i = info("GET", "/apis/apps/v1", null);

    assertThat(i.getApiGroup()).isEqualTo("apps");
    assertThat(i.getApiVersion()).isEqualTo("v1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/api/v1/namespaces/payments/pods,/api/v1/namespaces/payments/pods",
      "//api///v1/namespaces//payments/pods,/api/v1/namespaces/payments/pods",
      "/api/v1/./namespaces/default/../payments/pods,/api/v1/namespaces/payments/pods",
      "/api/v1/namespaces/payments/%2E%2E/kube-system/secrets,/api/v1/namespaces/kube-system/secrets",
      "/api/v1/namespaces/p%61yments/pods,/api/v1/namespaces/payments/pods",
      "/api/v1/namespaces/payments/pods/,/api/v1/namespaces/payments/pods/",
      "/api/v1/..,/api/",
      "'',/",
      "/,/",
      "/api/v1/namespaces/payments/pods/a%3ab,/api/v1/namespaces/payments/pods/a%3Ab"})
  void shouldCanonicalisePaths(String raw, String canonical) throws Exception {
    assertThat(CanonicalPath.canonicalize(raw)).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0} is rejected")
  @CsvSource({
      "/..", "/api/../..", "/api/v1/../../../etc/passwd", "/api/%2e%2e/%2E%2E/x",
      "/api/v1/namespaces/payments%2Fsecrets", "/api/v1/namespaces/payments%2fsecrets",
      "/api/v1/namespaces/a%5Cb", "/api/v1/namespaces/a%00b", "/api/v1/namespaces/a%zz", "/api/v1/namespaces/a%2",
      "relative/path"})
  void shouldRejectPathsThatEscapeTheRootOrHideSlashes(String raw) {
    assertThatThrownBy(() -> parser.parse("GET", raw, null)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void shouldUseDecodedSegmentsForAttributes() throws Exception {
    KubernetesRequestInfo i = info("GET", "/api/v1/namespaces/payments/configmaps/caf%C3%A9", null);

    assertThat(i.getName()).isEqualTo("café");
    assertThat(parser.parse("GET", "/api/v1/namespaces/payments/configmaps/caf%C3%A9", null).canonicalPath())
        .isEqualTo("/api/v1/namespaces/payments/configmaps/caf%C3%A9");
  }

  @Test
  void shouldKeepTheRawQuery() throws Exception {
    assertThat(parser.parse("GET", "/api/v1/pods", "limit=500&labelSelector=a%3Db").query())
        .isEqualTo("limit=500&labelSelector=a%3Db");
    assertThat(parser.parse("GET", "/api/v1/pods", "").query()).isNull();
  }
}
