package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.vigil.schema.KubernetesRequestInfo;

/**
 * The request table: what kube-apiserver's RequestInfoFactory would derive, and what the gateway forwards (canonical
 * path and query), for each method, raw path and raw query. {@code -} is null; kind R is a resource request, N a
 * non-resource request, 400 a request the gateway refuses.
 */
class RequestInfoParserTest {

  private final RequestInfoParser parser = new RequestInfoParser();

  @ParameterizedTest(name = "{0} {1} ? {2}")
  @CsvSource(delimiter = '|', nullValues = "-", emptyValue = "", value = {
      // method | raw path | raw query | kind | canonical path | verb | group | version | resource | subresource | namespace | name
      // --- paths
      "GET | /api/v1/namespaces/kube-system/../default/secrets | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/kube-system/./secrets | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/%2e%2e/pods | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/%2E%2e/secrets | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/a%2Fb | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/a%2fb | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/a%5cb | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/a%00 | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/a%zz | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/a%2 | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/%ff | - | 400 | - | - | - | - | - | - | - | -",
      "GET | relative/path | - | 400 | - | - | - | - | - | - | - | -",
      "GET | //api/v1//namespaces/default/pods/ | - | R | /api/v1/namespaces/default/pods/ | list | '' | v1 | pods | - | default | -",
      "GET | /api/v1/namespaces/default/pods/web-0/ | - | R | /api/v1/namespaces/default/pods/web-0/ | get | '' | v1 | pods | - | default | web-0",
      "GET | /api/v1/namespaces/p%61yments/pods | - | R | /api/v1/namespaces/payments/pods | list | '' | v1 | pods | - | payments | -",
      "GET | /api/v1/namespaces/default/configmaps/caf%c3%a9 | - | R | /api/v1/namespaces/default/configmaps/caf%C3%A9 | get | '' | v1 | configmaps | - | default | café",
      "GET | /api/v1/namespaces/default/pods/a%3ab | - | R | /api/v1/namespaces/default/pods/a%3Ab | get | '' | v1 | pods | - | default | a:b",
      // ';' names nothing the API has (no matrix parameters): refused wherever it would name a group, version,
      // resource, namespace or object, and anywhere in a non-resource path; allowed in a proxied path
      "GET | /api/v1/namespaces/default/pods;x=1 | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/web-0;v=2 | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/default/pods/web-0%3Bv=2 | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api;v=1/v1/namespaces/default/secrets | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /apis/apps;x/v1/deployments | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1;x/namespaces/default/pods | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/kube-system;/pods/p/exec | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/x/pods/p/exec;x | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /healthz;verbose | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/x/services/web:80/proxy/a;b | - | R | /api/v1/namespaces/x/services/web:80/proxy/a;b | get | '' | v1 | services | proxy | x | web:80",
      // --- resources, subresources, namespaces
      "GET | /apis/apps/v1/namespaces/x/deployments/y/scale | - | R | /apis/apps/v1/namespaces/x/deployments/y/scale | get | apps | v1 | deployments | scale | x | y",
      "PUT | /apis/apps/v1/namespaces/x/deployments/y/scale | - | R | /apis/apps/v1/namespaces/x/deployments/y/scale | update | apps | v1 | deployments | scale | x | y",
      "PATCH | /apis/apps/v1/namespaces/x/deployments/y/status | - | R | /apis/apps/v1/namespaces/x/deployments/y/status | patch | apps | v1 | deployments | status | x | y",
      "GET | /apis/rbac.authorization.k8s.io/v1/clusterroles | - | R | /apis/rbac.authorization.k8s.io/v1/clusterroles | list | rbac.authorization.k8s.io | v1 | clusterroles | - | - | -",
      "GET | /api/v1/namespaces | - | R | /api/v1/namespaces | list | '' | v1 | namespaces | - | - | -",
      "GET | /api/v1/namespaces/x | - | R | /api/v1/namespaces/x | get | '' | v1 | namespaces | - | x | x",
      "PUT | /api/v1/namespaces/x/finalize | - | R | /api/v1/namespaces/x/finalize | update | '' | v1 | namespaces | finalize | x | x",
      "GET | /api/v1/nodes/n1 | - | R | /api/v1/nodes/n1 | get | '' | v1 | nodes | - | - | n1",
      "HEAD | /api/v1/pods | - | R | /api/v1/pods | list | '' | v1 | pods | - | - | -",
      "OPTIONS | /api/v1/pods | - | R | /api/v1/pods | '' | '' | v1 | pods | - | - | -",
      "POST | /api/v1/namespaces/x/configmaps | - | R | /api/v1/namespaces/x/configmaps | create | '' | v1 | configmaps | - | x | -",
      "DELETE | /api/v1/namespaces/x/pods | labelSelector=app%3Dweb | R | /api/v1/namespaces/x/pods | deletecollection | '' | v1 | pods | - | x | -",
      "DELETE | /api/v1/namespaces/x/pods/p | - | R | /api/v1/namespaces/x/pods/p | delete | '' | v1 | pods | - | x | p",
      // --- watch: deprecated paths and the watch parameter (first value, Kubernetes booleans)
      "GET | /api/v1/watch/namespaces/x/pods | - | R | /api/v1/watch/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      "GET | /api/v1/watch/namespaces/x/pods/p | - | R | /api/v1/watch/namespaces/x/pods/p | watch | '' | v1 | pods | - | x | p",
      "GET | /apis/apps/v1/watch/deployments | - | R | /apis/apps/v1/watch/deployments | watch | apps | v1 | deployments | - | - | -",
      "GET | /api/v1/watch | - | 400 | - | - | - | - | - | - | - | -",
      "GET | /api/v1/namespaces/x/pods | watch=true | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch=1&watch=0 | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch=0&watch=1 | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch= | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch=FALSE | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch=no | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | watch=true;x=1 | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods/p | watch=true | R | /api/v1/namespaces/x/pods/p | get | '' | v1 | pods | - | x | p",
      // --- field selectors name a list (sorted terms, first = or == wins; a bad ListOptions names nothing)
      "GET | /api/v1/namespaces/x/pods | fieldSelector=metadata.name%3Dapi-0 | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | api-0",
      "GET | /api/v1/namespaces/x/pods | fieldSelector=metadata.name%3D%3Dapi-0&watch=1 | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | api-0",
      "GET | /api/v1/namespaces/x/pods | fieldSelector=metadata.name%3Db,metadata.name%3Da | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | a",
      "GET | /api/v1/namespaces/x/pods | fieldSelector=metadata.name!%3Dx | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | fieldSelector=nonsense | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | fieldSelector=metadata.name%3D.. | R | /api/v1/namespaces/x/pods | list | '' | v1 | pods | - | x | -",
      "GET | /api/v1/namespaces/x/pods | limit=abc&fieldSelector=metadata.name%3Dapi-0&watch=1 | R | /api/v1/namespaces/x/pods | watch | '' | v1 | pods | - | x | -",
      // --- connect subresources keep the method's verb; proxy as a verb has no subresource
      "GET | /api/v1/namespaces/x/pods/p/exec | command=env&stdout=true | R | /api/v1/namespaces/x/pods/p/exec | get | '' | v1 | pods | exec | x | p",
      "POST | /api/v1/namespaces/x/pods/p/exec | command=env | R | /api/v1/namespaces/x/pods/p/exec | create | '' | v1 | pods | exec | x | p",
      "GET | /api/v1/namespaces/x/pods/p/attach | stdin=true | R | /api/v1/namespaces/x/pods/p/attach | get | '' | v1 | pods | attach | x | p",
      "GET | /api/v1/namespaces/x/pods/p/portforward | ports=8080 | R | /api/v1/namespaces/x/pods/p/portforward | get | '' | v1 | pods | portforward | x | p",
      "GET | /api/v1/namespaces/x/pods/p/log | follow=true | R | /api/v1/namespaces/x/pods/p/log | get | '' | v1 | pods | log | x | p",
      "GET | /api/v1/namespaces/x/services/web:80/proxy/metrics | - | R | /api/v1/namespaces/x/services/web:80/proxy/metrics | get | '' | v1 | services | proxy | x | web:80",
      "GET | /api/v1/proxy/namespaces/x/pods/p/some/path | - | R | /api/v1/proxy/namespaces/x/pods/p/some/path | proxy | '' | v1 | pods | - | x | p",
      "GET | /api/v1/proxy/nodes/n1/stats | - | R | /api/v1/proxy/nodes/n1/stats | proxy | '' | v1 | nodes | - | - | n1",
      // --- non-resource URLs: lower-case method, no group or version (as kube-apiserver)
      "GET | /version | - | N | /version | get | '' | - | - | - | - | -",
      "GET | /healthz | - | N | /healthz | get | '' | - | - | - | - | -",
      "GET | /openapi/v3/apis/apps/v1 | hash=ABC | N | /openapi/v3/apis/apps/v1 | get | '' | - | - | - | - | -",
      "GET | /apis | - | N | /apis | get | '' | - | - | - | - | -",
      "GET | /apis/apps | - | N | /apis/apps | get | '' | - | - | - | - | -",
      "GET | /apis/apps/v1 | - | N | /apis/apps/v1 | get | '' | - | - | - | - | -",
      "GET | /api | - | N | /api | get | '' | - | - | - | - | -",
      "GET | /api/v1 | - | N | /api/v1 | get | '' | - | - | - | - | -",
      "GET | / | - | N | / | get | '' | - | - | - | - | -",
      "POST | /logs | - | N | /logs | post | '' | - | - | - | - | -",
  })
  void shouldDeriveRequestInfoLikeKubeApiserver(String method, String path, String query, String kind, String canonical,
      String verb, String group, String version, String resource, String subresource, String namespace, String name)
      throws Exception {
    if ("400".equals(kind)) {
      assertThatThrownBy(() -> parser.parse(method, path, query)).isInstanceOf(InvalidRequestException.class);
      return;
    }
    RequestInfoParser.ParsedRequest parsed = parser.parse(method, path, query);
    KubernetesRequestInfo i = parsed.info();

    assertThat(parsed.canonicalPath()).isEqualTo(canonical);
    assertThat(i.getResourceRequest()).isEqualTo("R".equals(kind));
    assertThat(i.getVerb()).isEqualTo(verb);
    assertThat(i.getApiGroup()).isEqualTo(group);
    assertThat(i.getApiVersion()).isEqualTo(version);
    assertThat(i.getResource()).isEqualTo(resource);
    assertThat(i.getSubresource()).isEqualTo(subresource);
    assertThat(i.getNamespace()).isEqualTo(namespace);
    assertThat(i.getName()).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "limit=500&labelSelector=a%3Db | limit=500&labelSelector=a%3Db",
      "watch=true;x=1&limit=5 | limit=5",
      "a=%zz&b=1 | b=1",
      "&&watch=1& | watch=1",
      "watch=1&watch=0 | watch=1&watch=0",
      "x=a+b | x=a+b",
      ";; | -",
  })
  void shouldForwardExactlyTheQueryPairsKubeApiserverUnderstands(String raw, String canonical) throws Exception {
    assertThat(parser.parse("GET", "/api/v1/pods", raw).query()).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0} {1} ? {2} long-running={3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "GET | /api/v1/namespaces/x/pods | watch=1 | true",
      "GET | /api/v1/watch/pods | - | true",
      "GET | /api/v1/namespaces/x/pods/p/log | follow=true | true",
      "GET | /api/v1/namespaces/x/pods/p/log | - | true",
      "GET | /api/v1/namespaces/x/pods/p/exec | command=sh | true",
      "POST | /api/v1/namespaces/x/pods/p/portforward | - | true",
      "GET | /api/v1/namespaces/x/services/s/proxy/ | - | true",
      "GET | /api/v1/namespaces/x/pods | - | false",
      "GET | /api/v1/namespaces/x/pods/p | - | false",
      "GET | /version | - | false",
  })
  void shouldFlagLongRunningCallsAsKubeApiserverDoes(String method, String path, String query, boolean longRunning)
      throws Exception {
    assertThat(parser.parse(method, path, query).longRunning()).isEqualTo(longRunning);
  }

  @ParameterizedTest(name = "follow {0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "follow=true | true", "follow | true", "follow=0 | false", "follow=false&follow=true | false", "- | false",
      "follow=1&follow=false | true"})
  void shouldReadFollowAsAKubernetesBoolean(String query, boolean follow) throws Exception {
    assertThat(parser.parse("GET", "/api/v1/namespaces/x/pods/p/log", query).follow()).isEqualTo(follow);
  }
}
