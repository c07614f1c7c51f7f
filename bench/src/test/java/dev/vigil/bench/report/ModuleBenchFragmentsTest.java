package dev.vigil.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The module benches' output, as they print it, turned into fragments; lines they print verbatim. */
class ModuleBenchFragmentsTest {

  private static final List<String> INDEXER = List.of(
      "produced 20,000 events in 100 sessions (2 partitions) in 0.8 s",
      "raw _bulk (same 20,000 documents incl. raw, pre-serialized, 500 per request, 1 thread): 4,000 docs/s (5.0 s)",
      "indexer (consume, decode, map, bulk, item checks, commit; includes start-up): 4,642 docs/s (4.3 s, indexed 20000,"
          + " dead-lettered 0, batches 42, retries 0)",
      "ratio indexer / raw _bulk: 1.16");

  private static final List<String> STREAMS = List.of(
      "events: 20000 in 100 sessions, 2 partitions, exactly_once_v2 (produced in 0.8 s)",
      "baseline (consume + decode, 20000 decoded): 25,043 events/s",
      "topology (decode, dedupe, detectors, sessionizer) once RUNNING (after 4.6 s): 8,456 events/s (2,878 events/s"
          + " counting start-up)",
      "ratio topology / baseline: 0.34");

  private static final List<String> LLM = List.of(
      "200 streamed Messages calls each (after 30 warm-up), one at a time, HTTP/1.1 keep-alive",
      "  direct to llm-sim    first byte p50    1.48 ms  p99    7.67 ms   total p50    2.35 ms  p99    8.26 ms",
      "  through the gateway  first byte p50    3.81 ms  p99   16.53 ms   total p50    8.05 ms  p99   24.25 ms",
      "  ratio                first byte p50 x2.57  p99 x2.16   total p50 x3.42  p99 x2.94  (gateway / direct)");

  private static final List<String> SEARCH = List.of(
      "indexed 20,000 event documents and 400 sessions in 20.6 s",
      "query (100 each, sequential, after 30 warm-up)     p50 ms   p90 ms   p99 ms   max ms",
      "sessions: filter namespace, newest first             14.3     19.7     31.4     32.9",
      "sessions: full text q (two words) + namespace        30.7     44.4     83.1    115.8");

  @Test
  void shouldTabulateTheIndexerAgainstRawBulkWithItsRatio() {
    String md = ModuleBenchFragments.indexer(INDEXER, "java ... IndexerThroughputBench 20000 100");

    assertThat(md).startsWith("## Indexer throughput against raw bulk\n")
        .contains("Run: `java ... IndexerThroughputBench 20000 100`")
        .contains("| raw `_bulk` (baseline) | 4,000 | 5.0 s | same 20,000 documents incl. raw, pre-serialized, 500 per"
            + " request, 1 thread |")
        .contains("| indexer | 4,642 | 4.3 s |")
        .contains("**×1.16**");
  }

  @Test
  void shouldTabulateTheTopologyAgainstConsumeAndDecode() {
    String md = ModuleBenchFragments.streams(STREAMS, null);

    assertThat(md).startsWith("## Kafka Streams throughput\n").doesNotContain("Run:")
        .contains("| consume + decode (baseline) | 25,043 |")
        .contains("| stream-processors topology | 8,456 |").contains("after 4.6 s")
        .contains("| topology, counting start-up | 2,878 |")
        .contains("**×0.34**");
  }

  @Test
  void shouldComputeTheGatewaysAddedLlmLatencyFromBothRows() {
    String md = ModuleBenchFragments.llm(LLM, null);

    assertThat(md).contains("| direct to llm-sim | 1.48 | 7.67 | 2.35 | 8.26 |")
        .contains("| through the gateway | 3.81 | 16.5 | 8.05 | 24.3 |")
        .contains("total p50 **×3.43**") // 8.05 / 2.35 recomputed, not copied from the bench's own rounding
        .contains("Added: total p50 +5.70 ms, p99 +16.0 ms.");
  }

  @Test
  void shouldSayWhenTheGatewayHadNoLlmRoute() {
    List<String> directOnly = List.of(LLM.get(0), "The gateway has no /llm/anthropic route yet: measuring direct calls"
        + " only.", LLM.get(1));

    assertThat(ModuleBenchFragments.llm(directOnly, null)).contains("No gateway figures").doesNotContain("Ratio");
  }

  @Test
  void shouldListEverySearchQueryKindAfterTheHeader() {
    String md = ModuleBenchFragments.search(SEARCH, null);

    assertThat(md).contains("queries 100 each, sequential, after 30 warm-up")
        .contains("| sessions: filter namespace, newest first | 14.3 | 19.7 | 31.4 | 32.9 |")
        .contains("| sessions: full text q (two words) + namespace | 30.7 | 44.4 | 83.1 | 115.8 |");
  }

  @Test
  void shouldFailNamingTheLineThatIsMissing() {
    assertThatThrownBy(() -> ModuleBenchFragments.indexer(INDEXER.subList(0, 3), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ratio indexer / raw _bulk");
    assertThatThrownBy(() -> ModuleBenchFragments.search(SEARCH.subList(0, 2), null))
        .hasMessageContaining("no query rows");
  }
}
