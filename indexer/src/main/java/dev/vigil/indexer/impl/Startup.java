package dev.vigil.indexer.impl;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.RetriableException;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.IndexerConfig;

/**
 * What the poll thread does before {@code ready()}: install the index templates (events, sessions, alerts), set up the
 * retention ({@link Retention}: ISM policy or deletion task) — both retried until OpenSearch answers — and check that
 * the DLQ topic exists (retried until Kafka answers; a missing topic is an {@link IndexerFatalException}, since a
 * poison record could then be neither indexed nor dead-lettered).
 */
final class Startup {

  private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

  /** A start-up step against OpenSearch; {@link IOException} and {@link OpenSearchException} are retried. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException;
  }

  private final IndexerConfig config;
  private final OpenSearchClient client;
  private final TopicProbe topics;
  private final Backoff backoff;
  private final Shutdown shutdown;
  private final Clock clock;
  private final AtomicLong indicesDeleted;

  Startup(IndexerConfig config, OpenSearchClient client, TopicProbe topics, Backoff backoff, Shutdown shutdown, Clock clock,
      AtomicLong indicesDeleted) {
    this.config = config;
    this.client = client;
    this.topics = topics;
    this.backoff = backoff;
    this.shutdown = shutdown;
    this.clock = clock;
    this.indicesDeleted = indicesDeleted;
  }

  /** Installs the templates, sets up retention, then checks the DLQ topic; the probe is closed in any case. */
  Retention run() {
    try {
      for (IndexTemplate template : IndexTemplate.all(config)) {
        retrying("install index template " + template.name(), () -> {
          template.install(client);
          return null;
        });
        LOG.info("Index template {} installed", template.name());
      }
      Retention retention = retrying("set up retention",
          () -> Retention.setUp(config, new OpenSearchCalls(client), clock, indicesDeleted));
      checkDlqTopic();
      return retention;
    } finally {
      topics.close();
    }
  }

  private <T> T retrying(String what, Step<T> step) {
    int attempt = 0;
    while (true) {
      shutdown.checkOpen();
      try {
        return step.run();
      } catch (IOException | OpenSearchException e) {
        attempt++;
        long delay = backoff.delayMillis(attempt);
        LOG.warn("Cannot {} (attempt {}), retrying in {} ms: {}", what, attempt, delay, e.toString());
        shutdown.sleep(delay);
      }
    }
  }

  private void checkDlqTopic() {
    int attempt = 0;
    while (true) {
      shutdown.checkOpen();
      boolean exists;
      try {
        exists = topics.exists(config.dlqTopic(), shutdown);
      } catch (RetriableException e) {
        attempt++;
        long delay = backoff.delayMillis(attempt);
        LOG.warn("Cannot check the DLQ topic {} yet (attempt {}), retrying in {} ms: {}", config.dlqTopic(), attempt, delay,
            e.toString());
        shutdown.sleep(delay);
        continue;
      }
      if (!exists) {
        throw new IndexerFatalException("The DLQ topic '" + config.dlqTopic() + "' does not exist: create it (e.g. "
            + "kafka-topics.sh --create --topic " + config.dlqTopic() + ") or set " + IndexerConfig.DLQ_TOPIC
            + " to an existing topic; the indexer does not create topics");
      }
      LOG.info("DLQ topic {} exists", config.dlqTopic());
      return;
    }
  }
}
