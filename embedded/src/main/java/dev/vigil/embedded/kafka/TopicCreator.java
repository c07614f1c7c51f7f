package dev.vigil.embedded.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic creation that waits until every partition answers {@code listOffsets}: works around KAFKA-15591 (4.4.0),
 * where records produced right after topic creation can be lost.
 */
final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {}

    /**
     * Creates the topics (existing ones are fine, whatever their partition count) and returns only
     * once every partition of each topic answers a {@code listOffsets(latest)} request.
     *
     * @throws TimeoutException when the partitions are not usable within {@code timeout}
     */
    static void createAndAwait(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> names = new LinkedHashSet<>();
        topics.forEach(topic -> names.add(topic.name()));
        try {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
            for (Map.Entry<String, ? extends java.util.concurrent.Future<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("cannot create topic " + result.getKey() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
            awaitPartitionsUsable(admin, names, deadline, timeout);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("topics " + names + " were not created within " + timeout, e);
        }
    }

    private static void awaitPartitionsUsable(Admin admin, Set<String> names, long deadline, Duration timeout)
            throws InterruptedException {
        Throwable lastProblem = null;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                descriptions.values().forEach(description -> description.partitions().forEach(partition ->
                        request.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(request).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                LOG.debug("Topics {} ready ({} partitions)", names, request.size());
                return;
            } catch (ExecutionException e) {
                lastProblem = e.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                lastProblem = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("topics " + names + " not usable after " + timeout
                        + ": listOffsets still fails on some partition (last problem: " + lastProblem + ")", lastProblem);
            }
            Thread.sleep(50);
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

}
