package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventQueryTest {

  private static Map<String, List<String>> params(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
    }
    return m;
  }

  private static void assertBadRequest(Map<String, List<String>> params, String messagePart) {
    assertThatThrownBy(() -> EventQuery.parse(params))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("bad_request");
        })
        .hasMessageContaining(messagePart);
  }

  @Test
  void shouldDefaultToFiftyEventsWithoutFilters() {
    EventQuery q = EventQuery.parse(params());
    assertThat(q).isEqualTo(new EventQuery(null, null, null, null, null, null, 50));
  }

  @Test
  void shouldReadEveryFilter() {
    EventQuery q = EventQuery.parse(params("q", "password rotation", "identity", "alice", "namespace", "prod", "verb", "get",
        "resource", "secrets", "sessionKey", "s-1", "size", "500"));
    assertThat(q).isEqualTo(new EventQuery("password rotation", "alice", "prod", "get", "secrets", "s-1", 500));
    assertThat(q.describe()).containsEntry("namespace", "prod").containsEntry("size", 500);
  }

  @Test
  void shouldTreatEmptyValuesAsAbsent() {
    assertThat(EventQuery.parse(params("namespace", "", "q", "  ")).namespace()).isNull();
  }

  @Test
  void shouldRejectSizesOutsideOneToFiveHundred() {
    assertBadRequest(params("size", "0"), "size");
    assertBadRequest(params("size", "501"), "size");
    assertBadRequest(params("size", "ten"), "size");
    assertBadRequest(params("size", "-3"), "size");
  }

  @Test
  void shouldRejectUnknownAndRepeatedParameters() {
    assertBadRequest(params("namesapce", "prod"), "namesapce");
    assertBadRequest(params("verb", "get", "verb", "list"), "more than once");
  }

  @Test
  void shouldRejectOverlongValues() {
    assertBadRequest(params("q", "x".repeat(1001)), "'q'");
    assertBadRequest(params("identity", "x".repeat(1025)), "'identity'");
  }

  @Test
  void shouldValidateSessionQueries() {
    assertThat(SessionQuery.parse("s-1", params())).isEqualTo(new SessionQuery("s-1", 1000));
    assertThat(SessionQuery.parse("s-1", params("size", "10000")).size()).isEqualTo(10000);
    assertThatThrownBy(() -> SessionQuery.parse("s-1", params("size", "10001"))).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> SessionQuery.parse("s-1", params("q", "x"))).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> SessionQuery.parse(" ", params())).isInstanceOf(ApiException.class);
  }
}
