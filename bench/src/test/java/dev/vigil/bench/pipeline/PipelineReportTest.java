package dev.vigil.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PipelineReportTest {

  private static final Map<String, String> SETTINGS = Map.of("index", "vigil-events-2026.11.28",
      "index.refresh_interval", "1s (OpenSearch default)");

  private static PipelineReport.Result result(double[] searchable, int failed, int notSearchable) {
    return new PipelineReport.Result(50, 30, 1500, 100, searchable, new double[] {5, 6, 7}, failed,
        failed > 0 ? "HTTP 503" : null, notSearchable, 600, SETTINGS);
  }

  @Test
  void shouldMeetTheTargetWhenP99IsUnderTwoSecondsAndEveryCallWasFound() {
    String md = PipelineReport.fragment(result(new double[] {900, 1100, 1999}, 0, 0));

    assertThat(md).contains("| response → searchable | 3 | 1,100 | 1,999 | 1,999 | 1,999 |")
        .contains("`index.refresh_interval` 1s (OpenSearch default)").contains("`index.search.idle.after` ?")
        .contains("**Target** searchable ≤ 2 s p99: met (p99 2.00 s)");
  }

  @Test
  void shouldSayByHowMuchTheTargetIsMissed() {
    String md = PipelineReport.fragment(result(new double[] {900, 1100, 2500}, 0, 0));

    assertThat(md).contains("**Target** searchable ≤ 2 s p99: missed (p99 2.50 s, 0.50 s over; the refresh interval"
        + " puts up to 1s in by design, and the calls' own response-time p99 in the same run was 0.01 s");
  }

  @Test
  void shouldNotCallTheTargetMetWhenCallsWereNeverFound() {
    String md = PipelineReport.fragment(result(new double[] {900, 1100, 1200}, 2, 3));

    assertThat(md).contains("missed (p99 1.20 s; 3 calls never searchable, 2 failed)")
        .contains("Failed calls: 2 (first: HTTP 503)");
  }
}
