package dev.vigil.kubesim.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

  private static final String KUBECTL_GET_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
      + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

  @Test
  void shouldNegotiateTablesLikeKubectlGetAsks() {
    assertThat(Tables.negotiate(KUBECTL_GET_ACCEPT)).isEqualTo(new Tables.Negotiated(Tables.As.TABLE, "meta.k8s.io/v1"));
    assertThat(Tables.negotiate("application/json").as()).isEqualTo(Tables.As.OBJECT);
    assertThat(Tables.negotiate(null).as()).isEqualTo(Tables.As.OBJECT);
    assertThat(Tables.negotiate("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io").as())
        .isEqualTo(Tables.As.PARTIAL);
  }

  @Test
  void shouldBuildAPodTable() throws Exception {
    ObjectNode pod = (ObjectNode) Json.YAML.readTree("""
        metadata: {name: p, namespace: payments, creationTimestamp: "2020-01-01T00:00:00Z"}
        spec: {containers: [{name: a}, {name: b}], nodeName: n1}
        status:
          phase: Running
          podIP: 10.0.0.1
          containerStatuses: [{name: a, ready: true, restartCount: 2}, {name: b, ready: false, restartCount: 1}]
        """);
    ObjectNode t = Tables.table("Pod", List.of(pod), "meta.k8s.io/v1", null, "7", true);
    assertThat(t.path("kind").asText()).isEqualTo("Table");
    assertThat(t.path("columnDefinitions").get(0).path("name").asText()).isEqualTo("Name");
    assertThat(t.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("p");
    assertThat(t.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("1/2");
    assertThat(t.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("Running");
    assertThat(t.path("rows").get(0).path("cells").get(3).asText()).isEqualTo("3");
    assertThat(t.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(t.path("rows").get(0).path("object").path("metadata").path("namespace").asText()).isEqualTo("payments");
    assertThat(t.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
  }

  @Test
  void shouldFormatAgesLikeKubernetes() {
    assertThat(HumanDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HumanDuration.format(Duration.ofSeconds(5 * 60 + 3))).isEqualTo("5m3s");
    assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(HumanDuration.format(Duration.ofHours(5).plusMinutes(10))).isEqualTo("5h10m");
    assertThat(HumanDuration.format(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(HumanDuration.format(Duration.ofDays(3).plusHours(4))).isEqualTo("3d4h");
    assertThat(HumanDuration.format(Duration.ofDays(100))).isEqualTo("100d");
    assertThat(HumanDuration.format(Duration.ofDays(800))).isEqualTo("2y70d");
  }
}
