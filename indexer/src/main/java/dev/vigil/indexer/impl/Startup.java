package dev.vigil.indexer.impl;

import java.io.IOException;

import org.apache.kafka.common.errors.RetriableException;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.IndexerConfig;

/**
 * What the poll thread does before {@code ready()}: install the index template (retrying until OpenSearch answers) and
 * check that the DLQ topic exists (retrying until Kafka answers; a missing topic is an {@link IndexerFatalException},
 * since a poison record could then be neither indexed nor dead-lettered).
 */
final class Startup {

  private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

  private final IndexerConfig config;
  private final OpenSearchClient client;
  private final TopicProbe topics;
  private final Backoff backoff;
  private final Shutdown shutdown;

  Startup(IndexerConfig config, OpenSearchClient client, TopicProbe topics, Backoff backoff, Shutdown shutdown) {
    this.config = config;
    this.client = client;
    this.topics = topics;
    this.backoff = backoff;
    this.shutdown = shutdown;
  }

  /** Installs the template, then checks the DLQ topic; the probe is closed in any case. */
  void run() {
    try {
      installTemplate();
      checkDlqTopic();
    } finally {
      topics.close();
    }
  }

  private void installTemplate() {
    int attempt = 0;
    while (true) {
      shutdown.checkOpen();
      try {
        IndexTemplate.install(client, config);
        LOG.info("Index template {} installed for {}", config.indexPrefix(), config.indexPattern());
        return;
      } catch (IOException | OpenSearchException e) {
        attempt++;
        long delay = backoff.delayMillis(attempt);
        LOG.warn("Cannot install index template {} (attempt {}), retrying in {} ms: {}", config.indexPrefix(), attempt, delay,
            e.toString());
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
