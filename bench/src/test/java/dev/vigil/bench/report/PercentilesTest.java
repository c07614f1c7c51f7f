package dev.vigil.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void shouldUseNearestRank() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted on purpose: 100, 99, ..., 1
    }
    Percentiles p = Percentiles.of(v);

    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.at(99.9)).isEqualTo(100);
    assertThat(p.at(100)).isEqualTo(100);
    assertThat(p.max()).isEqualTo(100);
    assertThat(v[0]).as("the caller's array is left alone").isEqualTo(100);
  }

  @Test
  void shouldTakeTheHighestValueAsP99OfASmallSample() {
    assertThat(Percentiles.of(new double[] {3, 1, 2}).at(99)).isEqualTo(3);
    assertThat(Percentiles.of(new double[] {3, 1, 2}).at(50)).isEqualTo(2);
  }

  @Test
  void shouldAnswerNaNForAnEmptySampleAndRefuseAPercentileOutOfRange() {
    assertThat(Percentiles.of(new double[0]).at(50)).isNaN();
    assertThatThrownBy(() -> Percentiles.of(new double[] {1}).at(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldEscapePipesAndRightAlignNumberColumns() {
    String t = Markdown.table(List.of("query", "p50"), List.of(List.of("a|b", "1.0")));

    assertThat(t).isEqualTo("| query | p50 |\n| --- | ---: |\n| a\\|b | 1.0 |\n");
    assertThat(Markdown.table(List.of("", "time", "what"), List.of(List.of("raw", "4.2 s", "500 per request"),
        List.of("indexer", "×0.58", "?")))).contains("| --- | ---: | --- |");
    assertThatThrownBy(() -> Markdown.table(List.of("a", "b"), List.of(List.of("1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
