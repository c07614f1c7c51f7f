package dev.vigil.kubesim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SelectorTest {

  private static ObjectNode pod(String name, String... labels) {
    ObjectNode o = Json.object();
    ObjectNode meta = o.putObject("metadata").put("name", name).put("namespace", "payments");
    ObjectNode l = meta.putObject("labels");
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    o.putObject("status").put("phase", "Running");
    return o;
  }

  @Test
  void shouldMatchEqualityAndInequality() {
    ObjectNode p = pod("a", "app", "web", "tier", "front");
    assertThat(Selector.labels("app=web").matches(p)).isTrue();
    assertThat(Selector.labels("app==web,tier=front").matches(p)).isTrue();
    assertThat(Selector.labels("app!=web").matches(p)).isFalse();
    assertThat(Selector.labels("app!=db").matches(p)).isTrue();
    assertThat(Selector.labels("missing!=x").matches(p)).isTrue();
    assertThat(Selector.labels("app=db").matches(p)).isFalse();
  }

  @Test
  void shouldMatchSetBasedRequirements() {
    ObjectNode p = pod("a", "app", "web");
    assertThat(Selector.labels("app in (db, web)").matches(p)).isTrue();
    assertThat(Selector.labels("app notin (db,web)").matches(p)).isFalse();
    assertThat(Selector.labels("app notin (db)").matches(p)).isTrue();
    assertThat(Selector.labels("app").matches(p)).isTrue();
    assertThat(Selector.labels("!app").matches(p)).isFalse();
    assertThat(Selector.labels("!other,app in (web)").matches(p)).isTrue();
  }

  @Test
  void shouldMatchEverythingWhenEmpty() {
    assertThat(Selector.labels(null).matches(pod("a"))).isTrue();
    assertThat(Selector.labels("").isEmpty()).isTrue();
  }

  @Test
  void shouldMatchFieldsByDottedPath() {
    ObjectNode p = pod("a");
    assertThat(Selector.fields("metadata.name=a").matches(p)).isTrue();
    assertThat(Selector.fields("metadata.name=b").matches(p)).isFalse();
    assertThat(Selector.fields("metadata.namespace=payments,status.phase!=Pending").matches(p)).isTrue();
    assertThat(Selector.fields("spec.nodeName=").matches(p)).isTrue();
  }

  @Test
  void shouldRejectMalformedSetExpressions() {
    assertThatThrownBy(() -> Selector.labels("app in web")).isInstanceOf(StatusException.class)
        .satisfies(e -> assertThat(((StatusException) e).code()).isEqualTo(400));
  }
}
