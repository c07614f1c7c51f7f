package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.FieldValue;

class PageTokenTest {

  @Test
  void shouldRoundTripSortValues() {
    String token = PageToken.encode("sessions:alertCount:desc", List.of(FieldValue.of(3L), FieldValue.of(1746439200000L),
        FieldValue.of("agent-1#e1")));
    assertThat(token).matches("[A-Za-z0-9_-]+");
    List<FieldValue> v = PageToken.decode(token, "sessions:alertCount:desc", 3);
    assertThat(v.get(0).longValue()).isEqualTo(3L);
    assertThat(v.get(1).longValue()).isEqualTo(1746439200000L);
    assertThat(v.get(2).stringValue()).isEqualTo("agent-1#e1");
  }

  @Test
  void shouldRefuseForgedSortValuesOfTheWrongType() {
    String key = "sessions:lastEventTime:desc";
    for (List<FieldValue> forged : List.of(
        List.of(FieldValue.of("agent-2"), FieldValue.of("x")),          // a string where the time is
        List.of(FieldValue.of(2.5), FieldValue.of("x")),                // a fraction
        List.of(FieldValue.of(true), FieldValue.of("x")),
        List.of(FieldValue.of(1L), FieldValue.of(7L)),                  // a number where the id is
        List.of(FieldValue.of(1L), FieldValue.of("x".repeat(2100))))) {
      assertThatThrownBy(() -> PageToken.decode(PageToken.encode(key, forged), key, 2)).as(forged.toString())
          .isInstanceOf(ApiException.class).hasMessageContaining("searchAfter");
    }
  }

  @Test
  void shouldRefuseGarbageAndTokensOfAnotherSort() {
    String token = PageToken.encode("sessions:lastEventTime:desc", List.of(FieldValue.of(1L), FieldValue.of("x")));
    for (String bad : List.of("garbage!", "e30", "bm90IGpzb24")) {
      assertThatThrownBy(() -> PageToken.decode(bad, "sessions:lastEventTime:desc", 2)).as(bad)
          .isInstanceOf(ApiException.class).hasMessageContaining("searchAfter");
    }
    assertThatThrownBy(() -> PageToken.decode(token, "sessions:lastEventTime:asc", 2))
        .isInstanceOf(ApiException.class).hasMessageContaining("another sort");
    assertThatThrownBy(() -> PageToken.decode(token, "sessions:lastEventTime:desc", 3))
        .isInstanceOf(ApiException.class);
    assertThat(((ApiException) org.assertj.core.api.Assertions.catchThrowable(
        () -> PageToken.decode("x".repeat(5000), "k", 1))).status()).isEqualTo(400);
  }
}
