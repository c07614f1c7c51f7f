package dev.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies real {@code kubectl} 1.32 sent: {@code src/test/resources/kubectl-1.32/<name>.pb} is the protobuf request
 * body of {@code kubectl create …} captured on the wire, {@code <name>.json} is what the same command prints with
 * {@code --dry-run=client -o json} (Go's own JSON marshalling of that object). The decoded protobuf must equal
 * kubectl's JSON, except for {@code "creationTimestamp": null} (Go writes a zero time as null; the codec omits it).
 */
class KubectlBodiesTest {

  @ParameterizedTest
  @ValueSource(strings = {"configmap", "secret", "deployment", "deployment-zero", "service", "role", "rolebinding",
      "clusterrole", "clusterrolebinding", "namespace", "serviceaccount", "job", "cronjob"})
  void protobufFromKubectlEqualsKubectlsJson(String name) {
    DecodeResult r = KubeContent.decode("application/vnd.kubernetes.protobuf", resource(name + ".pb"));

    assertThat(r.problem()).as(r.message()).isNull();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.json()).isEqualTo(withoutNulls(KubeContent.decode("application/json", resource(name + ".json")).json()));
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          withoutNulls(e.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(KubectlBodiesTest::withoutNulls);
    }
    return node;
  }

  private static byte[] resource(String name) {
    try (InputStream in = KubectlBodiesTest.class.getResourceAsStream("/kubectl-1.32/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
