package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.transport.OpenSearchTransport;

/** Whole-request failures and request sizing, against a stub OpenSearch. */
class BulkWriterTest {

  private StubOpenSearch stub;
  private OpenSearchTransport transport;
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong superseded = new AtomicLong();

  @BeforeEach
  void start() throws Exception {
    stub = new StubOpenSearch();
    transport = stub.transport();
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    stub.close();
  }

  private BulkWriter writer(long maxBytes) {
    return new BulkWriter(new OpenSearchAsyncClient(transport), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), 3,
        maxBytes, new Shutdown(), indexed, superseded, retries);
  }

  private static List<BulkItem> items(int n, int bodyChars) {
    List<BulkItem> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("eventId", "e" + i);
      doc.put("body", Map.of("content", "x".repeat(bodyChars)));
      out.add(BulkItem.of(new ConsumerRecord<>("events", 0, i, new byte[0], new byte[0]), "e" + i, "idx-2025.01.01", doc));
    }
    return out;
  }

  @Test
  void shouldEstimateDocumentSizes() {
    BulkItem item = items(1, 1000).get(0);
    assertThat(item.bytes()).isBetween(1000L, 1200L);
  }

  @Test
  void shouldCutABatchIntoRequestsBelowTheByteCap() {
    List<BulkItem> items = items(10, 1000);

    List<DeadLetter> dead = writer(3500).write(items);

    assertThat(dead).isEmpty();
    assertThat(indexed.get()).isEqualTo(10);
    assertThat(stub.bulkRequests).hasSize(4).allSatisfy(r -> assertThat(r.size()).isBetween(1, 3));
    assertThat(stub.stored).hasSize(10);
  }

  @Test
  void shouldSendADocumentLargerThanTheCapAlone() {
    List<List<BulkItem>> chunks = BulkWriter.chunks(List.of(items(1, 100).get(0), items(1, 5000).get(0),
        items(1, 100).get(0)), 2000);
    assertThat(chunks).extracting(List::size).containsExactly(1, 1, 1);
  }

  @Test
  void shouldSplitRequestsRefusedAsTooLargeAndDeadLetterASingleHugeDocument() {
    stub.maxOpsPerRequest = 2;
    stub.hugeIds = Set.of("e4");

    List<DeadLetter> dead = writer(10_000_000).write(items(7, 10));

    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.reasonCode()).isEqualTo(DeadLetter.TOO_LARGE);
      assertThat(d.documentId()).isEqualTo("e4");
      assertThat(d.detail()).startsWith("413");
    });
    assertThat(stub.stored).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e5", "e6");
    assertThat(indexed.get()).isEqualTo(6);
    assertThat(stub.bulkRequests.get(0)).hasSize(7);
    assertThat(stub.bulkRequests.get(1)).hasSize(3); // 7 → 3 + 4, and so on
  }

  @Test
  void shouldDeadLetterEveryItemOfARequestRefusedWithA4xx() {
    stub.wholeRequestStatus = 400;

    List<DeadLetter> dead = writer(10_000_000).write(items(3, 10));

    assertThat(dead).hasSize(3).allSatisfy(d -> {
      assertThat(d.reasonCode()).isEqualTo(DeadLetter.REQUEST_REJECTED);
      assertThat(d.detail()).contains("400").contains("injected_exception");
    });
    assertThat(stub.bulkRequests).as("not retried").hasSize(1);
    assertThat(indexed.get()).isZero();
  }

  @Test
  void shouldStopWhenOpenSearchRefusesTheIndexersCredentials() {
    stub.wholeRequestStatus = 401;

    assertThatThrownBy(() -> writer(10_000_000).write(items(2, 10)))
        .isInstanceOf(IndexerFatalException.class).hasMessageContaining("401").hasMessageContaining("username");
    assertThat(stub.bulkRequests).hasSize(1);
  }

  @Test
  void shouldRetryTooManyRequestsAndServerErrors() throws Exception {
    for (int status : new int[] {429, 503, 408}) {
      stub.wholeRequestStatus = status;
      Shutdown shutdown = new Shutdown();
      BulkWriter w = new BulkWriter(new OpenSearchAsyncClient(transport), new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
          3, 10_000_000, shutdown, indexed, new AtomicLong(), retries);
      int before = stub.bulkRequests.size();
      Thread t = new Thread(() -> {
        while (stub.bulkRequests.size() < before + 3) {
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
        stub.wholeRequestStatus = 0;
      });
      t.start();
      assertThat(w.write(items(1, 10))).isEmpty();
      t.join();
      assertThat(stub.bulkRequests.size() - before).as("status " + status).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void shouldWriteVersionedItemsWithExternalGteAndCountAVersionConflictAsSuperseded() {
    stub.conflictIds = Set.of("s-old");
    List<BulkItem> items = List.of(
        BulkItem.of(new ConsumerRecord<>("sessions", 0, 7, new byte[0], new byte[0]), "s-new", DeadLetter.SESSION_ID_HEADER,
            "sessions", Map.of("sessionId", "s-new"), 7L),
        BulkItem.of(new ConsumerRecord<>("sessions", 0, 3, new byte[0], new byte[0]), "s-old", DeadLetter.SESSION_ID_HEADER,
            "sessions", Map.of("sessionId", "s-old"), 3L));

    List<DeadLetter> dead = writer(10_000_000).write(items);

    assertThat(dead).isEmpty();
    assertThat(indexed.get()).isEqualTo(1);
    assertThat(superseded.get()).isEqualTo(1);
    assertThat(stub.bulkRequests).as("a conflict is not retried").hasSize(1);
    assertThat(stub.bulkActions.get(0)).contains("\"version\":7").contains("\"version_type\":\"external_gte\"");
  }

  @Test
  void shouldDeadLetterAVersionConflictOfAnUnversionedItemWithItsIdHeader() {
    stub.conflictIds = Set.of("e1");

    List<DeadLetter> dead = writer(10_000_000).write(items(2, 10));

    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.reasonCode()).isEqualTo(DeadLetter.REJECTED);
      assertThat(d.idHeader()).isEqualTo(DeadLetter.EVENT_ID_HEADER);
      assertThat(d.detail()).startsWith("409 version_conflict_engine_exception");
    });
    assertThat(stub.bulkActions).noneMatch(a -> a.contains("version_type"));
  }

  @Test
  void shouldClassifyWholeRequestStatuses() {
    assertThat(RequestFailure.classify(413, "").kind()).isEqualTo(RequestFailure.Kind.TOO_LARGE);
    assertThat(RequestFailure.classify(400, "").kind()).isEqualTo(RequestFailure.Kind.REJECTED);
    assertThat(RequestFailure.classify(404, "").kind()).isEqualTo(RequestFailure.Kind.REJECTED);
    assertThat(RequestFailure.classify(401, "").kind()).isEqualTo(RequestFailure.Kind.FATAL);
    assertThat(RequestFailure.classify(403, "").kind()).isEqualTo(RequestFailure.Kind.FATAL);
    for (int s : new int[] {408, 429, 500, 502, 503, 504, -1}) {
      assertThat(RequestFailure.classify(s, "").kind()).as("status " + s).isEqualTo(RequestFailure.Kind.RETRY);
    }
    assertThat(RequestFailure.of(new java.io.IOException("connection refused")).kind()).isEqualTo(RequestFailure.Kind.RETRY);
  }
}
