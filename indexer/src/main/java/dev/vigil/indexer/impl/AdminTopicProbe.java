package dev.vigil.indexer.impl;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link TopicProbe} with the Kafka admin client's {@code describeTopics}, which never creates a topic (a producer's
 * metadata request may, on a broker with {@code auto.create.topics.enable}). Waits in short slices so close() is seen.
 */
final class AdminTopicProbe implements TopicProbe {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Map<String, Object> properties;
  private Admin admin;

  AdminTopicProbe(Map<String, Object> properties) {
    this.properties = properties;
  }

  @Override
  public boolean exists(String topic, Shutdown shutdown) {
    if (admin == null) {
      admin = Admin.create(properties);
    }
    KafkaFuture<Map<String, TopicDescription>> future = admin
        .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) TIMEOUT.toMillis()))
        .allTopicNames();
    long deadline = System.nanoTime() + TIMEOUT.plusSeconds(5).toNanos();
    while (true) {
      shutdown.checkOpen();
      try {
        future.get(200, TimeUnit.MILLISECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("Describing topic " + topic + " timed out");
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnknownTopicOrPartitionException) {
          return false;
        }
        if (cause instanceof RetriableException re) {
          throw re;
        }
        throw new IndexerFatalException("Cannot check that topic " + topic + " exists: " + cause, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClosedException();
      }
    }
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }
}
