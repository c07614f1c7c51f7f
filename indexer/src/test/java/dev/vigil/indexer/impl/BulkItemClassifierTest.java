package dev.vigil.indexer.impl;

import static dev.vigil.indexer.impl.BulkItemClassifier.Outcome.REJECT;
import static dev.vigil.indexer.impl.BulkItemClassifier.Outcome.RETRY;
import static dev.vigil.indexer.impl.BulkItemClassifier.Outcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BulkItemClassifierTest {

  @Test
  void shouldTreatCreatedAndUpdatedItemsAsSuccess() {
    assertThat(BulkItemClassifier.classify(201, null)).isEqualTo(SUCCESS);
    assertThat(BulkItemClassifier.classify(200, null)).isEqualTo(SUCCESS);
  }

  @Test
  void shouldRetryRejectedExecutionTimeoutsAndServerErrors() {
    assertThat(BulkItemClassifier.classify(429, "es_rejected_execution_exception")).isEqualTo(RETRY);
    assertThat(BulkItemClassifier.classify(429, "cluster_block_exception")).isEqualTo(RETRY);
    assertThat(BulkItemClassifier.classify(408, "timeout")).isEqualTo(RETRY);
    assertThat(BulkItemClassifier.classify(500, "exception")).isEqualTo(RETRY);
    assertThat(BulkItemClassifier.classify(503, "unavailable_shards_exception")).isEqualTo(RETRY);
    assertThat(BulkItemClassifier.classify(504, "gateway_timeout")).isEqualTo(RETRY);
  }

  @Test
  void shouldRejectMappingAndOtherClientErrors() {
    assertThat(BulkItemClassifier.classify(400, "mapper_parsing_exception")).isEqualTo(REJECT);
    assertThat(BulkItemClassifier.classify(400, "illegal_argument_exception")).isEqualTo(REJECT);
    assertThat(BulkItemClassifier.classify(403, "cluster_block_exception")).isEqualTo(REJECT);
    assertThat(BulkItemClassifier.classify(404, "index_not_found_exception")).isEqualTo(REJECT);
    assertThat(BulkItemClassifier.classify(409, "version_conflict_engine_exception")).isEqualTo(REJECT);
  }

  @Test
  void shouldNotTrustAnErrorReportedWithASuccessStatus() {
    assertThat(BulkItemClassifier.classify(200, "weird")).isEqualTo(RETRY);
  }
}
