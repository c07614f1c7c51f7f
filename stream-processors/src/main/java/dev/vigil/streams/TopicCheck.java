package dev.vigil.streams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check that the four topics exist (Kafka Streams creates only its internal topics; the demo and operators
 * create these), and a warning when the sessions topic is not compacted. Uses the Kafka Streams passthrough's
 * admin-client settings (bootstrap, security).
 */
final class TopicCheck {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);

  private TopicCheck() {}

  /** Throws IllegalStateException naming every missing topic and its setting, or when Kafka does not answer in time. */
  static void verify(StreamsSettings s) {
    Map<String, String> topics = new LinkedHashMap<>();
    topics.put(s.eventsTopic(), StreamsSettings.EVENTS_TOPIC);
    topics.put(s.sessionsTopic(), StreamsSettings.SESSIONS_TOPIC);
    topics.put(s.alertsTopic(), StreamsSettings.ALERTS_TOPIC);
    topics.put(s.dlqTopic(), StreamsSettings.DLQ_TOPIC);
    long timeoutMs = s.topicCheckTimeout().toMillis();
    try (Admin admin = Admin.create(adminProperties(s))) {
      Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics.keySet()).topicNameValues();
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, String> t : topics.entrySet()) {
        try {
          described.get(t.getKey()).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw new IllegalStateException("Cannot describe topic " + t.getKey() + ": " + e.getCause(), e.getCause());
          }
          missing.add(t.getKey() + " (" + t.getValue() + ")");
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Missing Kafka topic(s) " + String.join(", ", missing)
            + ": create them first (" + s.sessionsTopic() + " with cleanup.policy=compact)");
      }
      warnUnlessCompacted(admin, s.sessionsTopic(), timeoutMs);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + s.topicCheckTimeout() + " ("
          + StreamsSettings.TOPIC_CHECK_TIMEOUT + "); bootstrap.servers=" + s.kafka().get("bootstrap.servers"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the topics", e);
    }
  }

  private static void warnUnlessCompacted(Admin admin, String topic, long timeoutMs)
      throws InterruptedException, TimeoutException {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config c = admin.describeConfigs(List.of(r)).all().get(timeoutMs, TimeUnit.MILLISECONDS).get(r);
      var policy = c == null ? null : c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        LOG.warn("Topic {} is not compacted (cleanup.policy={}): it will not keep the latest summary of every session",
            topic, policy == null ? "?" : policy.value());
      }
    } catch (ExecutionException e) {
      LOG.warn("Cannot read the configuration of topic {} to check it is compacted: {}", topic, e.getCause().toString());
    }
  }

  private static Map<String, Object> adminProperties(StreamsSettings s) {
    Map<String, Object> p = new LinkedHashMap<>();
    s.kafka().forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        p.put(k, v);
      }
    });
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, s.applicationId() + "-topic-check");
    return p;
  }
}
