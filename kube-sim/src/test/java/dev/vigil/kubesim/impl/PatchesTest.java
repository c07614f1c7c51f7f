package dev.vigil.kubesim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.StatusException;
import org.junit.jupiter.api.Test;

class PatchesTest {

  private static JsonNode json(String s) throws Exception {
    return Json.YAML.readTree(s);
  }

  @Test
  void shouldApplyAMergePatch() throws Exception {
    JsonNode out = Patches.mergePatch(json("{metadata: {labels: {a: '1', b: '2'}}, data: {x: y}}"),
        json("{metadata: {labels: {a: null, c: '3'}}, data: {x: z}}"));
    assertThat(out).isEqualTo(json("{metadata: {labels: {b: '2', c: '3'}}, data: {x: z}}"));
  }

  @Test
  void shouldReplaceListsInAMergePatch() throws Exception {
    JsonNode out = Patches.mergePatch(json("{l: [1, 2]}"), json("{l: [3]}"));
    assertThat(out).isEqualTo(json("{l: [3]}"));
  }

  @Test
  void shouldApplyJsonPatchOperations() throws Exception {
    JsonNode out = Patches.jsonPatch(json("{a: {b: 1}, l: [x, y]}"), json("""
        - {op: add, path: /a/c, value: 2}
        - {op: replace, path: /a/b, value: 3}
        - {op: remove, path: /l/0}
        - {op: add, path: /l/-, value: z}
        - {op: copy, from: /a/c, path: /d}
        - {op: move, from: /d, path: /e}
        - {op: test, path: /e, value: 2}
        - {op: add, path: /a~1b, value: slash}
        """));
    assertThat(out).isEqualTo(json("{a: {b: 3, c: 2}, l: [y, z], e: 2, a/b: slash}"));
  }

  @Test
  void shouldFailAJsonPatchTestOperation() throws Exception {
    assertThatThrownBy(() -> Patches.jsonPatch(json("{a: 1}"), json("[{op: test, path: /a, value: 2}]")))
        .isInstanceOf(StatusException.class).satisfies(e -> assertThat(((StatusException) e).code()).isEqualTo(422));
  }

  @Test
  void shouldMergeContainersByNameInAStrategicMergePatch() throws Exception {
    JsonNode original = json("""
        spec:
          containers:
          - {name: app, image: a:1, env: [{name: A, value: '1'}, {name: B, value: '2'}]}
          - {name: sidecar, image: s:1}
          tolerations: [{key: x}]
        """);
    JsonNode patch = json("""
        spec:
          $setElementOrder/containers: [{name: app}, {name: extra}]
          containers:
          - {name: app, image: a:2, env: [{name: B, value: '3'}]}
          - {name: sidecar, $patch: delete}
          - {name: extra, image: e:1}
          tolerations: [{key: y}]
        """);
    JsonNode out = StrategicMerge.apply(original, patch);
    assertThat(out).isEqualTo(json("""
        spec:
          containers:
          - {name: app, image: a:2, env: [{name: A, value: '1'}, {name: B, value: '3'}]}
          - {name: extra, image: e:1}
          tolerations: [{key: y}]
        """));
  }

  @Test
  void shouldHonourStrategicDirectives() throws Exception {
    JsonNode out = StrategicMerge.apply(json("""
        metadata: {finalizers: [a], labels: {x: '1', y: '2'}}
        spec: {strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}, ports: [{port: 80, name: http}]}
        """), json("""
        metadata: {finalizers: [b], labels: {x: null}}
        spec:
          strategy: {$retainKeys: [type], type: Recreate}
          ports: [{port: 443, name: https}]
        """));
    assertThat(out).isEqualTo(json("""
        metadata: {finalizers: [a, b], labels: {y: '2'}}
        spec: {strategy: {type: Recreate}, ports: [{port: 80, name: http}, {port: 443, name: https}]}
        """));
  }

  @Test
  void shouldReplaceAMapWithPatchReplace() throws Exception {
    JsonNode out = StrategicMerge.apply(json("{data: {a: '1', b: '2'}}"), json("{data: {$patch: replace, c: '3'}}"));
    assertThat(out).isEqualTo(json("{data: {c: '3'}}"));
  }
}
