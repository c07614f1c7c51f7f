package dev.vigil.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class OverheadTest {

  /** A phase whose GET latencies are exactly {@code millis}. */
  private static PhaseResult phase(String target, double... millis) {
    PhaseResult p = new PhaseResult(target, 1000);
    for (double ms : millis) {
      p.recordSuccess(Op.GET, (long) (ms * 1_000_000));
    }
    return p;
  }

  private static double[] range(double from, double step, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = from + i * step;
    }
    return out;
  }

  @Test
  void shouldSubtractPercentilesNotRequests() {
    PhaseResult direct = phase("direct", range(1, 0.01, 1000)); // 1.00 .. 10.99 ms
    PhaseResult proxy = phase("proxy", range(2, 0.02, 1000));   // 2.00 .. 21.98 ms

    assertThat(direct.millis(50)).isCloseTo(5.99, within(0.01));
    assertThat(Overhead.added(proxy, direct, 50)).isCloseTo(11.98 - 5.99, within(0.02));
    assertThat(Overhead.added(proxy, direct, 99)).isCloseTo(21.80 - 10.90, within(0.05));
    assertThat(Overhead.ratio(proxy.millis(50), direct.millis(50))).isCloseTo(2.0, within(0.01));
  }

  @Test
  void shouldPassAtTheLimitAndSayByHowMuchItFallsShort() {
    assertThat(Overhead.verdict(1.0, 1, true, "ms")).isEqualTo("PASS");
    assertThat(Overhead.verdict(1.42, 1, true, "ms")).isEqualTo("SHORT BY 0.42 ms");
    assertThat(Overhead.verdict(0.70, 0.70, false, "%")).isEqualTo("PASS");
    assertThat(Overhead.verdict(0.55, 0.70, false, "%")).isEqualTo("SHORT BY 15.0 points");
    assertThat(Overhead.verdict(Double.NaN, 1, true, "ms")).isEqualTo("n/a");
    assertThat(Overhead.ratio(3, 0)).isNaN();
  }

  @Test
  void shouldGiveNoVerdictOnAPhaseThatMostlyFailed() {
    PhaseResult empty = new PhaseResult("vigil", 1000);
    empty.setExpected(100);
    empty.recordErrors("no reply by the end of the phase", 100);
    PhaseResult direct = phase("direct", 1, 2, 3);
    direct.setExpected(3);

    // 0 - 2 ms would "pass" a <= 1 ms target if the failed phase were taken at face value
    assertThat(Overhead.verdict(Overhead.added(empty, direct, 50), 1, true, "ms", empty, direct))
        .isEqualTo("NO VERDICT (vigil: 0 ok, 100 errors)");
    assertThat(Overhead.verdict(0.5, 1, true, "ms", direct, direct)).isEqualTo("PASS");
  }

  @Test
  void shouldMergeRoundsAndCountErrorsApart() {
    PhaseResult a = phase("t", 1, 2, 3);
    a.setExpected(4);
    a.recordError("HTTP 503");
    PhaseResult b = phase("t", 4);
    b.setExpected(1);

    a.add(b);

    assertThat(a.successes()).isEqualTo(4);
    assertThat(a.expected()).isEqualTo(5);
    assertThat(a.errors()).containsEntry("HTTP 503", 1L);
    assertThat(a.maxMillis()).isCloseTo(4.0, within(0.01));
  }

  @Test
  void shouldRotateTheOrderOfTargets() {
    assertThat(ProxyOverheadBench.rotate(List.of("a", "b", "c", "d"), 1)).containsExactly("b", "c", "d", "a");
    assertThat(ProxyOverheadBench.rotate(List.of("a", "b", "c"), 5)).containsExactly("c", "a", "b");
  }
}
