package dev.vigil.indexer.impl;

/** Tells whether a Kafka topic exists, without creating it (the start-up check of the DLQ topic). */
interface TopicProbe extends AutoCloseable {

  /**
   * @return true if {@code topic} exists, false if it does not
   * @throws org.apache.kafka.common.errors.RetriableException when that cannot be told now (broker unreachable...)
   * @throws ClosedException when {@code shutdown} is signalled while waiting
   */
  boolean exists(String topic, Shutdown shutdown);

  @Override
  void close();
}
