package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.FieldValue;

class PageTokenTest {

  @Test
  void shouldRoundTripSortValues() {
    String token = PageToken.encode("sessions:lastEventTime:desc", List.of(FieldValue.of(1746439200000L),
        FieldValue.of("agent-1#e1"), FieldValue.of(2.5), FieldValue.of(true)));
    assertThat(token).matches("[A-Za-z0-9_-]+");
    List<FieldValue> v = PageToken.decode(token, "sessions:lastEventTime:desc", 4);
    assertThat(v.get(0).longValue()).isEqualTo(1746439200000L);
    assertThat(v.get(1).stringValue()).isEqualTo("agent-1#e1");
    assertThat(v.get(2).doubleValue()).isEqualTo(2.5);
    assertThat(v.get(3).booleanValue()).isTrue();
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
