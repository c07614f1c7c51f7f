package dev.vigil.streams.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that the dead-letter topic exists (Kafka admin {@code describeTopics}, which never creates it):
 * without it an undeliverable alert could neither be delivered nor dead-lettered, and its poll would never be
 * committed. Retried while Kafka does not answer; a missing topic is fatal, naming the topic and the setting.
 */
final class DlqTopicCheck {

  private static final Logger LOG = LoggerFactory.getLogger(DlqTopicCheck.class);
  private static final long ATTEMPT_TIMEOUT_MILLIS = 10_000;

  private DlqTopicCheck() {}

  static void run(NotifierSettings settings, RetryPolicy policy, Shutdown shutdown) {
    Map<String, Object> props = NotifierSettings.connection(settings.consumerProperties());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.consumerProperties().get("client.id") + "-admin");
    String topic = settings.dlqTopic();
    Admin admin = Admin.create(props);
    try {
      for (int attempt = 1; ; attempt++) {
        shutdown.checkOpen();
        Throwable error;
        try {
          admin.describeTopics(List.of(topic)).allTopicNames().get(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
          LOG.info("Dead-letter topic {} exists", topic);
          return;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new IllegalStateException("The dead-letter topic '" + topic + "' does not exist: create it or set "
                + NotifierSettings.DLQ_TOPIC + " to an existing topic; the notifier does not create topics");
          }
          if (!DeadLetters.retriable(e.getCause())) {
            throw new IllegalStateException("Cannot check the dead-letter topic '" + topic + "': " + e.getCause(), e.getCause());
          }
          error = e.getCause();
        } catch (TimeoutException e) {
          error = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Shutdown.Closed();
        }
        long delay = policy.delayMillis(attempt, -1);
        LOG.warn("Cannot check the dead-letter topic {} yet (attempt {}), retrying in {} ms: {}", topic, attempt, delay, error.toString());
        shutdown.sleep(delay);
      }
    } finally {
      admin.close(Duration.ofSeconds(1)); // do not wait for a describe still in flight when closing
    }
  }
}

