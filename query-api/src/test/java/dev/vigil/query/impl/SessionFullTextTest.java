package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.aggregations.AutoDateHistogramAggregate;
import org.opensearch.client.opensearch._types.aggregations.DateHistogramBucket;

class SessionFullTextTest {

  private static DateHistogramBucket bucket(long key, long count) {
    return DateHistogramBucket.of(b -> b.key(String.valueOf(key)).docCount(count));
  }

  @Test
  void shouldReadAutoHistogramIntervals() {
    assertThat(SessionFullText.intervalMillis("1s")).isEqualTo(1_000);
    assertThat(SessionFullText.intervalMillis("5m")).isEqualTo(300_000);
    assertThat(SessionFullText.intervalMillis("12h")).isEqualTo(43_200_000);
    assertThat(SessionFullText.intervalMillis("7d")).isEqualTo(604_800_000);
    assertThat(SessionFullText.intervalMillis("1M")).isEqualTo(31L * 86_400_000);
    assertThat(SessionFullText.intervalMillis("10y")).isEqualTo(3660L * 86_400_000);
    assertThat(SessionFullText.intervalMillis("weird")).isEqualTo(Long.MAX_VALUE);
    assertThat(SessionFullText.intervalMillis(null)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldMergeAdjacentNonEmptyBucketsAndMatchOverlappingSessions() {
    AutoDateHistogramAggregate h = AutoDateHistogramAggregate.of(a -> a.interval("1m").buckets(b -> b.array(List.of(
        bucket(0, 2), bucket(60_000, 1), bucket(120_000, 0), bucket(600_000, 4)))));
    SessionFullText.Spans spans = SessionFullText.spans(h);
    assertThat(spans.spans()).hasSize(2);
    assertThat(spans.spans().get(0)).containsExactly(0, 120_000);
    assertThat(spans.spans().get(1)).containsExactly(600_000, 660_000);
    assertThat(spans.overlaps(100_000, 200_000)).isTrue();   // a session running into the first span
    assertThat(spans.overlaps(120_000, 599_999)).isFalse();  // a session between the spans
    assertThat(spans.overlaps(659_999, 700_000)).isTrue();
    assertThat(spans.overlaps(660_000, 700_000)).isFalse();
  }
}
